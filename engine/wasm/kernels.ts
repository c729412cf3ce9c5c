import { readFileSync } from "node:fs";
import { join } from "node:path";

const compileStart = performance.now();
/** engine/wasm/kernels.wat, compiled once per process (`bun run build:wasm` rebuilds the .wasm). */
export const KERNELS = new WebAssembly.Module(readFileSync(join(import.meta.dir, "kernels.wasm")));
/** What compiling KERNELS cost this process, ms (reported by `bun predict --timings`). */
export const kernelsCompileMs = performance.now() - compileStart;

/** out[r] = Σ_c w[r·cols + c] · x[c] (byte offsets, 16-byte aligned; cols a multiple of 8). */
export type MatVec = (w: number, x: number, out: number, rows: number, cols: number) => void;
/** x[i] = f32(x[i] + b[i]) (b float64), then 0 where negative when relu ≠ 0 (byte offsets). */
export type BiasRelu = (x: number, b: number, n: number, relu: number) => void;
/** out[l − minLag] = Σ_{i<n} x[i] · x[i + l] for minLag ≤ l ≤ maxLag (byte offsets). */
export type LagDots = (x: number, out: number, minLag: number, maxLag: number, n: number) => void;

/** c[i·n + j] += a[i·si + r·sr] · b[r·n + j] for i < m, r < k, j < n, float64 (byte offsets; si, sr in elements). */
export type AxpyRows = (c: number, a: number, b: number, m: number, k: number, n: number, si: number, sr: number) => void;
/** The same as AxpyRows over float32 arrays (`axpyrows32`). */
export type AxpyRows32 = AxpyRows;

/**
 * The float32 trainer's forward product: for each row i and each unit u listed for it (count[i]
 * i32 unit indices at idx + i·n·4, a multiple of four), c[i·n + u] = max(0, a_i · b_u + bias[u])·scale
 * (byte offsets; k, the row length of a and b, a multiple of four).
 */
export type KeptDots32 = (c: number, a: number, b: number, bias: number, idx: number, count: number, m: number, k: number, n: number, scale: number) => void;

/**
 * One Adam step over n float32 parameters (`adam32`; byte offsets of parameters, moments and
 * gradient; see kernels.wat).
 */
export type Adam32 = (
  p: number,
  m: number,
  v: number,
  g: number,
  n: number,
  decay: number,
  b1: number,
  c1m: number,
  b2: number,
  c2m: number,
  lr: number,
  c1: number,
  c2: number,
) => void;

/** d[i·n + j] = act[i·n + j] > 0 ? d[i·n + j]·scale : 0, and sum[j] = Σ_i d[i·n + j] (float32; n a multiple of four). */
export type ReluGrad32 = (d: number, act: number, m: number, n: number, scale: number, sum: number) => void;

export const WASM_PAGE_BYTES = 65536;

/** A WebAssembly memory with an instance of the kernels on it. */
export interface KernelMemory {
  readonly memory: WebAssembly.Memory;
  readonly exports: WebAssembly.Instance["exports"];
}

/** A new memory of at least `bytes` bytes (one page at the least) with the kernels instantiated on it. */
export function instantiateKernels(bytes = 0): KernelMemory {
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / WASM_PAGE_BYTES)) });
  return { memory, exports: new WebAssembly.Instance(KERNELS, { env: { memory } }).exports };
}

/** Grows `memory` to at least `bytes` bytes; true when it grew (views of its old buffer are then detached). */
export function growMemory(memory: WebAssembly.Memory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return false;
  memory.grow(Math.ceil((bytes - have) / WASM_PAGE_BYTES));
  return true;
}

/** The feature extractor's kernels (byte offsets; see kernels.wat). */
export interface FeatureKernels {
  spectra(
    x: number,
    frames: number,
    hop: number,
    len: number,
    pre: number,
    win: number,
    frame: number,
    rev: number,
    buf: number,
    tw: number,
    post: number,
    m: number,
    power: number,
    band: number,
    lo: number,
    hi: number,
    emph: number,
  ): void;
  melbands(power: number, frames: number, bins: number, weights: number, range: number, bands: number, out: number): void;
  /** In place ln(x + floor); returns the largest result. */
  logfloor(x: number, n: number, floor: number): number;
  raiseto(x: number, n: number, lowest: number): void;
  matrows(m: number, x: number, frames: number, rows: number, cols: number, out: number): void;
  plp(x: number, frames: number, bands: number, loud: number, cos: number, order: number, ceps: number, ratios: number, out: number, tmp: number): void;
  pool(c: number, len: number, d: number, segments: number, width: number, gridDeltas: number, out: number, deltas: number): void;
}

/** The resampler's stages (byte offsets; float64 histories and filters; see kernels.wat). */
export interface ResampleKernels {
  /** `count` outputs of a symmetric filter of `taps` taps, the k-th over hist[k·step …+ taps); see kernels.wat for `tab`, `scratch` and `stride`. */
  folded(hist: number, tab: number, taps: number, step: number, count: number, out: number, scratch: number, stride: number): void;
  /** A rational stage's outputs from newest input hist[at] and phase p (see kernels.wat); returns how many. */
  polyphase(
    hist: number,
    table: number,
    taps: number,
    up: number,
    stepWhole: number,
    stepFrac: number,
    at: number,
    p: number,
    end: number,
    limit: number,
    out: number,
    state: number,
  ): number;
}

/** The VAD's per-sample pass (byte offsets; see kernels.wat); returns the band energy. */
export interface VadKernels {
  vadlevels(x: number, n: number, ring: number, mask: number, pos: number, coef: number, state: number, acc: number): number;
}

/** Index of the first of n words at byte offset x whose low 31 bits exceed bound, or −1. */
export type FirstAbove = (x: number, n: number, bound: number) => number;

/** The voiced-speech check's kernels (byte offsets; see kernels.wat). */
export interface VoicingKernels {
  decimate(x: number, avail: number, n: number, factor: number, b0: number, b1: number, a1: number, a2: number, low: number, energy: number): void;
  /** `decimate` in four segments side by side, the same results (see kernels.wat for the room it needs around x and low); 0 when it ran `decimate` instead. */
  decimate4(
    x: number,
    avail: number,
    n: number,
    factor: number,
    b0: number,
    b1: number,
    a1: number,
    a2: number,
    low: number,
    energy: number,
    warm: number,
  ): number;
  /** The best normalised correlation over the lags; its lag is stored (float64) at bestLag. */
  periodicity(low: number, energy: number, a: number, minLag: number, maxLag: number, n: number, dots: number, corr: number, bestLag: number): number;
}
