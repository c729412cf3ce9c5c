/**
 * A single-producer single-consumer ring of Float32 samples on a SharedArrayBuffer, so that a
 * capture Worker (producer) and the engine on the main thread (consumer) share it without copies
 * or messages. Writes never block: when the ring is full the samples that do not fit are dropped
 * and counted, because a capture thread that waits would lose audio at the device instead.
 *
 * Layout of the shared memory (byte offsets):
 *   0  i32 write index   (samples stored, modulo 2^32; only the producer stores it)
 *   4  i32 read index    (samples consumed, modulo 2^32; only the consumer stores it)
 *   8  i32 stats sequence (odd while the producer updates the f64 totals below)
 *  12  i32 closed flag   (1 once the producer has finished: no more samples will come)
 *  16  i32 capacity
 *  20  i32 magic
 *  32  f64 framesWritten (total samples stored since creation)
 *  40  f64 droppedSamples (total samples dropped because the ring was full)
 *  64  f32[capacity] samples
 */

const HEADER_BYTES = 64;
const MAGIC = 0x52494e47; // "RING"
const I_WRITE = 0;
const I_READ = 1;
const I_SEQ = 2;
const I_CLOSED = 3;
const I_CAPACITY = 4;
const I_MAGIC = 5;
const F_WRITTEN = 4; // f64 index: byte 32
const F_DROPPED = 5; // f64 index: byte 40

/** Largest capacity: indices are compared modulo 2^32, so the ring must stay below 2^31. */
export const MAX_RING_CAPACITY = 2 ** 30;

export class FloatRingBuffer {
  /** The shared memory; post it to a Worker and rebuild the ring there with `new FloatRingBuffer(buffer)`. */
  readonly buffer: SharedArrayBuffer;
  /** Number of samples the ring holds (a power of two). */
  readonly capacity: number;
  private readonly mask: number;
  private readonly header: Int32Array;
  private readonly totals: Float64Array;
  private readonly data: Float32Array;

  /** Bytes of shared memory a ring of `capacity` samples needs (capacity rounded up to a power of two). */
  static bytesFor(capacity: number): number {
    return HEADER_BYTES + roundUpToPowerOfTwo(capacity) * 4;
  }

  /** A new ring holding at least `capacity` samples (rounded up to a power of two). */
  static create(capacity: number): FloatRingBuffer {
    const size = roundUpToPowerOfTwo(capacity);
    const sab = new SharedArrayBuffer(HEADER_BYTES + size * 4);
    const header = new Int32Array(sab, 0, HEADER_BYTES / 4);
    header[I_CAPACITY] = size;
    header[I_MAGIC] = MAGIC;
    return new FloatRingBuffer(sab);
  }

