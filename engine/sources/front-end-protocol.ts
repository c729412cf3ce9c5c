/** The messages between `ReadAheadFileSource` and its Worker (front-end-worker.ts). */

/** Numbers per block in `FrontEndBatch.blocks`: input samples, samples repaired, samples out, ms of work. */
export const BLOCK_FIELDS = 4;

/**
 * Consecutive engine blocks after the front end: their resampled samples one after another in
 * `samples`, and per block the BLOCK_FIELDS numbers in `blocks`. Moved between the threads, not
 * copied; the engine's thread gives each back once read, for the Worker to fill again.
 */
export interface FrontEndBatch {
  samples: Float32Array<ArrayBuffer>;
  blocks: Float64Array<ArrayBuffer>;
  count: number;
}

export type FrontEndRequest =
  | { kind: "start"; path: string; outputRate: number; blockSize: number; batchBlocks: number }
  | { kind: "return"; batch: FrontEndBatch }
  | { kind: "stop" };

export type FrontEndReply = { kind: "batch"; batch: FrontEndBatch } | { kind: "end" } | { kind: "failed"; message: string };
