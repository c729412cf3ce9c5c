import { describe, expect, test } from "bun:test";
import { loadSplit } from "../data/fsdd.ts";
import { FeatureExtractor } from "../engine/features/extractor.ts";
import { DEFAULT_FEATURES } from "../engine/features/feature-config.ts";
import { melFilterbank, warpFrequency } from "../engine/features/mel-filterbank.ts";
import { NO_AUGMENTATION, augmentCopy } from "../train/augment-recipe.ts";
import { addNoise, applyGain, babbleNoise, meanPower, padSilence, pinkNoise, seededRng, whiteNoise } from "../data/synth/signals.ts";
import { changeSpeed, reverberate, roomImpulse, telephone } from "../train/augment.ts";
import { buildTrainingSet } from "../train/training-set.ts";
import { flattenBands, maskedFeatures } from "../train/band-mask.ts";

const clips = (await loadSplit("test")).slice(0, 40);
const db = (p: number) => 10 * Math.log10(p);

function tone(hz: number, seconds: number, rate = 8000): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / rate));
}

/** Frequency of the strongest bin of a tone, by correlating with candidate frequencies (1 Hz steps near `near`). */
function dominantHz(x: Float32Array, near: number, rate = 8000): number {
  let best = near;
  let bestPower = -1;
  for (let f = near * 0.7; f <= near * 1.3; f += 1) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < x.length; i++) {
      re += x[i]! * Math.cos((2 * Math.PI * f * i) / rate);
      im += x[i]! * Math.sin((2 * Math.PI * f * i) / rate);
    }
    if (re * re + im * im > bestPower) {
      bestPower = re * re + im * im;
      best = f;
    }
  }
  return best;
}

describe("signal augmentations on real clips", () => {
  test("speed perturbation divides the length by the factor and keeps the level", () => {
    for (const factor of [0.9, 1.1]) {
      for (const c of clips.slice(0, 10)) {
        const y = changeSpeed(c.samples, factor);
        expect(Math.abs(y.length - c.samples.length / factor)).toBeLessThanOrEqual(1);
        expect(Math.abs(db(meanPower(y)) - db(meanPower(c.samples)))).toBeLessThan(1);
      }
    }
  });

  test("speed perturbation multiplies a tone's frequency by the factor", () => {
    const y = changeSpeed(tone(500, 0.5), 1.1);
    expect(Math.abs(dominantHz(y, 550) - 550)).toBeLessThanOrEqual(3);
  });

  test("noise added at SNR X measures X dB against the clean clip", () => {
    const rng = seededRng(3);
    for (const snr of [0, 10, 20]) {
      for (const c of clips.slice(0, 8)) {
        const noise = [whiteNoise, pinkNoise][snr % 2]!(c.samples.length, rng);
        const y = addNoise(c.samples, noise, snr);
        const added = y.map((v, i) => v - c.samples[i]!);
        expect(db(meanPower(c.samples) / meanPower(added))).toBeCloseTo(snr, 1);
      }
    }
  });

  test("noise on a padded clip is measured against the speech, not the silence", () => {
    const c = clips[0]!;
    const padded = padSilence(c.samples, 2000, 3000);
    expect(padded.length).toBe(c.samples.length + 5000);
    const y = addNoise(padded, whiteNoise(padded.length, seededRng(1)), 10, meanPower(c.samples));
    const noisePower = meanPower(y.subarray(0, 2000));
    expect(db(meanPower(c.samples) / noisePower)).toBeGreaterThan(9);
    expect(db(meanPower(c.samples) / noisePower)).toBeLessThan(11);
  });

  test("babble is made of the pool's speech and has its length", () => {
    const pool = clips.slice(10, 20).map((c) => c.samples);
    const b = babbleNoise(6000, pool, seededRng(2), 4);
    expect(b.length).toBe(6000);
    expect(meanPower(b)).toBeGreaterThan(0.5);
  });

  test("a room impulse decays by 60 dB over RT60 and reverb keeps length and level", () => {
    const h = roomImpulse(8000, 0.4, 5, seededRng(4));
    const energy = (a: number, b: number) => h.subarray(a, b).reduce((s, v) => s + v * v, 0);
    // the tail's envelope: early 50 ms against 50 ms just before RT60
    expect(db(energy(100, 500) / energy(2700, 3100))).toBeGreaterThan(40);
    const c = clips[1]!;
    const y = reverberate(c.samples, 8000, 0.4, 5, seededRng(5));
    expect(y.length).toBe(c.samples.length);
    expect(Math.abs(db(meanPower(y)) - db(meanPower(c.samples)))).toBeLessThan(0.1);
  });

  test("the telephone channel removes 100 Hz and passes 1 kHz", () => {
    const low = telephone(tone(100, 0.5), 8000);
    const mid = telephone(tone(1000, 0.5), 8000);
    const p = (x: Float32Array) => meanPower(x.subarray(2000));
    expect(db(p(tone(100, 0.5)) / p(low))).toBeGreaterThan(20);
    expect(Math.abs(db(p(tone(1000, 0.5)) / p(mid)))).toBeLessThan(1);
  });

  test("gain scales by the decibels asked for", () => {
    const c = clips[2]!;
    expect(db(meanPower(applyGain(c.samples, -6)) / meanPower(c.samples))).toBeCloseTo(-6, 6);
  });
});

