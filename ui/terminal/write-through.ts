/**
 * Blocking writes to a file descriptor, for output that must all arrive. Bun's process.stdout keeps
 * what a slow pipe reader has not taken yet (past the 64 KB pipe buffer) in a queue that
 * process.exit drops, and once process.stdout has been touched the descriptor is non-blocking, so
 * a plain writeSync fails with EAGAIN: this one waits for the reader instead, which also paces a
 * faster-than-real-time run (`--fast`) to it.
 */
import { writeSync } from "node:fs";

const RETRY_MS = 2;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function writeAllSync(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
      Atomics.wait(sleeper, 0, 0, RETRY_MS);
    }
  }
}
