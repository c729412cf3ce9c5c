import { statSync } from "node:fs";
import type { ParquetReply, ParquetRequest } from "./parquet-worker.ts";

export interface ParquetReadLimits {
  /** Give up after this long (a corrupt page header can loop forever inside the reader). */
  timeoutMs: number;
  /** Give up when this process grows beyond this many bytes of resident memory. */
  maxRssBytes: number;
  maxPageBytes: number;
}

/**
 * Ten times what the FSDD files need on a loaded machine (the 17 MB train split reads in 0.4 s,
 * about 20 ms per MB), and a stop within seconds for a file that sends the reader into a loop.
 */
export function defaultLimits(fileBytes: number): ParquetReadLimits {
  return { timeoutMs: 2000 + fileBytes / 3000, maxRssBytes: 1.5e9, maxPageBytes: 256 * 1024 * 1024 };
}

/**
 * The rows of `columns` of a parquet file, read in a worker thread that is stopped when it runs
 * longer or grows larger than `limits` allow. Rejects with a plain Error saying why; the caller
 * names the file.
 */
export async function readParquetRows(file: string, columns: string[], limits = defaultLimits(statSync(file).size)): Promise<Record<string, unknown>[]> {
  const worker = new Worker(new URL("./parquet-worker.ts", import.meta.url).href);
  let watch: ReturnType<typeof setInterval> | undefined;
  try {
    return await new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const started = performance.now();
      worker.onmessage = (e: MessageEvent<ParquetReply>) => ("rows" in e.data ? resolve(e.data.rows) : reject(new Error(e.data.error)));
      worker.onerror = (e) => reject(new Error(e.message));
      watch = setInterval(() => {
        if (performance.now() - started > limits.timeoutMs) reject(new Error(`reading did not finish within ${(limits.timeoutMs / 1000).toFixed(0)} s`));
        else if (process.memoryUsage.rss() > limits.maxRssBytes)
          reject(new Error(`reading needed more than ${(limits.maxRssBytes / 1e9).toFixed(1)} GB of memory`));
      }, 25);
      worker.postMessage({ file, columns, maxPageBytes: limits.maxPageBytes } satisfies ParquetRequest);
    });
  } finally {
    clearInterval(watch);
    await worker.terminate();
  }
}
