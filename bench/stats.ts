import { percentile } from "../engine/scoring.ts";

/** Median, p95 and extremes of repeated measurements. */
export interface Summary {
  median: number;
  p95: number;
  min: number;
  max: number;
  n: number;
}

/**
 * Summarises samples, with the percentile `bun eval --streams` and the live view use (nearest
 * rank: always a measured value), so a p95 means the same everywhere. For figures where higher is better (a real-time factor) `p95` is the value
 * that 95 % of the samples reach, i.e. the 5th percentile: the slow tail either way.
 */
export function summarize(values: readonly number[], higherIsBetter = false): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: percentile(sorted, 0.5),
    p95: percentile(sorted, higherIsBetter ? 0.05 : 0.95),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    n: sorted.length,
  };
}
