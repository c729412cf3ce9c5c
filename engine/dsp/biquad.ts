/**
 * Second-order sections designed by the formulas of the RBJ audio-EQ cookbook, with a0
 * normalised to 1: y[n] = b0·x[n] + b1·x[n−1] + b2·x[n−2] − a1·y[n−1] − a2·y[n−2]. The one
 * place the VAD's band-pass, the voicing check's low-pass and the training augmentations take
 * their filters from.
 */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Q of a second-order Butterworth section. */
export const BUTTERWORTH_Q = Math.SQRT1_2;

/** Low- or high-pass at `hz` with quality `q` (Butterworth by default). */
export function passFilter(kind: "low" | "high", rate: number, hz: number, q = BUTTERWORTH_Q): Biquad {
  const w = (2 * Math.PI * hz) / rate;
  const alpha = Math.sin(w) / (2 * q);
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  const b1 = kind === "low" ? 1 - cos : -(1 + cos);
  const b0 = kind === "low" ? b1 / 2 : -b1 / 2;
  return { b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** Shelving filter: `gainDb` below (low) or above (high) `hz`, slope 1. */
export function shelfFilter(kind: "low" | "high", rate: number, hz: number, gainDb: number): Biquad {
  const A = 10 ** (gainDb / 40);
  const w = (2 * Math.PI * hz) / rate;
  const cos = Math.cos(w);
  const alpha = (Math.sin(w) / 2) * Math.SQRT2;
  const sq = 2 * Math.sqrt(A) * alpha;
  const sgn = kind === "low" ? 1 : -1;
  const b0 = A * (A + 1 - sgn * (A - 1) * cos + sq);
  const b1 = 2 * sgn * A * (A - 1 - sgn * (A + 1) * cos);
  const b2 = A * (A + 1 - sgn * (A - 1) * cos - sq);
  const a0 = A + 1 + sgn * (A - 1) * cos + sq;
  const a1 = -2 * sgn * (A - 1 + sgn * (A + 1) * cos);
  const a2 = A + 1 + sgn * (A - 1) * cos - sq;
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0 };
}

/** Peaking filter: `gainDb` around `hz` with quality `q`. */
export function peakingFilter(rate: number, hz: number, gainDb: number, q: number): Biquad {
  const A = 10 ** (gainDb / 40);
  const w = (2 * Math.PI * hz) / rate;
  const alpha = Math.sin(w) / (2 * q);
  const cos = Math.cos(w);
  const a0 = 1 + alpha / A;
  return { b0: (1 + alpha * A) / a0, b1: (-2 * cos) / a0, b2: (1 - alpha * A) / a0, a1: (-2 * cos) / a0, a2: (1 - alpha / A) / a0 };
}

/** `x` through one section (direct form I, from rest), into a new array. */
export function applyBiquad(x: Float32Array, c: Biquad): Float32Array {
  const { b0, b1, b2, a1, a2 } = c;
  const out = new Float32Array(x.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const y = b0 * v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = v;
    y2 = y1;
    y1 = y;
    out[i] = y;
  }
  return out;
}

/** `x` through a second-order Butterworth high- or low-pass at `hz`, into a new array. */
export function butterworth(x: Float32Array, rate: number, hz: number, kind: "highpass" | "lowpass"): Float32Array {
  return applyBiquad(x, passFilter(kind === "lowpass" ? "low" : "high", rate, hz));
}
