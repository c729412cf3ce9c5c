import { describe, expect, test } from "bun:test";
import { FloatRingBuffer } from "../engine/ring-buffer.ts";
import { sampleAt, type RingWriterRequest } from "./support/ring-writer-worker.ts";

const ramp = (from: number, n: number) => Float32Array.from({ length: n }, (_, i) => from + i);

describe("FloatRingBuffer", () => {
  test("rounds the capacity up to a power of two and starts empty", () => {
    const ring = FloatRingBuffer.create(1000);
    expect(ring.capacity).toBe(1024);
    expect(ring.available()).toBe(0);
    expect(ring.freeSpace()).toBe(1024);
    expect(ring.read(new Float32Array(8))).toBe(0);
    expect(FloatRingBuffer.bytesFor(1000)).toBe(ring.buffer.byteLength);
  });

  test("keeps order across many wrap-arounds", () => {
    const ring = FloatRingBuffer.create(16);
    const out = new Float32Array(16);
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 50; round++) {
      const n = 1 + ((round * 7) % 13); // uneven sizes so the wrap point moves around
      expect(ring.write(ramp(next, n))).toBe(n);
      next += n;
      const got = ring.read(out, 0, 1 + ((round * 5) % 16));
      for (let i = 0; i < got; i++) expect(out[i]).toBe(expected++);
      // drain whatever is left so the next write always fits
      let more;
      while ((more = ring.read(out)) > 0) for (let i = 0; i < more; i++) expect(out[i]).toBe(expected++);
    }
    expect(expected).toBe(next);
    expect(ring.framesWritten).toBe(next);
    expect(ring.droppedSamples).toBe(0);
  });

  test("reads into a caller's array at an offset, and never more than asked", () => {
    const ring = FloatRingBuffer.create(8);
    ring.write(ramp(1, 6));
    const dst = new Float32Array(10).fill(-1);
    expect(ring.read(dst, 4, 3)).toBe(3);
    expect(Array.from(dst)).toEqual([-1, -1, -1, -1, 1, 2, 3, -1, -1, -1]);
    expect(ring.read(dst, 8)).toBe(2); // only room for two
    expect(Array.from(dst.subarray(8))).toEqual([4, 5]);
    expect(ring.available()).toBe(1);
    expect(ring.skip(5)).toBe(1);
    expect(ring.available()).toBe(0);
  });

  test("when full, drops the incoming samples and counts them", () => {
    const ring = FloatRingBuffer.create(8);
    expect(ring.write(ramp(0, 5))).toBe(5);
    expect(ring.write(ramp(5, 5))).toBe(3); // 3 fit, 2 dropped
    expect(ring.write(ramp(10, 4))).toBe(0); // all 4 dropped
    expect(ring.droppedSamples).toBe(6);
    expect(ring.framesWritten).toBe(8);
    const out = new Float32Array(8);
    expect(ring.read(out)).toBe(8);
    expect(Array.from(out)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]); // the oldest samples survive
    expect(ring.write(ramp(100, 2))).toBe(2);
    expect(ring.read(out)).toBe(2);
    expect(Array.from(out.subarray(0, 2))).toEqual([100, 101]);
    expect(ring.framesWritten).toBe(10);
  });

  test("indices that pass 2^31 and 2^32 (a stream of many hours) keep working", () => {
    for (const start of [2 ** 31 - 5, -5]) {
      // as i32: just below 2^31, and just below 2^32
      const ring = FloatRingBuffer.create(16);
      const header = new Int32Array(ring.buffer, 0, 2); // [write index, read index]
      header[0] = start;
      header[1] = start;
      const out = new Float32Array(16);
      let expected = 0;
      for (let k = 0; k < 6; k++) {
        expect(ring.write(ramp(k * 10, 10))).toBe(10);
        expect(ring.available()).toBe(10);
        expect(ring.read(out)).toBe(10);
        for (let i = 0; i < 10; i++) expect(out[i]).toBe(expected++);
      }
      expect(ring.write(ramp(0, 20))).toBe(16);
      expect(ring.droppedSamples).toBe(4);
    }
  });

  test("a second view on the same SharedArrayBuffer sees the same state", () => {
    const producer = FloatRingBuffer.create(32);
    const consumer = new FloatRingBuffer(producer.buffer);
    producer.write(ramp(0, 40));
    expect(consumer.available()).toBe(32);
    expect(consumer.droppedSamples).toBe(8);
    producer.close();
    expect(consumer.closed).toBe(true);
  });

  test("refuses memory that is not a ring, and impossible capacities", () => {
    expect(() => new FloatRingBuffer(new SharedArrayBuffer(256))).toThrow(/does not hold a ring/);
    expect(() => FloatRingBuffer.create(0)).toThrow(RangeError);
    expect(() => FloatRingBuffer.create(2 ** 31)).toThrow(RangeError);
  });

  test("waitForData resolves on data, on close, and on timeout", async () => {
    const ring = FloatRingBuffer.create(8);
    expect(await ring.waitForData(1)).toBe(0); // timed out, nothing there
    const other = new FloatRingBuffer(ring.buffer);
    const pending = ring.waitForData(5000);
    other.write(ramp(0, 3));
    expect(await pending).toBe(3);
    ring.skip(3);
    const closing = ring.waitForData(5000);
    other.close();
    expect(await closing).toBe(0);
  });
});

function runWriter(request: RingWriterRequest): Worker {
  const worker = new Worker(new URL("./support/ring-writer-worker.ts", import.meta.url).href);
  worker.postMessage(request);
  return worker;
}

describe("FloatRingBuffer across a Bun Worker", () => {
  test("a worker writes 200 000 samples through a 1024-sample ring; main reads them all, identical", async () => {
    const ring = FloatRingBuffer.create(1024);
    const total = 200_000;
    const worker = runWriter({ buffer: ring.buffer, total, block: 160, mode: "wait" });
    const got = new Float32Array(total);
    let n = 0;
    while (!(ring.closed && ring.available() === 0)) {
      await ring.waitForData(1000);
      n += ring.read(got, n);
    }
    worker.terminate();
    expect(n).toBe(total);
    let mismatches = 0;
    for (let i = 0; i < total; i++) if (got[i] !== sampleAt(i)) mismatches++;
    expect(mismatches).toBe(0);
    expect(ring.framesWritten).toBe(total);
    expect(ring.droppedSamples).toBe(0);
  });

  test("a worker flooding a ring nobody reads: the overrun counter says exactly how much was lost", async () => {
    const ring = FloatRingBuffer.create(4096);
    const total = 50_000;
    const worker = runWriter({ buffer: ring.buffer, total, block: 441, mode: "flood" });
    while (!ring.closed) await ring.waitForData(1000);
    worker.terminate();
    expect(ring.framesWritten).toBe(4096);
    expect(ring.droppedSamples).toBe(total - 4096);
    const got = new Float32Array(4096);
    expect(ring.read(got)).toBe(4096);
    for (let i = 0; i < 4096; i++) expect(got[i]).toBe(sampleAt(i));
  });
});
