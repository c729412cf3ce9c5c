/** Samples the engine reads from a source per step unless told otherwise. */
export const DEFAULT_BLOCK_SIZE = 4096;

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
  /**
   * Starts reading ahead before `start` (while the caller loads a model, say), for an engine at
   * `outputRate` that reads `blockSize` samples a step. Only sources that read ahead have it.
   */
  prefetch?(outputRate: number, blockSize: number): void;
  /**
   * After `start`: the source's blocks with the engine's front end (sample repair, resampling to
   * `outputRate`) already run over them, `blockSize` input samples a block, e.g. on another
   * thread; null when the source has none, and the engine then reads and resamples itself.
   */
  frontEnd?(outputRate: number, blockSize: number): FrontEndBlocks | null;
}

/**
 * Blocks that the engine's front end has already processed: for each, what the engine would
 * have found had it read and resampled the block itself, so its events are the same.
 */
export interface FrontEndBlocks {
  /** Moves to the next block; returns its input samples, 0 when none is ready yet, −1 once the stream has ended and all were read. */
  next(): number;
  /**
   * Of the current block: samples repaired (NaN, infinite, far beyond full scale), its samples at
   * the engine's rate, and ms the front end spent on it.
   */
  readonly repaired: number;
  readonly outputSamples: number;
  readonly frontEndMs: number;
  /** Copies the current block's samples at the engine's rate into `dst`; returns how many. */
  copyInto(dst: Float32Array): number;
  /** Resolves when a block may be ready, or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<void>;
}
