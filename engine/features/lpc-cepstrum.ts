import { type FeatureKernels, instantiateKernels } from "../wasm/kernels.ts";

/**
 * The tables of PLP cepstra (the `plp` kernel in engine/wasm/kernels.wat computes them): cepstra of
 * a low-order all-pole model fitted to a frame's auditory spectrum: perceptual linear
 * prediction (Hermansky 1990). The mel-band powers are weighted by an equal-loudness curve,
 * compressed by a cube root (intensity to loudness), read as autocorrelations through an inverse
 * cosine transform, and fitted by Levinson-Durbin. A low order keeps the broad formant envelope
 * and drops the finer detail (harmonics of a high voice, speaker-specific resonances) that a DCT
 * of the log-mel passes on.
 *
 * `loudness` is ln(equal-loudness weight)/3 for each band (added to log power/3 before exp);
 * `cosines` is cos(π·k·m/(M+1)) for lags k ≤ order and points m = 0..M+1 of the extended
 * spectrum (the spectrum's ends, 0 Hz and Nyquist, repeat the outer bands, as in PLP);
 * `ratios[n·nCeps + k]` is k/n for the cepstral recursion.
 */
export function plpTables(bandCentersHz: Float64Array, order: number, nCeps: number): { loudness: Float64Array; cosines: Float64Array; ratios: Float64Array } {
  const M = bandCentersHz.length;
  const loudness = Float64Array.from(bandCentersHz, (hz) => Math.log(equalLoudness(hz)) / 3);
  const cosines = new Float64Array((order + 1) * (M + 2));
  for (let k = 0; k <= order; k++) for (let m = 0; m < M + 2; m++) cosines[k * (M + 2) + m] = Math.cos((Math.PI * k * m) / (M + 1));
  const ratios = new Float64Array(nCeps * nCeps);
  for (let n = 1; n < nCeps; n++) for (let k = 1; k < n; k++) ratios[n * nCeps + k] = k / n;
  return { loudness, cosines, ratios };
}

/**
 * The `plp` kernel on a memory of its own, one frame at a time: for inspection and tests of the
 * transform on any bands (the extractor runs the same kernel on its own memory, every frame of an
 * utterance in one call).
 */
export class LpcCepstrum {
  private readonly plp: FeatureKernels["plp"];
  private readonly f64: Float64Array;
  private readonly at: { loud: number; cos: number; ratios: number; x: number; out: number; tmp: number };
  private readonly nBands: number;

  constructor(
    bandCentersHz: Float64Array,
    readonly order: number,
    readonly nCeps: number,
  ) {
    const M = bandCentersHz.length;
    this.nBands = M;
    const t = plpTables(bandCentersHz, order, nCeps);
    const loud = 0;
    const cos = loud + 8 * M;
    const ratios = cos + 8 * t.cosines.length;
    const x = ratios + 8 * t.ratios.length;
    const out = x + 8 * M;
    const tmp = Math.ceil((out + 8 * nCeps) / 16) * 16;
    const end = tmp + 16 * (M + 2 + 3 * (order + 1) + nCeps);
    const { memory, exports } = instantiateKernels(end);
    this.plp = (exports as unknown as FeatureKernels).plp;
    this.f64 = new Float64Array(memory.buffer);
    this.f64.set(t.loudness, loud / 8);
    this.f64.set(t.cosines, cos / 8);
    this.f64.set(t.ratios, ratios / 8);
    this.at = { loud, cos, ratios, x, out, tmp };
  }

  /** Cepstra c0…c(nCeps−1) of the natural-log band powers logBand[from … from+nBands) into out[to …]. */
  transform(logBand: Float64Array, from: number, out: Float64Array, to: number): void {
    const { at, f64 } = this;
    f64.set(logBand.subarray(from, from + this.nBands), at.x / 8);
    this.plp(at.x, 1, this.nBands, at.loud, at.cos, this.order, this.nCeps, at.ratios, at.out, at.tmp);
    out.set(f64.subarray(at.out / 8, at.out / 8 + this.nCeps), to);
  }
}

/** Hermansky's equal-loudness curve (the ear's sensitivity at 40 dB), at `hz`. */
export function equalLoudness(hz: number): number {
  const w2 = (2 * Math.PI * Math.max(hz, 1)) ** 2;
  return ((w2 + 56.8e6) * w2 * w2) / ((w2 + 6.3e6) ** 2 * (w2 + 0.38e9));
}
