import type { Rng } from "../data/synth/signals.ts";
import { type Adam32, type AxpyRows32, type KeptDots32, type ReluGrad32, instantiateKernels } from "../engine/wasm/kernels.ts";
import { softmaxCrossEntropy } from "./cross-entropy.ts";

/** Parameters (or their gradient, or a moment of Adam) of the float32 network, row-major. */
export interface Float32Params {
  /** hidden × inputs, rows `stride` long (the columns past `inputs` stay zero) */
  w1: Float32Array;
  b1: Float32Array;
  /** classes × hidden, rows `units` long */
  w2: Float32Array;
  b2: Float32Array;
}

const KEYS = ["w1", "b1", "w2", "b2"] as const;

/** p as a threshold on 16 random bits: a unit is dropped when its 16 bits are below it. */
export function dropThreshold(p: number): number {
  return Math.round(p * 65536);
}

/** 32 random bits from `rng`. */
export function randomBits(rng: Rng): number {
  return (rng() * 4294967296) >>> 0;
}

/**
 * A batch's dropout bits: a mulberry32 stream (as seededRng) seeded by one draw of the
 * trainer's generator, run inline rather than through a closure per draw (17,000 draws a batch).
 */
export class DropoutBits {
  private state = 0;

  /** Starts a new stream from one draw of `rng`. */
  reseed(rng: Rng): void {
    this.state = randomBits(rng) | 0;
  }

  /** Fills `out[0…n)` with random 32-bit words. */
  fill(out: Int32Array, n: number): void {
    let a = this.state;
    for (let i = 0; i < n; i++) {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = t ^ (t >>> 14);
    }
    this.state = a;
  }
}

/**
 * One hidden ReLU layer and a softmax output trained in float32 WebAssembly: every parameter,
 * moment, gradient and batch buffer lives in one memory, and every product runs in four-lane
 * kernels. The forward product draws hidden dropout first and computes only the kept units
 * (`keptdots32`, half of them at dropout 0.5); the hidden weights' gradient skips units that
 * are zero after ReLU and dropout (`axpyrows32`); Adam is `adam32`. Nothing is copied or
 * transposed per batch but the small output layer.
 */
export class Float32Mlp {
  readonly params: Float32Params;
  readonly grad: Float32Params;
  private readonly m: Float32Params;
  private readonly v: Float32Params;
  /** Row length of the inputs and hidden weights: `inputs` rounded up to four. */
  readonly stride: number;
  /** Hidden units rounded up to four (the extra ones are never kept, so they stay zero). */
  readonly units: number;
  /** Where callers put the batch's input rows (maxRows × stride; columns past `inputs` stay zero). */
  readonly xb: Float32Array;
  /** rows × units hidden activations after ReLU and dropout. */
  readonly act: Float32Array;
  private readonly z: Float32Array;
  private readonly dz: Float32Array;
  private readonly dAct: Float32Array;
  private readonly w2t: Float32Array;
  private readonly kept: Int32Array;
  private readonly counts: Int32Array;
  private readonly zRow: Float64Array;
  private readonly gRow: Float64Array;
  private readonly bits = new DropoutBits();
  /** Random words of one batch's hidden dropout (two units per word). */
  private readonly words: Int32Array;
  private readonly keptDots: KeptDots32;
  private readonly axpyRows: AxpyRows32;
  private readonly adamKernel: Adam32;
  private readonly reluGrad: ReluGrad32;

  constructor(
    readonly inputs: number,
    readonly hidden: number,
    readonly classes: number,
    readonly maxRows: number,
  ) {
    const d = (this.stride = Math.ceil(inputs / 4) * 4);
    const h = (this.units = Math.ceil(hidden / 4) * 4);
    const k = classes;
    const sizes = [d * h, h, k * h, k];
    const buffers = [maxRows * d, maxRows * h, maxRows * k, maxRows * k, maxRows * h, h * k, maxRows * h, maxRows];
    const bytes = [...sizes, ...sizes, ...sizes, ...sizes, ...buffers].reduce((s, n) => s + Math.ceil(n / 4) * 16, 0);
    const { memory, exports: kernels } = instantiateKernels(bytes);
    let at = 0;
    const take = (n: number) => {
      const a = new Float32Array(memory.buffer, at, n);
      at += Math.ceil(n / 4) * 16;
      return a;
    };
    const params = (): Float32Params => ({ w1: take(d * h), b1: take(h), w2: take(k * h), b2: take(k) });
    this.params = params();
    this.grad = params();
    this.m = params();
    this.v = params();
    this.xb = take(maxRows * d);
    this.act = take(maxRows * h);
    this.z = take(maxRows * k);
    this.dz = take(maxRows * k);
    this.dAct = take(maxRows * h);
    this.w2t = take(h * k);
    this.kept = new Int32Array(memory.buffer, at, maxRows * h);
    at += maxRows * h * 4;
    this.counts = new Int32Array(memory.buffer, at, maxRows);
    this.zRow = new Float64Array(k);
    this.gRow = new Float64Array(k);
    this.words = new Int32Array(maxRows * Math.ceil(hidden / 2));
    this.keptDots = kernels.keptdots32 as KeptDots32;
    this.axpyRows = kernels.axpyrows32 as AxpyRows32;
    this.adamKernel = kernels.adam32 as Adam32;
    this.reluGrad = kernels.relugrad32 as ReluGrad32;
  }

