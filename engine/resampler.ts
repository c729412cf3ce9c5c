import { planStages } from "./resample/plan.ts";
import { PolyphaseStage } from "./resample/polyphase-stage.ts";
import type { ResampleKernels } from "./wasm/kernels.ts";
import { type KernelMemory, acquireKernelMemory, releaseKernelMemory } from "./wasm/memory-pool.ts";

/**
 * Streaming sample-rate conversion to the recognizer's rate (8 kHz by default).
 *
 * Response (for a target of 8 kHz; every edge scales with the target rate):
 * - flat to 3.4 kHz within 0.3 dB,
 * - at least 60 dB down from 4 kHz (the output Nyquist) up to the input Nyquist,
 * - linear phase, delay-compensated: output sample n is the input signal at time n / outputRate,
 *   exactly, so stream times need no correction. The price is look-ahead: the output for time t is
 *   emitted once input up to t + `latencySeconds` has arrived (about 2.5 ms from 48 kHz).
 * - Output does not depend on how the input is cut into blocks (bit-identical).
 * - Upsampling (input below the output rate) keeps 0..0.425·inputRate and stops above inputRate/2.
 *
 * Stages are planned by `resample/plan.ts`; each is a `PolyphaseStage`. A resampler's stages keep
 * their filters, histories and the buffers between them in one WebAssembly memory of its own,
 * sized once at construction, where the kernels compute their dot products.
 */

/** Input samples handled per internal step; fixes the intermediate buffers' size. */
const CHUNK = 1024;

export interface ResamplerOptions {
  /** Output rate in Hz (default 8000). */
  outputRate?: number;
  /**
   * Largest input block `process()` is expected to see; its internal output buffer is sized for it
   * and grows (one allocation) only if a larger block arrives. `processInto` never allocates.
   */
  maxBlock?: number;
}

function checkRate(name: string, rate: number): void {
  if (!Number.isInteger(rate) || rate < 1000 || rate > 1_000_000) {
    throw new RangeError(`${name} must be an integer number of Hz in 1000..1000000, got ${rate}`);
  }
}

