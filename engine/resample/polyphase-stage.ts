import type { ResampleKernels } from "../wasm/kernels.ts";

/** Where a stage keeps its arrays: a region of a WebAssembly memory and the kernels on it. */
export interface StageMemory {
  buffer: ArrayBuffer;
  /** Byte offset of the stage's region (16-byte aligned), `PolyphaseStage.bytes(…)` long. */
  offset: number;
  kernels: ResampleKernels;
  /** Byte offset of 8 bytes of scratch (the rational kernel's position and phase). */
  state: number;
}

/**
 * One streaming rational resampling stage: upsample by `up`, filter with a linear-phase prototype,
 * keep every `down`-th sample, computed as a polyphase dot product per output sample.
 *
 * The stage is zero-phase in stream time: output n is the signal at input time n·down/up exactly
 * (the prototype's delay is absorbed by waiting for look-ahead input, not shifted into the
 * output). Input before the stream's start is taken as zeros. Each output is one fixed dot product
 * over the same samples whatever the block sizes, so the output is bit-identical for any blocking.
 *
 * Memory is allocated in the constructor only, in a region of the resampler's WebAssembly memory:
 * the phase table and a history of `taps - 1 + maxInput` samples. The dot products run in the
 * kernels `folded` and `polyphase` (engine/wasm/kernels.wat).
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
  private readonly hist: Float64Array;
  /** The whole memory, for copies from an earlier stage's buffer. */
  private readonly heap: Float64Array;
  private readonly kernels: ResampleKernels;
  private readonly tableAt: number;
  private readonly histAt: number;
  private readonly stateAt: number;
  /** The folded kernel's tap table, its scratch (the input split by phase) and the scratch's phase stride. */
  private readonly tapsAt: number;
  private readonly scratchAt: number;
  private readonly stride: number;
  private readonly state: Int32Array;
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

  /** Bytes of WebAssembly memory a stage of these dimensions needs (a multiple of 16). */
  static bytes(up: number, down: number, prototypeLength: number, maxInput: number): number {
    const taps = Math.ceil(prototypeLength / up);
    const history = taps - 1 + maxInput;
    const folded = up === 1 ? 16 * ((taps + 1) >> 1) + down * phaseStride(history, down) : 0;
    return align16(8 * up * taps) + align16(8 * history) + folded;
  }

  constructor(up: number, down: number, prototype: Float64Array, maxInput: number, memory: StageMemory) {
    if (prototype.length % 2 !== 1) throw new RangeError("prototype filter must have odd length");
    this.up = up;
    this.down = down;
    this.maxInput = maxInput;
    this.centre = (prototype.length - 1) / 2;
    const taps = Math.ceil(prototype.length / up);
    this.taps = taps;
    if (taps < Math.ceil(down / up)) throw new RangeError("prototype shorter than one output period");
    this.symmetric = up === 1;
    this.kernels = memory.kernels;
    this.tableAt = memory.offset;
    this.table = new Float64Array(memory.buffer, this.tableAt, up * taps);
    this.histAt = this.tableAt + align16(8 * up * taps);
    this.hist = new Float64Array(memory.buffer, this.histAt, taps - 1 + maxInput);
    this.heap = new Float64Array(memory.buffer);
    // the folded kernel's tap table and its scratch: the history split by phase (see kernels.wat)
    this.stride = phaseStride(taps - 1 + maxInput, down);
    this.tapsAt = this.histAt + align16(8 * (taps - 1 + maxInput));
    this.scratchAt = this.tapsAt + 16 * ((taps + 1) >> 1);
    this.stateAt = memory.state;
    this.state = new Int32Array(memory.buffer, memory.state, 2);
    for (let p = 0; p < up; p++) {
      for (let m = 0; m < taps; m++) {
        const k = p + m * up;
        // × up: zero-stuffing divides the signal's level by `up`.
        this.table[p * taps + (taps - 1 - m)] = k < prototype.length ? prototype[k] * up : 0;
      }
    }
    if (this.symmetric) {
      const half = (taps - 1) >> 1;
      const at = (t: number) => (t % down) * this.stride + 8 * Math.floor(t / down);
      const entries = new DataView(memory.buffer, this.tapsAt, 16 * (half + 1));
      for (let t = 0; t <= half; t++) {
        entries.setFloat64(16 * t, this.table[t]!, true);
        entries.setInt32(16 * t + 8, at(t), true);
        entries.setInt32(16 * t + 12, at(taps - 1 - t), true);
      }
    }
    this.stepWhole = Math.floor(down / up);
    this.stepFrac = down % up;
    this.lookahead = this.centre / up;
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
   * input, as float64, from byte offset `out` of the resampler's memory. Returns how many were
   * written (≤ maxOutputFor(n)).
   */
  process(input: Float32Array, inOff: number, n: number, out: number): number {
    const hist = this.hist;
    // Separate copy loops per input type keep each one monomorphic (a mixed loop is ~10x slower).
    for (let i = 0, j = this.fill; i < n; i++, j++) hist[j] = input[inOff + i];
    return this.accept(n, out);
  }

  /** `process` for the output of a previous stage: n samples at byte offset `input` of the memory. */
  processStage(input: number, n: number, out: number): number {
    this.heap.copyWithin((this.histAt >> 3) + this.fill, input >> 3, (input >> 3) + n);
    return this.accept(n, out);
  }

  private accept(n: number, out: number): number {
    this.fill += n;
    this.inCount += n;
    // An integer limit, not Infinity: a double here made JSC's top tier compile emit() 4x slower.
    return this.emit(out, 0x3fffffff);
  }

  /**
   * Ends the stream: feeds zeros until the output count reaches `total` (default: every output
   * whose time lies before the last input), writes them from byte offset `out` and returns how many.
   */
  finish(out: number, total = this.outputsFor(this.inCount)): number {
    let written = 0;
    while (this.outCount < total) {
      const room = Math.min(this.maxInput, this.hist.length - this.fill);
      this.hist.fill(0, this.fill, this.fill + room);
      this.fill += room;
      written += this.emit(out + 8 * written, total - this.outCount);
    }
    return written;
  }

  private emit(out: number, limit: number): number {
    const ahead = this.histStart + this.fill - this.newest; // inputs at or past the next output's newest
    let written = 0;
    if (ahead > 0 && limit > 0) {
      const at = this.newest - this.histStart;
      if (this.symmetric) {
        written = Math.min(limit, ((ahead + this.stepWhole - 1) / this.stepWhole) | 0);
        this.kernels.folded(this.histAt + 8 * (at - this.taps + 1), this.tapsAt, this.taps, this.stepWhole, written, out, this.scratchAt, this.stride);
        this.newest += written * this.stepWhole;
      } else {
        const { up, taps, stepWhole, stepFrac } = this;
        written = this.kernels.polyphase(this.histAt, this.tableAt, taps, up, stepWhole, stepFrac, at, this.phase, this.fill, limit, out, this.stateAt);
        this.newest = this.histStart + this.state[0]!;
        this.phase = this.state[1]!;
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

function align16(bytes: number): number {
  return (bytes + 15) & ~15;
}

/** Bytes between the phases of the folded kernel's scratch for a history of `history` samples. */
function phaseStride(history: number, step: number): number {
  return align16(8 * (Math.ceil(history / step) + 2));
}
