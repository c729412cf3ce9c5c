/**
 * `predictFile` (batch-predict.ts) over many files on every core: the calling thread and
 * `workers` Workers take chunks of files from one queue, each file read and predicted on its own
 * (from disk in blocks: no file's audio outlives its prediction), and results are handed on in
 * input order as soon as every earlier one is known.
 */
import type { ClipRecognizer } from "./clip-recognizer.ts";
import { type FilePrediction, predictFile } from "./batch-predict.ts";
import type { ModelFile } from "./model-file.ts";
import type { BatchReply, BatchRequest } from "./parallel-predict-worker.ts";
import { toPortable } from "./packed-matrix.ts";

export interface ParallelOptions {
  /** Most probable digits listed per file. */
  k: number;
  /** Workers beside the calling thread (0: the calling thread alone). */
  workers: number;
  /** Files per queue entry: small enough to share the tail out, large enough to keep messages rare. */
  chunk?: number;
  /** Called with each file's prediction, in input order. */
  onResult: (p: FilePrediction, index: number) => void;
}

/** A pause that lets Worker messages in between two chunks of the calling thread's own work. */
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Predicts `files` in chunks on this thread and on Workers (given the already validated model, not its path). */
export async function predictFilesInParallel(recognizer: ClipRecognizer, model: ModelFile, files: string[], o: ParallelOptions): Promise<void> {
  const chunk = o.chunk ?? 32;
  const pending = new Map<number, FilePrediction[]>();
  let next = 0;
  let emitted = 0;
  const take = (): [number, string[]] | null => {
    if (next >= files.length) return null;
    const start = next;
    next = Math.min(files.length, next + chunk);
    return [start, files.slice(start, next)];
  };
  const finished = (start: number, rows: FilePrediction[]) => {
    pending.set(start, rows);
    for (let ready = pending.get(emitted); ready; ready = pending.get(emitted)) {
      pending.delete(emitted);
      for (const p of ready) o.onResult(p, emitted++);
    }
  };

  const pool = files.length > chunk ? Math.max(0, o.workers) : 0;
  const portable = pool > 0 ? { ...model, layers: toPortable(model.layers) } : undefined;
  const workers = Array.from({ length: pool }, () => new Worker(new URL("./parallel-predict-worker.ts", import.meta.url).href));
  const drained = workers.map(
    (worker) =>
      new Promise<void>((resolve, reject) => {
        const feed = () => {
          const job = take();
          if (!job) return resolve();
          worker.postMessage({ kind: "files", start: job[0], files: job[1] } satisfies BatchRequest);
        };
        worker.onmessage = (event: MessageEvent<BatchReply>) => {
          const m = event.data;
          if (m.kind === "results") finished(m.start, m.rows);
          if (m.kind === "failed") return reject(new Error(`batch worker: ${m.message}`));
          feed();
        };
        worker.onerror = (event) => reject(new Error(`batch worker: ${event.message}`));
        worker.postMessage({ kind: "model", model: portable!, k: o.k } satisfies BatchRequest);
      }),
  );
  try {
    for (let job = take(); job; job = take()) {
      const [start, chunkFiles] = job;
      const rows: FilePrediction[] = [];
      for (const f of chunkFiles) rows.push(await predictFile(recognizer, f, o.k));
      finished(start, rows);
      if (pool > 0) await yieldToEvents();
    }
    await Promise.all(drained);
  } finally {
    for (const w of workers) w.terminate();
  }
}
