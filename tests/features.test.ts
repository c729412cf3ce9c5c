import { describe, expect, test } from "bun:test";
import { loadSplit } from "../data/fsdd.ts";
import { FeatureExtractor, frameCount } from "../engine/features/extractor.ts";
import { DEFAULT_FEATURES, featureDimension, type FeatureConfig } from "../engine/features/feature-config.ts";
import { dctMatrix, hzToMel, melFilterbank, melToHz } from "../engine/features/mel-filterbank.ts";
import { JsFeatureExtractor } from "./support/js-features.ts";
import { RECIPES } from "../train/recipe.ts";

const cfg = DEFAULT_FEATURES;

function tone(hz: number, seconds: number, amp = 0.5, rate = 8000): Float32Array {
  const out = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < out.length; i++) out[i] = amp * Math.sin((2 * Math.PI * hz * i) / rate);
  return out;
}

describe("mel filterbank and DCT", () => {
  test("mel scale round-trips", () => {
    for (const hz of [0, 100, 1000, 3999]) expect(melToHz(hzToMel(hz))).toBeCloseTo(hz, 6);
  });

  test("bands are ordered, cover 0-4 kHz and every band has weight", () => {
    const fb = melFilterbank(8000, 256, 20, 0, 4000);
    for (let m = 1; m < 20; m++) expect(fb.centersHz[m]!).toBeGreaterThan(fb.centersHz[m - 1]!);
    for (let m = 0; m < 20; m++) expect(fb.last[m]!).toBeGreaterThanOrEqual(fb.first[m]!);
  });

  test("the DCT is orthonormal", () => {
    const n = 20;
    const d = dctMatrix(n, n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += d[a * n + i]! * d[b * n + i]!;
        expect(s).toBeCloseTo(a === b ? 1 : 0, 9);
      }
    }
  });
});

