import { readFileSync } from "node:fs";
import { join } from "node:path";

const compileStart = performance.now();
/** engine/wasm/kernels.wat, compiled once per process (`bun run build:wasm` rebuilds the .wasm). */
export const KERNELS = new WebAssembly.Module(readFileSync(join(import.meta.dir, "kernels.wasm")));
/** What compiling KERNELS cost this process, ms (reported by `bun predict --timings`). */
export const kernelsCompileMs = performance.now() - compileStart;

/** out[r] = Σ_c w[r·cols + c] · x[c] (byte offsets, 16-byte aligned; cols a multiple of 8). */
export type MatVec = (w: number, x: number, out: number, rows: number, cols: number) => void;
/** out[l − minLag] = Σ_{i<n} x[i] · x[i + l] for minLag ≤ l ≤ maxLag (byte offsets). */
export type LagDots = (x: number, out: number, minLag: number, maxLag: number, n: number) => void;

/** c[i·n + j] += a[i·si + r·sr] · b[r·n + j] for i < m, r < k, j < n, float64 (byte offsets; si, sr in elements). */
export type AxpyRows = (c: number, a: number, b: number, m: number, k: number, n: number, si: number, sr: number) => void;

/** One Adam step over n float64 parameters (byte offsets of parameters, moments and gradient; see kernels.wat). */
export type Adam = (
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

export const WASM_PAGE_BYTES = 65536;
