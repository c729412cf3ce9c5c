import { describe, expect, test } from "bun:test";
import { loadSplit } from "../data/fsdd.ts";
import { FeatureExtractor } from "../engine/features/extractor.ts";
import { LpcCepstrum, equalLoudness } from "../engine/features/lpc-cepstrum.ts";
import { RECIPES } from "../train/recipe.ts";

/** The shipped features with MFCC (a DCT of the log-mel) instead of LPC cepstra. */
const mfccFeatures = { ...RECIPES.loso!.features, lpcOrder: undefined };

/** Log band powers whose loudness-weighted cube root is `target` at M evenly spaced points. */
function bandsFor(target: (w: number) => number, M: number, centers: Float64Array): Float64Array {
  return Float64Array.from({ length: M }, (_, m) => 3 * Math.log(target((Math.PI * (m + 1)) / (M + 1))) - Math.log(equalLoudness(centers[m]!)));
}

/** A vowel-like sound: an impulse train at f0 through two resonators (formants). */
function vowel(f0: number, formants: number[], seconds = 0.5, rate = 8000): Float32Array {
  let x = Float64Array.from({ length: Math.round(seconds * rate) }, (_, i) => (Math.floor((i * f0) / rate) !== Math.floor(((i - 1) * f0) / rate) ? 1 : 0));
  for (const f of formants) {
    const r = Math.exp((-Math.PI * 80) / rate);
    const a1 = 2 * r * Math.cos((2 * Math.PI * f) / rate);
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = x[i]! + a1 * (y[i - 1] ?? 0) - r * r * (y[i - 2] ?? 0);
    x = y;
  }
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  return Float32Array.from(x, (v) => (0.3 * v) / peak);
}

describe("LPC cepstra (perceptual linear prediction)", () => {
  test("recover the cepstrum of a one-pole spectrum: c_n = ρⁿ/n, c0 = ln(innovation power)", () => {
    const M = 400;
    const centers = Float64Array.from({ length: M }, (_, m) => ((m + 1) * 4000) / (M + 1));
    for (const rho of [0.5, -0.8]) {
      const lpc = new LpcCepstrum(centers, 1, 6);
      const out = new Float64Array(6);
      lpc.transform(
        bandsFor((w) => 1 / (1 - 2 * rho * Math.cos(w) + rho * rho), M, centers),
        0,
        out,
        0,
      );
      expect(out[0]!).toBeCloseTo(0, 2);
      for (let n = 1; n < 6; n++) expect(out[n]!).toBeCloseTo(rho ** n / n, 2);
    }
  });

  test("recover two conjugate poles, and a higher order finds nothing more", () => {
    const M = 400;
    const centers = Float64Array.from({ length: M }, (_, m) => ((m + 1) * 4000) / (M + 1));
    // A(z) = (1 − 0.9 e^{jθ} z⁻¹)(1 − 0.9 e^{−jθ} z⁻¹): one resonance at θ = 0.3π.
    const r = 0.9;
    const theta = 0.3 * Math.PI;
    const a1 = -2 * r * Math.cos(theta);
    const a2 = r * r;
    const spectrum = (w: number) => 1 / ((1 + a1 * Math.cos(w) + a2 * Math.cos(2 * w)) ** 2 + (a1 * Math.sin(w) + a2 * Math.sin(2 * w)) ** 2);
    const two = new Float64Array(8);
    const four = new Float64Array(8);
    new LpcCepstrum(centers, 2, 8).transform(bandsFor(spectrum, M, centers), 0, two, 0);
    new LpcCepstrum(centers, 4, 8).transform(bandsFor(spectrum, M, centers), 0, four, 0);
    // Cepstrum of 1/A for two conjugate poles: c_n = 2 rⁿ cos(nθ) / n.
    for (let n = 1; n < 8; n++) {
      expect(two[n]!).toBeCloseTo((2 * r ** n * Math.cos(n * theta)) / n, 2);
      expect(four[n]!).toBeCloseTo(two[n]!, 2);
    }
  });

  test("order 8 cepstra move less than MFCC when the same vowel is spoken an octave higher", () => {
    const base = mfccFeatures;
    const meanCepstra = (fx: FeatureExtractor, x: Float32Array) => {
      const u = fx.analyse(x);
      const n = u.frames;
      const cepstra = fx.cepstra(fx.logMel(u, 1, 0, n), n);
      const d = fx.config.nCepstra;
      const m = new Float64Array(d);
      for (let f = 5; f < n - 5; f++) for (let k = 1; k < d; k++) m[k] += cepstra[f * d + k]! / (n - 10);
      return m;
    };
    // How far the pitch moves the cepstra, relative to how far another vowel (same pitch) is.
    const shift = (fx: FeatureExtractor) => {
      const a = meanCepstra(fx, vowel(110, [700, 1200]));
      const b = meanCepstra(fx, vowel(220, [700, 1200]));
      const c = meanCepstra(fx, vowel(110, [300, 2300]));
      return Math.hypot(...a.map((v, k) => v - b[k]!)) / Math.hypot(...a.map((v, k) => v - c[k]!));
    };
    const mfcc = shift(new FeatureExtractor(base));
    const plp = shift(new FeatureExtractor({ ...base, lpcOrder: 8 }));
    console.log(`pitch shift / vowel change: MFCC ${mfcc.toFixed(3)}, PLP ${plp.toFixed(3)}`);
    expect(plp).toBeLessThan(mfcc);
  });

  test("features of real digits are finite and as long as the MFCC ones", async () => {
    const clips = (await loadSplit("test")).slice(0, 30);
    const base = mfccFeatures;
    const fx = new FeatureExtractor({ ...base, lpcOrder: 8 });
    expect(fx.dimension).toBe(new FeatureExtractor(base).dimension);
    for (const c of clips) for (const v of fx.extract(c.samples)) expect(Number.isFinite(v)).toBe(true);
  });

  test("an order outside 1…nMels is refused", () => {
    expect(() => new FeatureExtractor({ ...mfccFeatures, lpcOrder: 0 })).toThrow(/lpcOrder/);
    expect(() => new FeatureExtractor({ ...mfccFeatures, lpcOrder: 99 })).toThrow(/lpcOrder/);
  });
});
