import { existsSync, readFileSync } from "node:fs";
import { UserError } from "./errors.ts";
import { type EngineOptions, createEngine } from "./engine.ts";
import type { EngineEvent, EngineSummary, EventOf } from "./events.ts";
import type { ModelFile } from "./model-file.ts";
import { digitStringAccuracy, segmentMatch } from "./scoring.ts";
import type { AudioSource } from "./sources/audio-source.ts";
import { FileSource } from "./sources/file-source.ts";

/** One spoken digit of a test stream: where the FSDD clip lies in it. */
export interface TruthSegment {
  digit: number;
  start_s: number;
  end_s: number;
  gain_db: number;
  /** Noisy streams only: the digit's own SNR in dB. */
  snr_local_db?: number;
}

/** The ground truth that comes with each test stream (`NAME.json` beside `NAME.wav`). */
export interface StreamTruth {
  file: string;
  sample_rate: number;
  channels: number;
  duration_s: number;
  digits: string;
  segments: TruthSegment[];
  snr_db: number | null;
  noise: string;
}

export function readStreamTruth(wavPath: string): StreamTruth {
  const json = wavPath.replace(/\.wav$/i, ".json");
  if (!existsSync(json)) throw new UserError(`${json}: no ground truth beside ${wavPath}`);
  return JSON.parse(readFileSync(json, "utf8")) as StreamTruth;
}

export interface StreamRun {
  events: EngineEvent[];
  predictions: EventOf<"prediction">[];
  summary: EngineSummary;
  wallMs: number;
}

/** Runs the engine over a whole source and collects its events (level events off unless asked). */
export async function runEngine(model: ModelFile, source: AudioSource, options: Partial<EngineOptions> = {}): Promise<StreamRun> {
  const events: EngineEvent[] = [];
  const engine = createEngine({ levelIntervalMs: 0, ...options, model, source, onEvent: (e) => events.push(e) });
  const t0 = performance.now();
  const summary = await engine.start();
  const wallMs = performance.now() - t0;
  const predictions = events.filter((e): e is EventOf<"prediction"> => e.type === "prediction");
  return { events, predictions, summary, wallMs };
}

export interface StreamScore {
  file: string;
  reference: string;
  hypothesis: string;
  accuracy: number;
  segmentPrecision: number;
  segmentRecall: number;
  rejected: number;
  /** End of speech (ground truth) → prediction, in stream time, per matched digit (ms). */
  latencyMs: number[];
  realtimeFactor: number;
}

/** Scores an engine run against a stream's ground truth. */
export function scoreStream(truth: StreamTruth, run: StreamRun): StreamScore {
  const detected = run.events.filter((e): e is EventOf<"speech-end"> => e.type === "speech-end");
  const reference = truth.segments.map((s) => ({ start: s.start_s, end: s.end_s }));
  const seg = segmentMatch(reference, detected);
  const latencyMs: number[] = [];
  for (const p of run.predictions) {
    const r = truth.segments.find((s) => p.start < s.end_s && s.start_s < p.end);
    // stream time at which the prediction was made = VAD end + hangover + compute
    if (r) latencyMs.push((p.end - r.end_s) * 1000 + p.latency.endToPredictionMs);
  }
  return {
    file: truth.file,
    reference: truth.digits,
    hypothesis: run.summary.digits,
    accuracy: digitStringAccuracy(truth.digits, run.summary.digits),
    segmentPrecision: seg.precision,
    segmentRecall: seg.recall,
    rejected: run.summary.rejected,
    latencyMs,
    realtimeFactor: (truth.duration_s * 1000) / run.wallMs,
  };
}

/** Recognises a test stream as fast as possible and scores it. */
export async function evaluateStream(model: ModelFile, wavPath: string, options: Partial<EngineOptions> = {}): Promise<StreamScore> {
  const truth = readStreamTruth(wavPath);
  const run = await runEngine(model, new FileSource(wavPath, { realtime: false }), options);
  return scoreStream(truth, run);
}