describe("vocal-tract-length perturbation (mel filterbank warp)", () => {
  test("a warp of 1 is the identity", () => {
    for (const f of [0, 300, 1234, 3999]) expect(warpFrequency(f, 1, 4000)).toBe(f);
    const own = melFilterbank(8000, 256, 20, 0, 4000);
    expect(Array.from(melFilterbank(8000, 256, 20, 0, 4000, 1).weights)).toEqual(Array.from(own.weights));
    const fx = new FeatureExtractor(DEFAULT_FEATURES);
    for (const c of clips.slice(0, 5)) {
      const u = fx.analyse(c.samples);
      expect(Array.from(fx.features(u, 1))).toEqual(Array.from(fx.features(u)));
    }
  });

  test("a warp α moves filters to α times their frequency below the cutoff, and keeps the band edges", () => {
    const plain = melFilterbank(8000, 256, 20, 0, 4000);
    const up = melFilterbank(8000, 256, 20, 0, 4000, 1.1);
    for (let m = 0; m < 10; m++) expect(up.centersHz[m]!).toBeCloseTo(plain.centersHz[m]! * 1.1, 6);
    expect(warpFrequency(4000, 1.1, 4000)).toBeCloseTo(4000, 9);
    expect(warpFrequency(4000, 0.9, 4000)).toBeCloseTo(4000, 9);
  });

  test("warped features differ from plain ones, and a warped call leaves later unwarped ones as they were", () => {
    const fx = new FeatureExtractor(DEFAULT_FEATURES);
    const u = fx.analyse(clips[3]!.samples);
    const plain = fx.features(u);
    const w = fx.features(u, 0.9);
    expect(w.some((v, i) => Math.abs(v - plain[i]!) > 1e-3)).toBe(true);
    expect(Array.from(fx.features(u))).toEqual(Array.from(plain));
  });

  test("a band mask flattens those mel bands to each frame's mean of the others, and nothing else", () => {
    const fx = new FeatureExtractor(DEFAULT_FEATURES);
    const u = fx.analyse(clips[5]!.samples);
    const plain = fx.features(u);
    const mask = { position: 0.5, width: 3 };
    const masked = maskedFeatures(fx, u, 1, mask, new Float64Array(fx.dimension));
    expect(masked.some((v, i) => Math.abs(v - plain[i]!) > 1e-3)).toBe(true);
    const n = DEFAULT_FEATURES.nMels;
    const frames = u.keptFrames;
    const before = fx.logMel(u);
    const rows = Float64Array.from(before);
    flattenBands(rows, frames, n, mask);
    expect(Array.from(fx.fromLogMel(rows, frames))).toEqual(Array.from(masked));
    const a = Math.floor(0.5 * (n - 3 + 1));
    for (let f = 0; f < frames; f++) {
      const row = before.subarray(f * n, (f + 1) * n);
      const others = row.filter((_, m) => m < a || m >= a + 3);
      const mean = others.reduce((x, y) => x + y, 0) / others.length;
      for (let m = 0; m < n; m++) expect(rows[f * n + m]!).toBeCloseTo(m >= a && m < a + 3 ? mean : row[m]!, 9);
    }
    expect(Array.from(fx.features(u))).toEqual(Array.from(plain));
  });
});

