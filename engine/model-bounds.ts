import { type FirstAbove, WASM_PAGE_BYTES, instantiateKernels } from "./wasm/kernels.ts";

/**
 * Upper and lower bounds on every number of a model file that sizes a buffer, a loop or a
 * resampler. A file within them cannot exhaust memory, hang or overflow the network; the
 * limits are far beyond any model `bun train` makes (8 kHz, nFft 256, a few hundred units).
 */
export const MODEL_LIMITS = {
  sampleRate: [1000, 96000],
  frameLength: [16, 8192],
  nFft: [16, 16384],
  nMels: [1, 256],
  timeSegments: [1, 200],
  deltaWidth: [1, 20],
  /** Milliseconds of the trim's gap closing and padding. */
  trimMs: [0, 10000],
  /** Hidden layers plus the output layer. */
  layers: [1, 16],
  units: [1, 4096],
  /** Weights in one layer (rows × cols). */
  weights: [1, 4_000_000],
  /** Largest magnitude of a weight, bias or standardisation mean. */
  magnitude: [0, 1e6],
  /** Standardisation scales: their inverse multiplies every feature. */
  scale: [1e-6, 1e6],
  warps: [1, 16],
  fileBytes: [1, 64 * 1024 * 1024],
} as const satisfies Record<string, readonly [number, number]>;

export type Limit = keyof typeof MODEL_LIMITS;

/** The problem with `value` as `field` bounded by `limit`, or null when it is an integer (or number) within it. */
export function outOfBounds(field: string, value: unknown, limit: Limit, integer = true): string | null {
  const [lo, hi] = MODEL_LIMITS[limit];
  if (typeof value === "number" && Number.isFinite(value) && (!integer || Number.isInteger(value)) && value >= lo && value <= hi) return null;
  return `${field} is ${typeof value === "number" ? value : (JSON.stringify(value) ?? "missing")}: must be ${integer ? "an integer" : "a number"} in ${lo}…${hi}`;
}

/** The first value of `values` whose magnitude exceeds `max` (or that is not finite), with its index. */
export function firstTooLarge(values: ArrayLike<number>, max: number): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= -max && v <= max)) return i;
  }
  return -1;
}

/**
 * firstTooLarge for float32 weights, on their bits: |v| ≤ max is (bits & 0x7fffffff) ≤ the bits of
 * the largest float32 not above max, and NaN and ±∞ lie above every finite bound. Scanned by the
 * `firstabove` WebAssembly kernel, which needs no JIT warm-up (a JavaScript loop over a model's
 * 360,000 weights ran interpreted for most of them), a block at a time through one small memory:
 * a copy of every weight would touch as many fresh pages, the costliest part of a cold start.
 */
export function firstTooLargeFloat32(values: Float32Array, max: number): number {
  const limitFloat = new Float32Array([max]);
  const limit = new Uint32Array(limitFloat.buffer);
  if (limitFloat[0]! > max) limit[0]! -= 1;
  const scan = scanner();
  const block = new Float32Array(scan.memory.buffer, 0, SCAN_BLOCK);
  for (let at = 0; at < values.length; at += SCAN_BLOCK) {
    const n = Math.min(SCAN_BLOCK, values.length - at);
    block.set(values.subarray(at, at + n));
    const i = scan.firstAbove(0, n, limit[0]!);
    if (i >= 0) return at + i;
  }
  return -1;
}

/** Weights scanned per call: one WebAssembly page. */
const SCAN_BLOCK = WASM_PAGE_BYTES / 4;

/** One memory and instance for every check (a memory per call made the full suite's many small checks slow). */
let scanning: { memory: WebAssembly.Memory; firstAbove: FirstAbove } | undefined;

function scanner(): { memory: WebAssembly.Memory; firstAbove: FirstAbove } {
  if (!scanning) {
    const { memory, exports } = instantiateKernels(WASM_PAGE_BYTES);
    scanning = { memory, firstAbove: exports.firstabove as FirstAbove };
  }
  return scanning;
}