  /** Attaches to a ring made by `FloatRingBuffer.create` (typically in another thread). */
  constructor(buffer: SharedArrayBuffer) {
    if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < HEADER_BYTES) {
      throw new TypeError("FloatRingBuffer: expected the SharedArrayBuffer of a ring made by FloatRingBuffer.create()");
    }
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    const capacity = Atomics.load(this.header, I_CAPACITY);
    if (Atomics.load(this.header, I_MAGIC) !== MAGIC || buffer.byteLength !== HEADER_BYTES + capacity * 4) {
      throw new TypeError("FloatRingBuffer: the SharedArrayBuffer does not hold a ring made by FloatRingBuffer.create()");
    }
    this.buffer = buffer;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.totals = new Float64Array(buffer, 0, HEADER_BYTES / 8);
    this.data = new Float32Array(buffer, HEADER_BYTES, capacity);
  }

  /** Samples waiting to be read. */
  available(): number {
    return (Atomics.load(this.header, I_WRITE) - Atomics.load(this.header, I_READ)) >>> 0;
  }

  /** Samples that can be written before the ring is full. */
  freeSpace(): number {
    return this.capacity - this.available();
  }

  /**
   * Producer: appends `src[start, end)`. Returns how many samples were stored; the rest did not
   * fit, were dropped and are added to `droppedSamples`. Never blocks, never allocates.
   */
  write(src: Float32Array, start = 0, end = src.length): number {
    const count = Math.max(0, end - start);
    const w = Atomics.load(this.header, I_WRITE);
    const r = Atomics.load(this.header, I_READ);
    const free = this.capacity - ((w - r) >>> 0);
    const n = count < free ? count : free;
    // Seqlock: the consumer retries while the sequence is odd or changed under it, so it never
    // sees a torn pair of f64 totals (Atomics cannot operate on f64). The totals are updated
    // before the index is published, so a reader's count never runs ahead of framesWritten.
    Atomics.add(this.header, I_SEQ, 1);
    this.totals[F_WRITTEN] = this.totals[F_WRITTEN]! + n;
    this.totals[F_DROPPED] = this.totals[F_DROPPED]! + (count - n);
    Atomics.add(this.header, I_SEQ, 1);
    if (n > 0) {
      const data = this.data;
      const mask = this.mask;
      // Element loops rather than set(subarray()): no view object per block.
      for (let i = 0; i < n; i++) data[(w + i) & mask] = src[start + i]!;
      // Publishing the index after the copy makes the samples visible to the consumer.
      Atomics.store(this.header, I_WRITE, (w + n) | 0);
    }
    Atomics.notify(this.header, I_WRITE);
    return n;
  }

  /**
   * Consumer: moves up to `dst.length - offset` samples (and at most `max`) into `dst` starting
   * at `offset`. Returns how many were read (0 when empty). Never blocks, never allocates.
   */
  read(dst: Float32Array, offset = 0, max = dst.length - offset): number {
    const w = Atomics.load(this.header, I_WRITE);
    const r = Atomics.load(this.header, I_READ);
    const avail = (w - r) >>> 0;
    const n = Math.max(0, Math.min(avail, max, dst.length - offset));
    if (n === 0) return 0;
    const data = this.data;
    const mask = this.mask;
    for (let i = 0; i < n; i++) dst[offset + i] = data[(r + i) & mask]!;
    Atomics.store(this.header, I_READ, (r + n) | 0);
    return n;
  }

  /** Consumer: discards up to `count` waiting samples; returns how many were discarded. */
  skip(count: number): number {
    const w = Atomics.load(this.header, I_WRITE);
    const r = Atomics.load(this.header, I_READ);
    const n = Math.max(0, Math.min((w - r) >>> 0, count));
    Atomics.store(this.header, I_READ, (r + n) | 0);
    return n;
  }

  /** Total samples ever stored (not counting dropped ones). */
  get framesWritten(): number {
    return this.readTotal(F_WRITTEN);
  }

  /** Total samples dropped because the ring was full (the overrun counter). */
  get droppedSamples(): number {
    return this.readTotal(F_DROPPED);
  }

  /** Producer: marks the end of the stream; wakes a consumer waiting in `waitForData`. */
  close(): void {
    Atomics.store(this.header, I_CLOSED, 1);
    Atomics.notify(this.header, I_WRITE);
  }

  /** True once the producer has called `close()` (samples may still be waiting to be read). */
  get closed(): boolean {
    return Atomics.load(this.header, I_CLOSED) === 1;
  }

  /**
   * Consumer: resolves when samples are waiting, the ring is closed, or `timeoutMs` has passed,
   * without blocking the thread. Resolves with the number of samples available.
   */
  async waitForData(timeoutMs: number): Promise<number> {
    const w = Atomics.load(this.header, I_WRITE);
    if ((w - Atomics.load(this.header, I_READ)) >>> 0 > 0 || this.closed) return this.available();
    const waited = Atomics.waitAsync(this.header, I_WRITE, w, timeoutMs);
    if (waited.async) await waited.value;
    return this.available();
  }

  private readTotal(index: number): number {
    for (;;) {
      const before = Atomics.load(this.header, I_SEQ);
      if (before & 1) continue;
      const value = this.totals[index]!;
      if (Atomics.load(this.header, I_SEQ) === before) return value;
    }
  }
}

function roundUpToPowerOfTwo(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_RING_CAPACITY) {
    throw new RangeError(`FloatRingBuffer: capacity must be an integer between 1 and ${MAX_RING_CAPACITY}, got ${n}`);
  }
  return 2 ** Math.ceil(Math.log2(n));
}
