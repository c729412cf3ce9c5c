/**
 * Everything the streaming engine tells its front ends (Ink UI, `bun listen`, JSONL, tests).
 * Times are stream times in seconds from the first sample of the source; levels are dBFS.
 * docs/events.md explains every field; docs/events.schema.json is their JSON Schema.
 */
import type { VadState } from "./vad/index.ts";

export type { VadState };

export interface TopK {
  digit: number;
  p: number;
}

/** Per-stage cost in milliseconds for one utterance. */
export interface StageLatency {
  /** Time the utterance's last block waited in the ring buffer before processing. */
  ringWaitMs: number;
  resampleMs: number;
  vadMs: number;
  featuresMs: number;
  inferenceMs: number;
  /** From the end of speech (stream time) to the prediction event, in stream time: hangover + compute. */
  endToPredictionMs: number;
}

/**
 * Why an utterance was not turned into a digit. "not-speech": no stretch of voiced speech in it
 * (a click, knock, breath or beep); "not-a-digit": the model's non-digit class won.
 */
export type RejectReason = "too-short" | "too-long" | "not-speech" | "low-confidence" | "not-a-digit";

export type EngineEvent =
  | {
      type: "started";
      /** "microphone", "file" or "stdin". */
      source: string;
      /** The device name, file path or "stdin". */
      name: string;
      sampleRate: number;
      channels: number;
      /** The input device, for microphone sources. */
      device?: string;
    }
  | {
      type: "level";
      /** End of the window the level covers (a whole number of the VAD's 10 ms frames). */
      t: number;
      /** Full-band RMS and sample peak over the window. */
      rmsDb: number;
      peakDb: number;
      /** Speech-band level of the window's last frame: the level the VAD compares with `thresholdDb`. */
      bandDb: number;
      noiseFloorDb: number;
      thresholdDb: number;
      /** An utterance is open (vad is "speech" or "hangover"). */
      speaking: boolean;
      /** The VAD's state after the window's last frame. */
      vad: VadState;
    }
  | { type: "speech-start"; t: number }
  | { type: "speech-end"; t: number; start: number; end: number }
  | {
      type: "prediction";
      digit: number;
      confidence: number;
      top: TopK[];
      start: number;
      end: number;
      latency: StageLatency;
    }
  | { type: "rejected"; reason: RejectReason; start: number; end: number; digit?: number; confidence?: number; top?: TopK[] }
  | { type: "dropped"; t: number; samples: number; total: number }
  | { type: "silence-warning"; t: number; seconds: number }
  /**
   * Samples that were NaN, infinite or far beyond full scale were repaired (zeroed or clipped)
   * before they reached the engine; `samples` since the last such event, `total` so far. Sent at
   * most once per second of stream time.
   */
  | { type: "repaired-samples"; t: number; samples: number; total: number }
  | { type: "device-error"; t: number; message: string; hint?: string }
  | { type: "stopped"; t: number; reason: "end-of-stream" | "stopped" | "error"; summary: EngineSummary };

/**
 * Not from the engine: what a front end that turns digits into numbers (`bun listen
 * --commit-after`, `bun start`) reports when a number is complete.
 */
export interface CommittedEvent {
  type: "committed";
  /** Stream time of the commit. */
  t: number;
  /** The digits of the number, e.g. "0435". */
  number: string;
  /** "pause": the entry pause ended it; "end-of-stream": the source ended. */
  reason: "pause" | "end-of-stream";
}

/** One line of `bun listen --json`. */
export type ListenEvent = EngineEvent | CommittedEvent;

export interface EngineSummary {
  seconds: number;
  utterances: number;
  predictions: number;
  rejected: number;
  droppedSamples: number;
  /** Input samples that were NaN, infinite or beyond ±SAMPLE_LIMIT and were repaired. */
  repairedSamples: number;
  digits: string;
}

export type EngineEventType = EngineEvent["type"];
export type EventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;
