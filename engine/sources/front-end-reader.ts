import { statSync } from "node:fs";
import type { FrontEndBlocks } from "./audio-source.ts";
import { BLOCK_FIELDS, type FrontEndBatch, type FrontEndReply, type FrontEndRequest } from "./front-end-protocol.ts";

/** Engine blocks per batch the Worker hands over (each batch is one message each way: fewer, larger batches cost less). */
const BATCH_BLOCKS = 64;

/**
 * A WAV file's blocks through the engine's front end (read, mixed to mono, repaired, resampled)
 * on a Worker (front-end-worker.ts), taken block by block on the engine's thread. The Worker
 * starts reading at once and stays at most a few batches ahead, so memory does not depend on the
 * file's length. This module loads little, so a command can start the Worker before it loads
 * the engine and the model.
 */
export class FrontEndReader implements FrontEndBlocks {
  private worker: Worker | undefined;
  private readonly queue: FrontEndBatch[] = [];
  private current: FrontEndBatch | undefined;
  private index = 0;
  private offset = 0;
  private ended = false;
  private failure: string | undefined;
  private waiter: (() => void) | undefined;
  repaired = 0;
  outputSamples = 0;
  frontEndMs = 0;

  /** A reader of `path` when it is a regular file (else null: a pipe or device is no file to read ahead). */
  static forFile(path: string, outputRate: number, blockSize: number): FrontEndReader | null {
    try {
      if (path === "-" || !statSync(path).isFile()) return null;
    } catch {
      return null; // opening it says what is wrong with it
    }
    return new FrontEndReader(path, outputRate, blockSize);
  }

  constructor(
    readonly path: string,
    readonly outputRate: number,
    readonly blockSize: number,
  ) {
    const worker = new Worker(new URL("./front-end-worker.ts", import.meta.url).href);
    worker.onmessage = (event: MessageEvent<FrontEndReply>) => {
      const m = event.data;
      if (m.kind === "batch") this.queue.push(m.batch);
      else if (m.kind === "end") this.ended = true;
      else this.failure = m.message;
      this.waiter?.();
    };
    worker.onerror = (event) => {
      this.failure = event.message;
      this.waiter?.();
    };
    // a reader never keeps the process alive (a command that fails before reading exits)
    worker.unref();
    this.worker = worker;
    this.request({ kind: "start", path, outputRate, blockSize, batchBlocks: BATCH_BLOCKS });
  }

  private request(m: FrontEndRequest, transfer: Bun.Transferable[] = []): void {
    this.worker?.postMessage(m, transfer);
  }

  next(): number {
    if (this.failure !== undefined) throw new Error(`${this.path}: ${this.failure}`);
    let batch = this.current;
    if (batch && this.index + 1 < batch.count) {
      this.index++;
      this.offset += this.outputSamples;
    } else {
      if (batch) this.request({ kind: "return", batch }, [batch.samples.buffer, batch.blocks.buffer]);
      batch = this.current = this.queue.shift();
      if (!batch) {
        if (!this.ended) return 0;
        this.stop();
        return -1;
      }
      this.index = 0;
      this.offset = 0;
    }
    const at = this.index * BLOCK_FIELDS;
    const fields = batch.blocks;
    this.repaired = fields[at + 1]!;
    this.outputSamples = fields[at + 2]!;
    this.frontEndMs = fields[at + 3]!;
    return fields[at]!;
  }

  copyInto(dst: Float32Array): number {
    const src = this.current!.samples;
    const from = this.offset;
    const n = this.outputSamples;
    for (let i = 0; i < n; i++) dst[i] = src[from + i]!;
    return n;
  }

  wait(timeoutMs: number): Promise<void> {
    if (this.queue.length > 0 || this.ended || this.failure !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiter = done;
    });
  }

  /** Ends the Worker; the reader reports the end of the stream from then on. */
  stop(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.queue.length = 0;
    this.current = undefined;
    this.ended = true;
    this.waiter?.();
  }
}
