export type SourceKind = "microphone" | "file" | "stdin";

export interface SourceInfo {
  kind: SourceKind;
  /** What to show the user: a device name, a file path, "stdin". */
  name: string;
  /** Rate of the mono samples that `read` returns. */
  sampleRate: number;
  /** Channels of the original input (they are mixed to mono before `read`). */
  channels: number;
  /** True when samples arrive at the pace of a clock (microphone, real-time file playback). */
  realtime: boolean;
}

export interface SourceError {
  message: string;
  hint?: string;
}

/**
 * Where the engine's audio comes from. Every source delivers mono float samples at its own
 * rate; the engine resamples. Real-time sources fill a ring buffer from a producer (a capture
 * thread, a timer, a pipe) and `read` drains it.
 */
export interface AudioSource {
  start(): Promise<SourceInfo>;
  /** Copies up to `dst.length` samples into `dst`; returns how many, 0 if none is ready yet, −1 once the stream has ended and all was read. */
  read(dst: Float32Array): number;
  /** Resolves when samples may be ready, or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<void>;
  /** Samples captured but not yet read (how far the engine is behind the producer). */
  backlog(): number;
  /** Samples lost because the consumer fell behind (ring overruns, device overflows). */
  droppedSamples(): number;
  stop(): Promise<void>;
  /** Calls `listener` when the running source fails (device lost, pipe error). */
  onError(listener: (error: SourceError) => void): () => void;
}
