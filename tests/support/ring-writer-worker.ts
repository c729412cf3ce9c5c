// Test worker: the producer side of a FloatRingBuffer in a real Bun Worker. It writes the
// deterministic sequence `sampleAt(i)` in blocks, then closes the ring.
//   { mode: "wait" }: waits for free space, so every sample arrives (the consumer must keep reading)
//   { mode: "flood" }: never waits, like the capture worker; what does not fit is dropped
import { FloatRingBuffer } from "../../engine/ring-buffer.ts";

declare const self: Worker;

export interface RingWriterRequest {
  buffer: SharedArrayBuffer;
  total: number;
  block: number;
  mode: "wait" | "flood";
}

export function sampleAt(i: number): number {
  return Math.fround(Math.sin(i * 0.01) * 0.5 + (i % 7) * 0.01);
}

self.onmessage = (event: MessageEvent<RingWriterRequest>) => {
  const { buffer, total, block, mode } = event.data;
  const ring = new FloatRingBuffer(buffer);
  const chunk = new Float32Array(block);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let sent = 0; sent < total; ) {
    const n = Math.min(block, total - sent);
    for (let i = 0; i < n; i++) chunk[i] = sampleAt(sent + i);
    if (mode === "wait") while (ring.freeSpace() < n) Atomics.wait(pause, 0, 0, 1);
    ring.write(chunk, 0, n);
    sent += n;
  }
  ring.close();
  self.postMessage("done");
};
