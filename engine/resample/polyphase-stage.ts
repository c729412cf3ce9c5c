import { type FoldedKernel, dot, foldedKernel } from "./kernels.ts";

/**
 * One streaming rational resampling stage: upsample by `up`, filter with a linear-phase prototype,
 * keep every `down`-th sample, computed as a polyphase dot product per output sample.
 *
 * The stage is zero-phase in stream time: output n is the signal at input time n·down/up exactly
 * (the prototype's delay is absorbed by waiting for look-ahead input, not shifted into the
 * output). Input before the stream's start is taken as zeros. Each output is one fixed dot product
 * over the same samples whatever the block sizes, so the output is bit-identical for any blocking.
 *
 * Memory is allocated in the constructor only: a history of `taps - 1 + maxInput` samples.
 */
export class PolyphaseStage {
  readonly up: number;
  readonly down: number;
  /** Taps per phase (per output sample). */
  readonly taps: number;
  /** Look-ahead in input samples: how far past an output's time its last input sample lies. */
  readonly lookahead: number;
  /** Longest input accepted per `process` call. */
  readonly maxInput: number;

  private readonly centre: number;
  private readonly symmetric: boolean;
  /** Phase-major coefficients, reversed so `table[p * taps + i]` multiplies `hist[base + i]`. */
  private readonly table: Float64Array;
  private readonly hist: Float64Array; // Float64: measurably faster dot products in JSC than Float32
  /** The inner loop, specialised for this filter (see kernels.ts). */
  private readonly folded: FoldedKernel | undefined;
  private readonly stepWhole: number;
  private readonly stepFrac: number;
  /** Global input index of `hist[0]` (negative at the start: zeros before the stream). */
  private histStart = 0;
  private fill = 0;
  /** Global index of the newest input sample the next output needs, and its polyphase phase. */
  private newest = 0;
  private phase = 0;
  private inCount = 0;
  private outCount = 0;

  constructor(up: number, down: number, prototype: Float64Array, maxInput: number) {
    if (prototype.length % 2 !== 1) throw new RangeError("prototype filter must have odd length");
    this.up = up;
    this.down = down;
    this.maxInput = maxInput;
    this.centre = (prototype.length - 1) / 2;
    const taps = Math.ceil(prototype.length / up);
    this.taps = taps;
    if (taps < Math.ceil(down / up)) throw new RangeError("prototype shorter than one output period");
    this.symmetric = up === 1;
    this.table = new Float64Array(up * taps);
    for (let p = 0; p < up; p++) {
      for (let m = 0; m < taps; m++) {
        const k = p + m * up;
        // × up: zero-stuffing divides the signal's level by `up`.
        this.table[p * taps + (taps - 1 - m)] = k < prototype.length ? prototype[k] * up : 0;
      }
    }
    if (this.symmetric) this.folded = foldedKernel(this.table);
    this.stepWhole = Math.floor(down / up);
    this.stepFrac = down % up;
    this.lookahead = this.centre / up;
    this.hist = new Float64Array(taps - 1 + maxInput);
    this.reset();
  }

  reset(): void {
    this.newest = Math.floor(this.centre / this.up);
    this.phase = this.centre % this.up;
    this.histStart = Math.min(0, this.newest - this.taps + 1);
    this.fill = -this.histStart;
    this.hist.fill(0);
    this.inCount = 0;
    this.outCount = 0;
  }

  /** Upper bound on the outputs `process` returns for `n` inputs. */
  maxOutputFor(n: number): number {
    return Math.ceil((n * this.up) / this.down);
  }

  /** Outputs the stream of `inputs` samples holds: those whose time lies before its end. */
  outputsFor(inputs: number): number {
    return Math.ceil((inputs * this.up) / this.down);
  }

  get inputs(): number {
    return this.inCount;
  }

  get outputs(): number {
    return this.outCount;
  }

  /**
   * Consumes `input[inOff .. inOff + n)` (n ≤ maxInput) and writes every output that has all its
   * input into `out` from `outOff`. Returns how many were written (≤ maxOutputFor(n)).
   */
  process(input: Float32Array, inOff: number, n: number, out: Float64Array, outOff: number): number {
    const hist = this.hist;
    // Separate copy loops per input type keep each one monomorphic (a mixed loop is ~10x slower).
    for (let i = 0, j = this.fill; i < n; i++, j++) hist[j] = input[inOff + i];
    return this.accept(n, out, outOff);
  }

  /** `process` for the output of a previous stage. */
  processStage(input: Float64Array, inOff: number, n: number, out: Float64Array, outOff: number): number {
    const hist = this.hist;
    for (let i = 0, j = this.fill; i < n; i++, j++) hist[j] = input[inOff + i];
    return this.accept(n, out, outOff);
  }

  private accept(n: number, out: Float64Array, outOff: number): number {
    this.fill += n;
    this.inCount += n;
    // An integer limit, not Infinity: a double here made JSC's top tier compile emit() 4x slower.
    return this.emit(out, outOff, 0x3fffffff);
  }

  /**
   * Ends the stream: feeds zeros until the output count reaches `total` (default: every output
   * whose time lies before the last input), writes them to `out` and returns how many.
   */
  finish(out: Float64Array, outOff: number, total = this.outputsFor(this.inCount)): number {
    let written = 0;
    while (this.outCount < total) {
      const room = Math.min(this.maxInput, this.hist.length - this.fill);
      this.hist.fill(0, this.fill, this.fill + room);
      this.fill += room;
      written += this.emit(out, outOff + written, total - this.outCount);
    }
    return written;
  }

  private emit(out: Float64Array, outOff: number, limit: number): number {
    const ahead = this.histStart + this.fill - this.newest; // inputs at or past the next output's newest
    let written = 0;
    if (ahead > 0 && limit > 0) {
      const base = this.newest - this.taps + 1 - this.histStart;
      if (this.symmetric) {
        written = Math.min(limit, ((ahead + this.stepWhole - 1) / this.stepWhole) | 0);
        this.folded!(this.hist, base, this.stepWhole, written, out, outOff);
        this.newest += written * this.stepWhole;
      } else {
        const end = this.histStart + this.fill;
        let newest = this.newest;
        let phase = this.phase;
        const { up, taps, hist, table, stepWhole, stepFrac } = this;
        const offset = 1 - taps - this.histStart;
        while (newest < end && written < limit) {
          out[outOff + written++] = dot(hist, table, phase * taps, newest + offset, taps);
          newest += stepWhole;
          phase += stepFrac;
          if (phase >= up) {
            phase -= up;
            newest++;
          }
        }
        this.newest = newest;
        this.phase = phase;
      }
    }
    this.outCount += written;
    // Keep only the history the next output needs (at most taps - 1 samples).
    const keep = this.newest - this.taps + 1 - this.histStart;
    if (keep > 0) {
      this.hist.copyWithin(0, keep, this.fill);
      this.fill -= keep;
      this.histStart += keep;
    }
    return written;
  }
}
