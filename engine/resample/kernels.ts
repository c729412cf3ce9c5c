/**
 * The resampler's inner loops. The kernel of a symmetric (decimating) filter is generated once
 * (at construction, with `new Function`): the loop over taps fully unrolled, coefficients as
 * literals, input offsets as constants. JSC then keeps the coefficients in registers and merges
 * the bounds checks, which makes the 25-tap ÷3 stage about twice and the 69-tap ÷2 stage about a
 * quarter faster than the looped kernels. The generated code performs exactly the operations of
 * the looped versions in the same order (same accumulators, same association), so the output is
 * bit-identical to theirs; the looped version remains for filters too long to unroll. (Unrolling
 * the polyphase dot product of rational stages the same way did not pay: its coefficients change
 * with the phase, so they stay loads.)
 */

/** `count` outputs of a symmetric filter, the k-th over hist[first + k·step ..+ taps). */
export type FoldedKernel = (hist: Float64Array, first: number, step: number, count: number, out: Float64Array, outOff: number) => void;

/** Longest filter (in unrolled multiply-adds) whose loop is unrolled; longer ones use the loops. */
const MAX_UNROLLED = 256;

/**
 * Generated functions by source: resamplers made later (every stream, every clip) reuse the
 * function, and with it the code JSC has already optimised.
 */
const compiled = new Map<string, unknown>();

function compile<T>(params: string[], source: string): T {
  const key = `${params.join(",")}\n${source}`;
  let fn = compiled.get(key);
  if (!fn) {
    fn = new Function(...params, source);
    compiled.set(key, fn);
  }
  return fn as T;
}

/** A number as a JS literal that reads back as exactly the same double. */
function literal(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

/** The kernel for a symmetric filter `h` (odd length): generated when short enough, else looped. */
export function foldedKernel(h: Float64Array): FoldedKernel {
  const taps = h.length;
  const half = (taps - 1) >> 1;
  if (half > MAX_UNROLLED) return (hist, first, step, count, out, outOff) => foldedDecimate(hist, h, taps, first, step, count, out, outOff);
  // Same accumulator pattern as foldedDecimate: groups of four into a0..a3, the rest into a0.
  const grouped = half - (half % 4);
  const body = [`let a0 = ${literal(h[half]!)} * hist[b + ${half}];`, "let a1 = 0;", "let a2 = 0;", "let a3 = 0;"];
  for (let i = 0; i < half; i++) {
    const acc = i < grouped ? `a${i % 4}` : "a0";
    body.push(`${acc} += ${literal(h[i]!)} * (hist[b + ${i}] + hist[b + ${taps - 1 - i}]);`);
  }
  const source = [
    "for (let k = 0; k < count; k++) {",
    "  const b = first + k * step;",
    ...body.map((l) => `  ${l}`),
    "  out[outOff + k] = a0 + a1 + (a2 + a3);",
    "}",
  ].join("\n");
  return compile<FoldedKernel>(["hist", "first", "step", "count", "out", "outOff"], source);
}

/*
 * The looped kernels: plain functions over Float64Arrays only, monomorphic code that JSC compiles
 * tightly (Float64 history measured ~25 % faster than Float32 here).
 */

/** `count` outputs of a symmetric filter, the k-th over hist[base + k·step ..+ taps). */
export function foldedDecimate(
  hist: Float64Array,
  h: Float64Array,
  taps: number,
  first: number,
  step: number,
  count: number,
  out: Float64Array,
  outOff: number,
): void {
  const half = (taps - 1) >> 1;
  const mid = h[half]!;
  for (let k = 0; k < count; k++) {
    const base = first + k * step;
    // Folded (h[i] = h[taps-1-i]) and unrolled by 4 with independent sums.
    let a0 = mid * hist[base + half]!;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let i = 0;
    let j = base + taps - 1;
    for (; i + 3 < half; i += 4, j -= 4) {
      const b = base + i;
      a0 += h[i]! * (hist[b]! + hist[j]!);
      a1 += h[i + 1]! * (hist[b + 1]! + hist[j - 1]!);
      a2 += h[i + 2]! * (hist[b + 2]! + hist[j - 2]!);
      a3 += h[i + 3]! * (hist[b + 3]! + hist[j - 3]!);
    }
    for (; i < half; i++, j--) a0 += h[i]! * (hist[base + i]! + hist[j]!);
    out[outOff + k] = a0 + a1 + (a2 + a3);
  }
}

export function dot(hist: Float64Array, table: Float64Array, row: number, base: number, taps: number): number {
  let a0 = 0;
  let a1 = 0;
  let i = 0;
  for (; i + 1 < taps; i += 2) {
    a0 += table[row + i]! * hist[base + i]!;
    a1 += table[row + i + 1]! * hist[base + i + 1]!;
  }
  if (i < taps) a0 += table[row + i]! * hist[base + i]!;
  return a0 + a1;
}
