/** Zeroth-order modified Bessel function of the first kind (power series; converges fast for the β used here). */
export function besselI0(x: number): number {
  const q = (x / 2) * (x / 2);
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 100; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/** Kaiser β for a stopband attenuation of `db` decibels (Kaiser's empirical formula). */
export function kaiserBeta(db: number): number {
  if (db > 50) return 0.1102 * (db - 8.7);
  if (db >= 21) return 0.5842 * (db - 21) ** 0.4 + 0.07886 * (db - 21);
  return 0;
}

/**
 * Half-length in seconds of a Kaiser-windowed sinc reaching `db` of attenuation over a transition
 * band `transitionHz` wide (Kaiser's length estimate N = (A - 7.95) / (14.36 Δf/fs), halved).
 */
export function kaiserHalfSpanSeconds(db: number, transitionHz: number): number {
  return (db - 7.95) / (2 * 14.36 * transitionHz);
}

/**
 * Linear-phase low-pass FIR: a sinc with cutoff `cutoffHz` at sampling rate `rate`, windowed by a
 * Kaiser window of shape `beta`, `2 * halfLength + 1` taps, centred, scaled to unit DC gain.
 */
export function kaiserLowpass(rate: number, cutoffHz: number, halfLength: number, beta: number): Float64Array {
  const n = 2 * halfLength + 1;
  const h = new Float64Array(n);
  const fc = cutoffHz / rate;
  const i0Beta = besselI0(beta);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const k = i - halfLength;
    const x = 2 * fc * k;
    const sinc = k === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const r = halfLength === 0 ? 0 : k / halfLength;
    const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    h[i] = 2 * fc * sinc * w;
    sum += h[i];
  }
  for (let i = 0; i < n; i++) h[i] /= sum;
  return h;
}

/** Magnitude response of a symmetric (linear-phase) FIR at `hz`, for tests and design checks. */
export function symmetricFirGain(h: Float64Array, rate: number, hz: number): number {
  const half = (h.length - 1) / 2;
  let s = h[half];
  const w = (2 * Math.PI * hz) / rate;
  for (let k = 1; k <= half; k++) s += 2 * h[half + k] * Math.cos(w * k);
  return Math.abs(s);
}