describe("augmented training sets", () => {
  const recipe = {
    ...NO_AUGMENTATION,
    copies: 2,
    speed: 0.1,
    warp: [1 / 1.1, 1.1] as [number, number],
    noise: 1,
    noiseKinds: ["white", "pink", "babble"] as const,
    pad: 0.5,
    gainDb: [-6, 6] as [number, number],
  };

  test("one copy per setting, reproducible from the seed", () => {
    const a = augmentCopy(clips[0]!.samples, 8000, { ...recipe, noiseKinds: [...recipe.noiseKinds] }, seededRng(9), [clips[1]!.samples]);
    const b = augmentCopy(clips[0]!.samples, 8000, { ...recipe, noiseKinds: [...recipe.noiseKinds] }, seededRng(9), [clips[1]!.samples]);
    expect(Array.from(a.samples)).toEqual(Array.from(b.samples));
    expect(a.warp).toBe(b.warp);
    expect(a.warp).toBeGreaterThan(1 / 1.1 - 1e-9);
    expect(a.warp).toBeLessThan(1.1 + 1e-9);
  });

  test("band masking draws only when asked for: recipes without it keep their exact random stream", () => {
    const o = { ...recipe, noiseKinds: [...recipe.noiseKinds] };
    const without = augmentCopy(clips[0]!.samples, 8000, o, seededRng(9), [clips[1]!.samples]);
    const zero = augmentCopy(clips[0]!.samples, 8000, { ...o, bandMask: 0 }, seededRng(9), [clips[1]!.samples]);
    expect(Array.from(zero.samples)).toEqual(Array.from(without.samples));
    expect(zero.mask).toBeUndefined();
    const always = augmentCopy(clips[0]!.samples, 8000, { ...o, bandMask: 1, maskBands: 3 }, seededRng(9), [clips[1]!.samples]);
    expect(Array.from(always.samples)).toEqual(Array.from(without.samples));
    expect(always.mask!.width).toBeGreaterThanOrEqual(1);
    expect(always.mask!.width).toBeLessThanOrEqual(3);
  });

  test("a room of talkers: the copy is the clip plus babble at the drawn SNR, and recipes without it keep their random stream", () => {
    const o = { ...recipe, noiseKinds: [...recipe.noiseKinds], speed: 0, warp: [1, 1] as [number, number], pad: 0, gainDb: [0, 0] as [number, number] };
    const without = augmentCopy(clips[0]!.samples, 8000, o, seededRng(9), [clips[1]!.samples]);
    const zero = augmentCopy(clips[0]!.samples, 8000, { ...o, babble: 0 }, seededRng(9), [clips[1]!.samples]);
    expect(Array.from(zero.samples)).toEqual(Array.from(without.samples));
    // four speakers of the test split, each a list of their clips
    const speakers = [...new Set(clips.map((c) => c.speaker))];
    const talkers = speakers.map((s) => clips.filter((c) => c.speaker === s).map((c) => c.samples));
    const x = clips[0]!.samples;
    for (const snr of [20, 10]) {
      const room = { ...o, babble: 1, babbleSnrDb: [snr, snr] as [number, number], babbleTalkers: [3, 3] as [number, number] };
      const copy = augmentCopy(x, 8000, room, seededRng(3), [], talkers);
      const added = copy.samples.map((v, i) => v - x[i]!);
      expect(db(meanPower(x) / meanPower(added))).toBeCloseTo(snr, 1);
      // speech, not steady noise: the babble's level moves by far more than a steady noise's does
      const frameDb = Array.from({ length: Math.floor(x.length / 400) }, (_, f) => db(meanPower(added.subarray(f * 400, (f + 1) * 400)) + 1e-12));
      expect(Math.max(...frameDb) - Math.min(...frameDb)).toBeGreaterThan(6);
    }
  });

  test("rows are clips × (1 + copies), the first of each clip is the clean clip, and the seed fixes the rest", () => {
    const few = clips.slice(0, 6);
    const opts = { augment: { ...recipe, noiseKinds: [...recipe.noiseKinds] }, seed: 4 };
    const a = buildTrainingSet(few, DEFAULT_FEATURES, opts);
    const b = buildTrainingSet(few, DEFAULT_FEATURES, opts);
    const clean = buildTrainingSet(few, DEFAULT_FEATURES, { augment: NO_AUGMENTATION, seed: 0 });
    expect(a.rows).toBe(few.length * 3);
    expect(Array.from(a.X)).toEqual(Array.from(b.X));
    expect(Array.from(a.y)).toEqual(few.flatMap((c) => [c.label, c.label, c.label]));
    const d = a.cols;
    for (let i = 0; i < few.length; i++) {
      expect(Array.from(a.X.subarray(3 * i * d, (3 * i + 1) * d))).toEqual(Array.from(clean.X.subarray(i * d, (i + 1) * d)));
      expect(a.X.subarray((3 * i + 1) * d, (3 * i + 2) * d).some((v, j) => v !== clean.X[i * d + j])).toBe(true);
    }
  });
});
