/**
 * Cepstra of a low-order all-pole model fitted to a frame's auditory spectrum: perceptual linear
 * prediction (Hermansky 1990). The mel-band powers are weighted by an equal-loudness curve,
 * compressed by a cube root (intensity to loudness), read as autocorrelations through an inverse
 * cosine transform, and fitted by Levinson-Durbin. A low order keeps the broad formant envelope
 * and drops the finer detail (harmonics of a high voice, speaker-specific resonances) that a DCT
 * of the log-mel passes on.
 */
export class LpcCepstrum {
  private readonly nBands: number;
  /** ln(equal-loudness weight) / 3 for each band: added to log power / 3 before exp. */
  private readonly loudness: Float64Array;
  /** cos(π·k·m/(M+1)) for lags k ≤ order and points m = 0..M+1 of the extended spectrum. */
  private readonly cosines: Float64Array;
  private readonly points: Float64Array;
  private readonly r: Float64Array;
  private readonly a: Float64Array;
  private readonly prev: Float64Array;

  constructor(
    bandCentersHz: Float64Array,
    readonly order: number,
    readonly nCeps: number,
  ) {
    const M = bandCentersHz.length;
    this.nBands = M;
    this.loudness = Float64Array.from(bandCentersHz, (hz) => Math.log(equalLoudness(hz)) / 3);
    this.cosines = new Float64Array((order + 1) * (M + 2));
    for (let k = 0; k <= order; k++) for (let m = 0; m < M + 2; m++) this.cosines[k * (M + 2) + m] = Math.cos((Math.PI * k * m) / (M + 1));
    this.points = new Float64Array(M + 2);
    this.r = new Float64Array(order + 1);
    this.a = new Float64Array(order + 1);
    this.prev = new Float64Array(order + 1);
  }

  /** Cepstra c0…c(nCeps−1) of the natural-log band powers logBand[from … from+nBands) into out[to …]. */
  transform(logBand: Float64Array, from: number, out: Float64Array, to: number): void {
    const M = this.nBands;
    const { points, cosines, r, a, prev, order } = this;
    for (let m = 0; m < M; m++) points[m + 1] = Math.exp(logBand[from + m]! / 3 + this.loudness[m]!);
    // The spectrum's ends (0 Hz and Nyquist) repeat the outer bands, as in PLP.
    points[0] = points[1]!;
    points[M + 1] = points[M]!;
    const width = M + 2;
    for (let k = 0; k <= order; k++) {
      const row = k * width;
      let s = 0.5 * (points[0]! + cosines[row + M + 1]! * points[M + 1]!);
      for (let m = 1; m <= M; m++) s += cosines[row + m]! * points[m]!;
      r[k] = s / (M + 1);
    }
    let error = r[0]!;
    if (!(error > 0)) {
      for (let n = 0; n < this.nCeps; n++) out[to + n] = 0;
      return;
    }
    a.fill(0);
    a[0] = 1;
    for (let i = 1; i <= order; i++) {
      let acc = r[i]!;
      for (let j = 1; j < i; j++) acc += a[j]! * r[i - j]!;
      const k = -acc / error;
      prev.set(a);
      for (let j = 1; j < i; j++) a[j] = prev[j]! + k * prev[i - j]!;
      a[i] = k;
      error *= Math.max(1e-9, 1 - k * k);
    }
    // Cepstrum of the model spectrum error/|A|²: c0 = ln(error); c_n by the usual recursion.
    out[to] = Math.log(error);
    for (let n = 1; n < this.nCeps; n++) {
      let c = n <= order ? -a[n]! : 0;
      for (let k = 1; k < n; k++) if (n - k <= order) c -= (k / n) * out[to + k]! * a[n - k]!;
      out[to + n] = c;
    }
  }
}

/** Hermansky's equal-loudness curve (the ear's sensitivity at 40 dB), at `hz`. */
export function equalLoudness(hz: number): number {
  const w2 = (2 * Math.PI * Math.max(hz, 1)) ** 2;
  return ((w2 + 56.8e6) * w2 * w2) / ((w2 + 6.3e6) ** 2 * (w2 + 0.38e9));
}
