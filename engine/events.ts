/**
 * Everything the streaming engine tells its front ends (Ink UI, `bun listen`, JSONL, tests).
 * Times are stream times in seconds from the first sample of the source; levels are dBFS.
 */

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
  | { type: "level"; t: number; rmsDb: number; peakDb: number; noiseFloorDb: number; thresholdDb: number; speaking: boolean }
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
  | { type: "device-error"; t: number; message: string; hint?: string }
  | { type: "stopped"; t: number; reason: "end-of-stream" | "stopped" | "error"; summary: EngineSummary };

export interface EngineSummary {
  seconds: number;
  utterances: number;
  predictions: number;
  rejected: number;
  droppedSamples: number;
  digits: string;
}

export type EngineEventType = EngineEvent["type"];
export type EventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;