describe("frame analysis", () => {
  test("power spectra are those of a direct DFT of each pre-emphasised, windowed, zero-padded frame", () => {
    // The oracle: the definition, summed term by term in float64.
    const direct = (x: Float32Array, c: FeatureConfig, f: number): Float64Array => {
      const w = Float64Array.from({ length: c.frameLength }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / c.frameLength));
      const at = (j: number) => (j >= 0 && j < x.length ? x[j]! : 0);
      const frame = Float64Array.from({ length: c.frameLength }, (_, i) => {
        const j = f * c.hopLength + i;
        return (at(j) - c.preEmphasis * at(j - 1)) * w[i]!;
      });
      return Float64Array.from({ length: c.nFft / 2 + 1 }, (_, k) => {
        let re = 0;
        let im = 0;
        for (let i = 0; i < frame.length; i++) {
          re += frame[i]! * Math.cos((2 * Math.PI * k * i) / c.nFft);
          im -= frame[i]! * Math.sin((2 * Math.PI * k * i) / c.nFft);
        }
        return re * re + im * im;
      });
    };
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const noTrim = { ...cfg.trim, enabled: false };
    for (const c of [
      { ...cfg, trim: noTrim },
      { ...cfg, trim: noTrim, frameLength: 401, hopLength: 160, nFft: 512, preEmphasis: 0.5 },
      { ...cfg, trim: noTrim, frameLength: 16, hopLength: 16, nFft: 16 },
    ]) {
      const x = Float32Array.from({ length: 1234 }, (_, i) => 0.3 * Math.sin(i * 0.21) + 0.1 * rnd());
      const u = new FeatureExtractor(c).analyse(x);
      expect(u.bins).toBe(c.nFft / 2 + 1);
      for (let f = 0; f < u.frames; f++) {
        const want = direct(x, c, f);
        const scale = want.reduce((s, v) => s + v, 0);
        const got = u.powerFrame(f);
        // the FFT is float32: its errors are a few float32 roundings of the frame's power
        for (let k = 0; k < want.length; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThan(1e-6 * scale);
      }
    }
  });

  test("frame counts for given lengths", () => {
    expect(frameCount(0, 200, 80)).toBe(1);
    expect(frameCount(200, 200, 80)).toBe(1);
    expect(frameCount(279, 200, 80)).toBe(1);
    expect(frameCount(280, 200, 80)).toBe(2);
    expect(frameCount(8000, 200, 80)).toBe(98);
    const fx = new FeatureExtractor(cfg);
    expect(fx.analyse(new Float32Array(8000)).frames).toBe(98);
  });

  test("a tone lands in the mel band whose centre is nearest", () => {
    const fb = melFilterbank(8000, cfg.nFft, cfg.nMels, cfg.fMin, cfg.fMax);
    // no pre-emphasis, so the tone's band is not confused by the filter's tilt
    const fx = new FeatureExtractor({ ...cfg, preEmphasis: 0 });
    for (const hz of [300, 1000, 2000, 3000]) {
      const u = fx.analyse(tone(hz, 0.5));
      const mid = Math.floor(u.frames / 2);
      const lm = fx.logMel(u, 1, mid, mid + 1);
      let best = 0;
      for (let m = 1; m < cfg.nMels; m++) if (lm[m]! > lm[best]!) best = m;
      let nearest = 0;
      for (let m = 1; m < cfg.nMels; m++) if (Math.abs(fb.centersHz[m]! - hz) < Math.abs(fb.centersHz[nearest]! - hz)) nearest = m;
      expect(Math.abs(best - nearest)).toBeLessThanOrEqual(1);
      // far from the tone the energy is at least 40 dB (≈ 9.2 in natural log) lower
      const far = best < cfg.nMels / 2 ? cfg.nMels - 1 : 0;
      expect(lm[best]! - lm[far]!).toBeGreaterThan(9.2);
    }
  });

  test("silence gives the log floor in every band", () => {
    const fx = new FeatureExtractor(cfg);
    const lm = fx.logMel(fx.analyse(new Float32Array(4000)), 1, 10, 11);
    for (let m = 0; m < cfg.nMels; m++) expect(lm[m]!).toBeCloseTo(Math.log(cfg.logFloor), 6);
    const features = fx.extract(new Float32Array(4000));
    expect(features.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe("utterance features", async () => {
  const clips = (await loadSplit("test")).slice(0, 60);

  test("have the configured dimension and are finite on real clips", () => {
    const fx = new FeatureExtractor(cfg);
    expect(fx.dimension).toBe(featureDimension(cfg));
    expect(fx.dimension).toBe(16 * 13 + 4 * 13);
    for (const c of clips) expect(fx.extract(c.samples).every((v) => Number.isFinite(v))).toBe(true);
  });

  test("a change of gain moves only the c0 terms (trim and all other coefficients are invariant)", () => {
    const fx = new FeatureExtractor(cfg);
    const d = cfg.nCepstra;
    const isC0 = (j: number) => (j < cfg.timeSegments * d && j % d === 0) || j === cfg.timeSegments * d;
    for (const c of clips.slice(0, 10)) {
      const ua = fx.analyse(c.samples);
      const a = fx.features(ua);
      const louder = c.samples.map((v) => v * 0.25);
      const ub = fx.analyse(louder);
      const b = fx.features(ub);
      expect(ub.trim).toEqual(ua.trim);
      for (let j = 0; j < a.length; j++) {
        if (isC0(j)) continue;
        expect(Math.abs(a[j]! - b[j]!)).toBeLessThan(1e-2 * (1 + Math.abs(a[j]!)));
      }
    }
  });

  test("the trim removes added silence: padded and unpadded clips give near-identical features", () => {
    const fx = new FeatureExtractor(cfg);
    const errors: number[] = [];
    for (const c of clips.slice(0, 20)) {
      const a = Float64Array.from(fx.extract(c.samples));
      const padded = new Float32Array(c.samples.length + 8000);
      padded.set(c.samples, 4000);
      const b = fx.extract(padded);
      let num = 0;
      let den = 0;
      for (let j = 0; j < a.length; j++) {
        num += (a[j]! - b[j]!) ** 2;
        den += a[j]! ** 2;
      }
      errors.push(Math.sqrt(num / den));
    }
    errors.sort((x, y) => x - y);
    // frames that straddle the clip's edges differ; everything else is the same
    expect(errors[10]!).toBeLessThan(0.1);
    expect(errors[19]!).toBeLessThan(0.2);
  });

  test("dynamicRangeDb raises every log-mel value of the used frames to within that range of the loudest", () => {
    const config = { ...cfg, dynamicRangeDb: 60 };
    const fx = new FeatureExtractor(config);
    for (const c of clips.slice(0, 10)) {
      // a stretch of digital silence inside the word: below any floor without the limit
      const x = c.samples.slice();
      x.fill(0, Math.floor(x.length * 0.45), Math.floor(x.length * 0.55));
      let peak = -Infinity;
      let low = Infinity;
      for (const v of fx.logMel(fx.analyse(x))) {
        peak = Math.max(peak, v);
        low = Math.min(low, v);
      }
      expect((peak - low) * (10 / Math.LN10)).toBeLessThanOrEqual(60 + 1e-9);
      const plain = new FeatureExtractor(cfg);
      let plainLow = Infinity;
      for (const v of plain.logMel(plain.analyse(x))) plainLow = Math.min(plainLow, v);
      expect((peak - plainLow) * (10 / Math.LN10)).toBeGreaterThan(60);
    }
  });

  test("gridDeltas appends a time grid of deltas whose segment means average to the delta mean", () => {
    const config = { ...cfg, gridDeltas: true, trim: { ...cfg.trim, enabled: false } };
    const fx = new FeatureExtractor(config);
    const d = cfg.nCepstra;
    const S = cfg.timeSegments;
    expect(fx.dimension).toBe(2 * S * d + 4 * d);
    // 48 frames: every segment holds exactly 3
    const x = clips.find((c) => c.samples.length >= 200 + 47 * 80)!.samples.slice(0, 200 + 47 * 80);
    const u = fx.analyse(x);
    expect(u.frames).toBe(48);
    const out = fx.features(u);
    const meanD = S * d + 2 * d;
    const grid = S * d + 4 * d;
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let seg = 0; seg < S; seg++) s += out[grid + seg * d + k]!;
      expect(s / S).toBeCloseTo(out[meanD + k]!, 9);
    }
    // the first part of the vector is what the plain extractor gives
    const plain = new FeatureExtractor({ ...cfg, trim: config.trim }).extract(x);
    expect(Array.from(out.subarray(0, plain.length))).toEqual(Array.from(plain));
  });

  test("an invalid config is refused with a readable reason", () => {
    const bad: FeatureConfig = { ...cfg, nFft: 100 };
    expect(() => new FeatureExtractor(bad)).toThrow(/nFft must be a power of two/);
  });
});

describe("the WebAssembly feature kernels", () => {
  test("give the JavaScript pipeline's spectra, trim and features on real clips, MFCC and PLP, warped and not", async () => {
    const clips = (await loadSplit("test")).filter((_, i) => i % 6 === 0);
    for (const config of [cfg, RECIPES.loso!.features]) {
      const fx = new FeatureExtractor(config);
      const js = new JsFeatureExtractor(config);
      for (const clip of clips) {
        const u = fx.analyse(clip.samples);
        const v = js.analyse(clip.samples);
        expect([u.frames, u.trim.start, u.trim.end]).toEqual([v.frames, v.trim.start, v.trim.end]);
        for (let f = 0; f < u.frames; f++) {
          const a = u.powerFrame(f);
          const b = v.powerFrame(f);
          const scale = b.reduce((s, p) => s + p, 0);
          // the kernels' FFT is float32, the JavaScript pipeline's float64
          for (let k = 0; k < a.length; k++) expect(Math.abs(a[k]! - b[k]!)).toBeLessThanOrEqual(1e-6 * scale);
        }
        for (const warp of [1, 1.1]) {
          const a = fx.features(u, warp);
          const b = js.features(v, warp);
          // the float32 FFT's error is relative to the frame's power: a weak band's log moves most
          for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(b[i]!)));
        }
      }
    }
  }, 60_000);
});
