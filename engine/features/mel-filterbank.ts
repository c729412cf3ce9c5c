/** Mel scale of HTK: 2595 · log10(1 + f/700). */
export function hzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

export function melToHz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/** Fraction of fMax below which the vocal-tract warp is a pure scaling. */
export const WARP_CUTOFF = 0.85;

/**
 * Piecewise-linear frequency warp of vocal-tract-length perturbation (Jaitly & Hinton 2013):
 * f → α·f up to a boundary, then a straight line that maps fMax onto itself, so the warped
 * axis still covers [0, fMax]. α = 1 is the identity.
 */
export function warpFrequency(hz: number, alpha: number, fMax: number, cutoff = WARP_CUTOFF * fMax): number {
  if (alpha === 1) return hz;
  const boundary = (cutoff * Math.min(alpha, 1)) / alpha;
  if (hz <= boundary) return hz * alpha;
  return fMax - ((fMax - alpha * boundary) / (fMax - boundary)) * (fMax - hz);
}

/**
 * Triangular mel filters over the bins of a real FFT, as one dense row per band
 * (`nMels × (nFft/2 + 1)`), each with unit area so bands of different widths weigh alike.
 * Returns for each band its first and last non-zero bin as well, so the product skips zeros.
 * `warp` ≠ 1 moves every filter edge by `warpFrequency` (a filter centred at f moves to α·f):
 * features of a voice whose formants are α times higher then look like the unwarped voice.
 */
export function melFilterbank(sampleRate: number, nFft: number, nMels: number, fMin: number, fMax: number, warp = 1) {
  const nBins = nFft / 2 + 1;
  const weights = new Float64Array(nMels * nBins);
  const first = new Int32Array(nMels);
  const last = new Int32Array(nMels);
  const melMin = hzToMel(fMin);
  const melMax = hzToMel(fMax);
  const edges = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) edges[i] = warpFrequency(melToHz(melMin + ((melMax - melMin) * i) / (nMels + 1)), warp, fMax);
  const binHz = sampleRate / nFft;
  for (let m = 0; m < nMels; m++) {
    const lo = edges[m]!;
    const mid = edges[m + 1]!;
    const hi = edges[m + 2]!;
    const norm = 2 / (hi - lo);
    first[m] = nBins;
    last[m] = -1;
    for (let k = 0; k < nBins; k++) {
      const f = k * binHz;
      const w = f <= lo || f >= hi ? 0 : f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid);
      if (w > 0) {
        weights[m * nBins + k] = w * norm;
        if (k < first[m]!) first[m] = k;
        last[m] = k;
      }
    }
    // A band narrower than one bin would be empty: give it the nearest bin.
    if (last[m]! < 0) {
      const k = Math.min(nBins - 1, Math.round(mid / binHz));
      weights[m * nBins + k] = 1;
      first[m] = k;
      last[m] = k;
    }
  }
  return { weights, first, last, nBins, centersHz: edges.subarray(1, nMels + 1) };
}

/** Orthonormal DCT-II matrix (`nOut × nIn`), as librosa's `norm="ortho"`. */
export function dctMatrix(nIn: number, nOut: number): Float64Array {
  const m = new Float64Array(nOut * nIn);
  for (let k = 0; k < nOut; k++) {
    const scale = k === 0 ? Math.sqrt(1 / nIn) : Math.sqrt(2 / nIn);
    for (let n = 0; n < nIn; n++) m[k * nIn + n] = scale * Math.cos((Math.PI * k * (2 * n + 1)) / (2 * nIn));
  }
  return m;
}

/** Periodic Hann window of length n. */
export function hannWindow(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}
