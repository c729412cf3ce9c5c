/**
 * Reads the rows of a parquet file in a worker thread for parquet-read.ts, so that a corrupt file
 * that sends the reader into an endless loop can be stopped from the main thread.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, snappyUncompress } from "hyparquet";

declare const self: Worker;

export interface ParquetRequest {
  file: string;
  columns: string[];
  /** A page that claims to decompress to more than this is refused before it is allocated. */
  maxPageBytes: number;
}

export type ParquetReply = { rows: Record<string, unknown>[] } | { error: string };

self.onmessage = async (event: MessageEvent<ParquetRequest>) => {
  const { file, columns, maxPageBytes } = event.data;
  try {
    const buffer = await asyncBufferFromFile(file);
    const metadata = await parquetMetadataAsync(buffer);
    const SNAPPY = (input: Uint8Array, outputLength: number) => {
      if (!(outputLength >= 0 && outputLength <= maxPageBytes)) throw new Error(`a page claims ${outputLength} bytes uncompressed (at most ${maxPageBytes})`);
      const out = new Uint8Array(outputLength);
      snappyUncompress(input, out);
      return out;
    };
    const rows = (await parquetReadObjects({ file: buffer, metadata, columns, utf8: false, compressors: { SNAPPY } })) as Record<string, unknown>[];
    self.postMessage({ rows } satisfies ParquetReply);
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.message : String(err) } satisfies ParquetReply);
  }
};