export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /**
   * Look-ahead: the output sample for stream time t is emitted once input up to
   * t + latencySeconds has been processed. Not a timing offset (timing is compensated).
   */
  readonly latencySeconds: number;
  private readonly stages: PolyphaseStage[];
  /** Intermediate buffers between stages (stage i writes into buffers[i], at byte offset bufferAt[i]). */
  private readonly buffers: Float64Array[];
  private readonly bufferAt: number[];
  private outBuf: Float32Array;
  private inputTotal = 0;
  private pooled: KernelMemory | undefined;
  private released = false;

  constructor(inputRate: number, options: ResamplerOptions = {}) {
    const outputRate = options.outputRate ?? 8000;
    checkRate("input rate", inputRate);
    checkRate("output rate", outputRate);
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.stages = [];
    this.buffers = [];
    this.bufferAt = [];
    let latency = 0;
    if (inputRate !== outputRate) {
      const plans = planStages(inputRate, outputRate).map((plan) => ({ plan, h: plan.design(), maxIn: 0 }));
      // the memory's layout: 16 bytes of scratch, then per stage its region and its output buffer
      let maxIn = CHUNK;
      let bytes = 16;
      for (const p of plans) {
        p.maxIn = maxIn;
        const taps = Math.ceil(p.h.length / p.plan.up);
        maxIn = Math.ceil((maxIn * p.plan.up) / p.plan.down);
        // finish() may emit up to a filter length more than a chunk's worth.
        bytes += PolyphaseStage.bytes(p.plan.up, p.plan.down, p.h.length, p.maxIn) + 8 * (maxIn + taps + 8) + 8;
      }
      this.pooled = acquireKernelMemory(bytes);
      const memory = this.pooled.memory;
      const kernels = this.pooled.exports as unknown as ResampleKernels;
      let offset = 16;
      for (const p of plans) {
        const stage = new PolyphaseStage(p.plan.up, p.plan.down, p.h, p.maxIn, { buffer: memory.buffer, offset, kernels, state: 0 });
        offset += PolyphaseStage.bytes(p.plan.up, p.plan.down, p.h.length, p.maxIn);
        const length = stage.maxOutputFor(stage.maxInput) + stage.taps + 8;
        this.buffers.push(new Float64Array(memory.buffer, offset, length));
        this.bufferAt.push(offset);
        offset += 8 * length + ((8 * length) & 8);
        this.stages.push(stage);
        latency += stage.lookahead / p.plan.inRate;
      }
    }
    this.latencySeconds = latency;
    this.outBuf = new Float32Array(this.maxOutputLength(options.maxBlock ?? 4096));
  }

  /** The stages as text, e.g. "48000 Hz → ÷3 (23 taps) → ÷2 (69 taps) → 8000 Hz". */
  describe(): string {
    const parts = this.stages.map((s) => (s.up === 1 ? `÷${s.down} (${s.taps} taps)` : `×${s.up}/${s.down} (${s.taps} taps/phase)`));
    return [`${this.inputRate} Hz`, ...(parts.length ? parts : ["identity"]), `${this.outputRate} Hz`].join(" → ");
  }

  /** An upper bound on the samples `processInto`/`process` write for `n` input samples. */
  maxOutputLength(n: number): number {
    if (this.stages.length === 0) return n;
    const whole = Math.floor(n / CHUNK);
    let rest = n % CHUNK;
    let perChunk = CHUNK;
    for (const s of this.stages) {
      perChunk = s.maxOutputFor(perChunk);
      rest = s.maxOutputFor(rest);
    }
    return whole * perChunk + rest + 8;
  }

  /**
   * Resamples one block (`input`, or its samples `from`..`to`) into `out` from `outOffset`;
   * returns the number of samples written. Never allocates (but at equal rates for a part of
   * `input`). `out` must have room for `maxOutputLength(to - from)` samples.
   */
  processInto(input: Float32Array, out: Float32Array, outOffset = 0, from = 0, to = input.length): number {
    if (this.released) throw new Error("this resampler's memory was handed back (release)");
    const n = to - from;
    if (out.length - outOffset < this.maxOutputLength(n)) {
      throw new RangeError(`output buffer too small: need ${this.maxOutputLength(n)} samples`);
    }
    this.inputTotal += n;
    if (this.stages.length === 0) {
      out.set(from === 0 && to === input.length ? input : input.subarray(from, to), outOffset);
      return n;
    }
    let written = 0;
    for (let pos = from; pos < to; pos += CHUNK) {
      written += this.run(input, pos, Math.min(CHUNK, to - pos), out, outOffset + written);
    }
    return written;
  }

  /**
   * Resamples one block. Returns a view of an internal buffer, valid until the next call on this
   * resampler (copy it to keep it). At equal rates the input itself is returned.
   */
  process(input: Float32Array): Float32Array {
    if (this.stages.length === 0) {
      this.inputTotal += input.length;
      return input;
    }
    const need = this.maxOutputLength(input.length);
    if (this.outBuf.length < need) this.outBuf = new Float32Array(need);
    return this.outBuf.subarray(0, this.processInto(input, this.outBuf));
  }

  /**
   * Ends the stream: emits the tail (every output sample whose time lies before the end of the
   * input, so the total output is ceil(inputSamples · outputRate / inputRate)), then resets the
   * resampler for a new stream. Returns a view valid until the next call.
   */
  flush(): Float32Array {
    if (this.stages.length === 0) {
      this.reset();
      return new Float32Array(0);
    }
    const tailBound = this.stages.reduce((n, s) => s.maxOutputFor(n) + s.taps, 0) + 8;
    if (this.outBuf.length < tailBound) this.outBuf = new Float32Array(tailBound);
    const out = this.outBuf;
    const last = this.stages.length - 1;
    let written = 0;
    for (let i = 0; i < this.stages.length; i++) {
      const stage = this.stages[i]!;
      const target = i === last ? Math.ceil((this.inputTotal * this.outputRate) / this.inputRate) : undefined;
      const buf = this.buffers[i]!;
      const n = stage.finish(this.bufferAt[i]!, target);
      if (i === last) {
        for (let k = 0; k < n; k++) out[written + k] = buf[k];
        written += n;
      } else {
        // Push this stage's tail through the remaining stages.
        written += this.runFrom(i, n, out, written);
      }
    }
    this.reset();
    return out.subarray(0, written);
  }

  /**
   * Hands the resampler's WebAssembly memory back for the next resampler to use; this one must
   * not be used again.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.pooled) releaseKernelMemory(this.pooled);
  }

  /** Forgets all state; the next sample is the start of a new stream. */
  reset(): void {
    for (const s of this.stages) s.reset();
    this.inputTotal = 0;
  }

  /** Runs `n ≤ CHUNK` input samples through every stage and writes the result to `out`. */
  private run(input: Float32Array, inOff: number, n: number, out: Float32Array, outOff: number): number {
    const count = this.stages[0]!.process(input, inOff, n, this.bufferAt[0]!);
    return this.runFrom(0, count, out, outOff);
  }

  /** Runs the `n` samples stage `done` wrote to its buffer through the later stages and writes the result to `out`. */
  private runFrom(done: number, n: number, out: Float32Array, outOff: number): number {
    let count = n;
    for (let i = done + 1; i < this.stages.length; i++) {
      const stage = this.stages[i]!;
      const from = this.bufferAt[i - 1]!;
      let written = 0;
      for (let pos = 0; pos < count; pos += stage.maxInput) {
        written += stage.processStage(from + 8 * pos, Math.min(stage.maxInput, count - pos), this.bufferAt[i]! + 8 * written);
      }
      count = written;
    }
    const src = this.buffers[this.stages.length - 1]!;
    for (let k = 0; k < count; k++) out[outOff + k] = src[k]!;
    return count;
  }
}

/**
 * Resamplers of `resampleTo` by rate pair: a clip's resampler is left reset by `flush`, and
 * making one (its WebAssembly memory and instance, its filters) costs more than resampling a
 * short clip.
 */
const clipResamplers = new Map<string, Resampler>();

/** Resamples a whole clip in one go (delay-compensated, tail included). */
export function resampleTo(samples: Float32Array, fromRate: number, toRate = 8000): Float32Array {
  if (fromRate === toRate) return samples.slice();
  const key = `${fromRate}:${toRate}`;
  let r = clipResamplers.get(key);
  if (!r) {
    r = new Resampler(fromRate, { outputRate: toRate, maxBlock: 0 });
    clipResamplers.set(key, r);
  }
  const total = Math.ceil((samples.length * toRate) / fromRate);
  const out = new Float32Array(Math.max(total, r.maxOutputLength(samples.length)));
  try {
    let n = r.processInto(samples, out);
    const tail = r.flush();
    out.set(tail, n);
    n += tail.length;
  } finally {
    r.reset();
  }
  return out.slice(0, total);
}