  /** Adam step `t` (from 1) at step size `lr` on the last batch's gradient, L2 decay on the weights (not the biases). */
  adam(lr: number, t: number, weightDecay: number): void {
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 / (1 - b1 ** t);
    const c2 = 1 / (1 - b2 ** t);
    for (const key of KEYS) {
      const p = this.params[key];
      const decay = key === "w1" || key === "w2" ? weightDecay : 0;
      this.adamKernel(
        p.byteOffset,
        this.m[key].byteOffset,
        this.v[key].byteOffset,
        this.grad[key].byteOffset,
        p.length,
        decay,
        b1,
        1 - b1,
        b2,
        1 - b2,
        lr,
        c1,
        c2,
      );
    }
  }

  /** Lists each row's kept hidden units (dropped at rate p, drawing 16 bits per unit from `rng`), padded to a multiple of four. */
  private drawKept(rows: number, p: number, rng: Rng): void {
    const { kept, counts, hidden: h, units, bits, words } = this;
    const threshold = dropThreshold(p);
    const perRow = Math.ceil(h / 2);
    if (p > 0) {
      bits.reseed(rng);
      bits.fill(words, rows * perRow);
    }
    for (let i = 0; i < rows; i++) {
      const base = i * units;
      let n = 0;
      if (p > 0) {
        for (let u = 0, w = i * perRow; u < h; u += 2, w++) {
          const r = words[w]!;
          if (r >>> 16 >= threshold) kept[base + n++] = u;
          if (u + 1 < h && (r & 0xffff) >= threshold) kept[base + n++] = u + 1;
        }
      } else {
        for (let u = 0; u < h; u++) kept[base + n++] = u;
      }
      while (n & 3) {
        kept[base + n] = kept[base + n - 1]!;
        n++;
      }
      counts[i] = n;
    }
  }

  /**
   * Forward and backward pass of the first `rows` rows of `xb` (inputs, already dropped out)
   * with their labels (−1: the uniform distribution) and per-row loss scales. Returns Σ
   * scale·loss and leaves its gradient (without weight decay) in `grad`; hidden units are
   * dropped at rate `hiddenDropout` drawing on `rng`.
   */
  batch(rows: number, labels: ArrayLike<number>, scales: ArrayLike<number>, hiddenDropout = 0, rng: Rng = Math.random): number {
    const { params: p, grad, xb, act, z, dz, dAct, w2t, zRow, gRow } = this;
    const { stride: d, units: h, classes: k } = this;
    const keep = 1 / (1 - hiddenDropout);
    this.drawKept(rows, hiddenDropout, rng);
    act.fill(0, 0, rows * h);
    this.keptDots(act.byteOffset, xb.byteOffset, p.w1.byteOffset, p.b1.byteOffset, this.kept.byteOffset, this.counts.byteOffset, rows, d, h, keep);
    for (let c = 0; c < k; c++) for (let u = 0; u < h; u++) w2t[u * k + c] = p.w2[c * h + u]!;
    z.fill(0, 0, rows * k);
    this.axpyRows(z.byteOffset, act.byteOffset, w2t.byteOffset, rows, h, k, h, 1);
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      for (let c = 0; c < k; c++) zRow[c] = z[i * k + c]! + p.b2[c]!;
      loss += scales[i]! * softmaxCrossEntropy(zRow, labels[i]!, scales[i]!, gRow);
      for (let c = 0; c < k; c++) dz[i * k + c] = gRow[c]!;
    }
    // Units that are zero (inactive or dropped) pass no gradient back; kept ones carry the dropout scale.
    dAct.fill(0, 0, rows * h);
    this.axpyRows(dAct.byteOffset, dz.byteOffset, p.w2.byteOffset, rows, k, h, k, 1);
    this.reluGrad(dAct.byteOffset, act.byteOffset, rows, h, keep, grad.b1.byteOffset);
    // hidden × inputs as (hidden × rows)·(rows × inputs): the kernel skips the zero gradients of inactive and dropped units
    grad.w1.fill(0);
    this.axpyRows(grad.w1.byteOffset, dAct.byteOffset, xb.byteOffset, h, rows, d, 1, h);
    grad.w2.fill(0);
    this.axpyRows(grad.w2.byteOffset, dz.byteOffset, act.byteOffset, k, rows, h, 1, k);
    columnSums(dz, rows, k, grad.b2);
    return loss;
  }
}

/** out[j] = Σ_i m[i·cols + j], rows in order. */
function columnSums(m: Float32Array, rows: number, cols: number, out: Float32Array): void {
  out.fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += m[i * cols + j]!;
}
