/** Second-order (biquad) filters from the RBJ audio-EQ cookbook, applied to a copy of a signal. */

/** RBJ-cookbook biquad (Direct Form I) applied to a copy of x. */
function biquad(x: Float32Array, b0: number, b1: number, b2: number, a1: number, a2: number): Float32Array {
  const out = new Float32Array(x.length);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
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

/** RBJ shelving filter: `gainDb` below (low) or above (high) `hz`, slope 1. */
export function shelf(x: Float32Array, rate: number, hz: number, gainDb: number, kind: "low" | "high"): Float32Array {
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
  return biquad(x, b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0);
}

/** RBJ peaking filter: `gainDb` around `hz` with quality q. */
export function peaking(x: Float32Array, rate: number, hz: number, gainDb: number, q: number): Float32Array {
  const A = 10 ** (gainDb / 40);
  const w = (2 * Math.PI * hz) / rate;
  const alpha = Math.sin(w) / (2 * q);
  const cos = Math.cos(w);
  const a0 = 1 + alpha / A;
  return biquad(x, (1 + alpha * A) / a0, (-2 * cos) / a0, (1 - alpha * A) / a0, (-2 * cos) / a0, (1 - alpha / A) / a0);
}

/** Second-order Butterworth high- or low-pass at `hz`. */
export function butterworth(x: Float32Array, rate: number, hz: number, kind: "highpass" | "lowpass"): Float32Array {
  const w = (2 * Math.PI * hz) / rate;
  const alpha = Math.sin(w) / Math.SQRT2;
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  const b1 = kind === "lowpass" ? 1 - cos : -(1 + cos);
  const b0 = kind === "lowpass" ? b1 / 2 : -b1 / 2;
  return biquad(x, b0 / a0, b1 / a0, b0 / a0, (-2 * cos) / a0, (1 - alpha) / a0);
}
