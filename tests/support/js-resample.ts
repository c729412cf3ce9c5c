/**
 * The resampler's inner loops as they were in JavaScript, kept as the oracle of the WebAssembly
 * kernels `folded` and `polyphase` (engine/wasm/kernels.wat): the same operations in the same
 * order, so the kernels must match them bit for bit.
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

/** One output of a rational stage: two sums of alternate taps, an odd last tap into the first. */
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

/**
 * Every output of a stage (upsample by `up`, filter with `prototype`, keep every `down`-th)
 * over `input` from the stream's start (zeros before it), computed one by one as the stage
 * defines them: output n's newest input and polyphase phase, then the folded sum (up = 1) or
 * the dot product with the phase's row. `count` outputs.
 */
export function stageOutputs(up: number, down: number, prototype: Float64Array, input: Float64Array, count: number): Float64Array {
  const centre = (prototype.length - 1) / 2;
  const taps = Math.ceil(prototype.length / up);
  const table = new Float64Array(up * taps);
  for (let p = 0; p < up; p++) {
    for (let m = 0; m < taps; m++) {
      const k = p + m * up;
      table[p * taps + (taps - 1 - m)] = k < prototype.length ? prototype[k]! * up : 0;
    }
  }
  // the input with taps − 1 zeros before it (the stream's start) and zeros after (look-ahead)
  const hist = new Float64Array(taps - 1 + input.length + taps + Math.ceil((count * down) / up));
  hist.set(input, taps - 1);
  const out = new Float64Array(count);
  let newest = Math.floor(centre / up);
  let phase = centre % up;
  for (let n = 0; n < count; n++) {
    const base = newest; // newest − (taps − 1) + the taps − 1 leading zeros
    if (up === 1) foldedDecimate(hist, table, taps, base, 1, 1, out, n);
    else out[n] = dot(hist, table, phase * taps, base, taps);
    newest += Math.floor(down / up);
    phase += down % up;
    if (phase >= up) {
      phase -= up;
      newest++;
    }
  }
  return out;
}
