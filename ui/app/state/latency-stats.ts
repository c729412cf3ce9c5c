/** Last / median / 95th percentile of each pipeline stage over the most recent predictions. */
import type { StageLatency } from "../../../engine/events.ts";
import { percentile } from "../../../engine/scoring.ts";

export type Stage = keyof StageLatency;

/** Display order and labels of the latency panel. */
export const STAGES: readonly { key: Stage; label: string }[] = [
  { key: "ringWaitMs", label: "ring wait" },
  { key: "resampleMs", label: "resample" },
  { key: "vadMs", label: "VAD" },
  { key: "featuresMs", label: "features" },
  { key: "inferenceMs", label: "inference" },
  { key: "endToPredictionMs", label: "end of speech → digit" },
];

export interface StageSummary {
  key: Stage;
  label: string;
  last: number;
  p50: number;
  p95: number;
}

export interface LatencySummary {
  /** Number of predictions the percentiles cover. */
  count: number;
  stages: StageSummary[];
}

export function summariseLatency(history: readonly StageLatency[]): LatencySummary {
  const n = history.length;
  const values = new Float64Array(n);
  const stages = STAGES.map(({ key, label }) => {
    for (let i = 0; i < n; i++) values[i] = history[i]![key];
    values.sort();
    return {
      key,
      label,
      last: n > 0 ? history[n - 1]![key] : Number.NaN,
      p50: percentile(values, 0.5),
      p95: percentile(values, 0.95),
    };
  });
  return { count: n, stages };
}
