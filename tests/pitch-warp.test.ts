import { describe, expect, test } from "bun:test";
import { type Clip, loadSplit } from "../data/fsdd.ts";
import { Classifier, argmax } from "../engine/classifier.ts";
import { type ModelFile, type PitchWarpConfig, loadModelFile, validateModel } from "../engine/model-file.ts";
import { resampleTo } from "../engine/resampler.ts";
import { recipeFromFlags } from "../ui/terminal/recipe-flags.ts";

const model = loadModelFile();
const unwarped: ModelFile = { ...model, pitchWarp: undefined };
const testSplit = await loadSplit("test");

/** A vowel-like sound: a pulse train at `f0` through resonances at f1 and f2, rising and falling. */
function vowel(f0: number, f1 = 700, f2 = 1200, seconds = 0.6, rate = 8000): Float32Array {
  const n = Math.round(seconds * rate);
  const x = new Float32Array(n);
  for (let t = 0; t < n; t += rate / f0) x[Math.round(t)] = 1;
  let y = x;
  for (const hz of [f1, f2]) {
    const r = 0.97;
    const a1 = -2 * r * Math.cos((2 * Math.PI * hz) / rate);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = y[i]! - a1 * (out[i - 1] ?? 0) - r * r * (out[i - 2] ?? 0);
    y = out;
  }
  for (let i = 0; i < n; i++) y[i]! *= Math.sin((Math.PI * i) / n);
  let peak = 0;
  for (const v of y) peak = Math.max(peak, Math.abs(v));
  return y.map((v) => (0.3 * v) / peak);
}

/** A clip played `factor` times faster: pitch and formants both raised, as a shorter vocal tract. */
const faster = (c: Clip, factor: number) => resampleTo(c.samples, Math.round(8000 * factor), 8000);

const pitchOf = (c: Classifier, samples: Float32Array): number => c.analyse(samples).pitchHz;

describe("the pitch estimate", () => {
  test("reads pulse-train vowels at 80-380 Hz as their pitch or a subharmonic of it, never higher; silence as none", () => {
    const c = new Classifier(model);
    let exact = 0;
    let total = 0;
    const wrong: string[] = [];
    for (let f0 = 80; f0 <= 380; f0 += 10) {
      for (const [f1, f2] of [
        [700, 1200],
        [300, 2200],
        [500, 1500],
      ] as const) {
        const p = pitchOf(c, vowel(f0, f1, f2));
        const k = Math.round(f0 / p);
        total++;
        if (k >= 1 && k <= 5 && Math.abs((p * k) / f0 - 1) < 0.03) exact += k === 1 ? 1 : 0;
        else wrong.push(`${f0} Hz (/${f1}, ${f2}/): ${p.toFixed(1)}`);
      }
    }
    expect(wrong).toEqual([]);
    // Not all: a perfectly periodic pulse train correlates as well at two or three periods as at
    // one when they fall closer to a whole lag at 4 kHz; the gate then leaves the voice unwarped.
    // Most must still read as themselves, or the warp would rarely see a high voice.
    expect(exact / total).toBeGreaterThan(0.5);
    expect(pitchOf(c, new Float32Array(8000))).toBe(0);
  });

  test("puts FSDD's men below the model's gate, and follows a clip played 1.5 times faster", () => {
    const c = new Classifier(model);
    const pitches = testSplit.map((clip) => pitchOf(c, clip.samples));
    const above = pitches.filter((p) => p > model.pitchWarp!.minHz).length;
    expect(above / pitches.length).toBeLessThan(0.1);
    expect(pitches.filter((p) => p > 0).length / pitches.length).toBeGreaterThan(0.95);
    const ratios = testSplit
      .map((clip, i) => pitchOf(c, faster(clip, 1.5)) / pitches[i]!)
      .filter((r) => Number.isFinite(r) && r > 0)
      .sort((a, b) => a - b);
    expect(ratios[ratios.length >> 1]!).toBeCloseTo(1.5, 1);
    expect(ratios.filter((r) => Math.abs(r - 1.5) < 0.075).length / ratios.length).toBeGreaterThan(0.7);
  });
});

describe("classification with the pitch warp", () => {
  /** A warp that can help: gated within the range of speaking voices, and factors that start at 1 and rise. */
  const plausible = (w: PitchWarpConfig | undefined) => {
    expect(w).toBeDefined();
    expect(w!.minHz).toBeGreaterThanOrEqual(120);
    expect(w!.minHz).toBeLessThanOrEqual(250);
    expect(w!.warps[0]).toBe(1);
    expect(w!.warps.length).toBeGreaterThan(1);
    w!.warps.slice(1).forEach((f, i) => expect(f).toBeGreaterThan(w!.warps[i]!));
  };

  test("the shipped model and recipe carry it; flags change or remove it", () => {
    plausible(model.pitchWarp);
    // the file records the recipe it was trained with, and that recipe's warp is the one it uses
    expect((model.training.recipe as { pitchWarp?: PitchWarpConfig }).pitchWarp).toEqual(model.pitchWarp!);
    plausible(recipeFromFlags({}).pitchWarp);
    expect(recipeFromFlags({ "warp-above": "0" }).pitchWarp).toBeUndefined();
    expect(recipeFromFlags({ "warp-above": "180", "warp-factors": "1,1.1" }).pitchWarp).toEqual({ minHz: 180, warps: [1, 1.1] });
    expect(() => recipeFromFlags({ "warp-factors": "1,3" })).toThrow(/--warp-factors must be a number between 0.5 and 2/);
  });

  test("a voice below the gate is classified exactly as without it", () => {
    const c = new Classifier(model);
    const plain = new Classifier(unwarped);
    let checked = 0;
    for (const clip of testSplit.slice(0, 40)) {
      const u = c.analyse(clip.samples);
      const p = Array.from(c.classify(u));
      if (u.pitchHz > model.pitchWarp!.minHz) continue;
      expect(p).toEqual(Array.from(plain.predict(plain.features(plain.analyse(clip.samples)))));
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  test("a voice above it gets the normalised geometric mean of the network over the warps", () => {
    const c = new Classifier(model);
    const warps = model.pitchWarp!.warps;
    const high = testSplit.slice(0, 20).map((clip) => faster(clip, 1.6));
    let checked = 0;
    for (const samples of high) {
      const u = c.analyse(samples);
      const p = Array.from(c.classify(u));
      if (u.pitchHz <= model.pitchWarp!.minHz) continue;
      const outs = warps.map((w) => c.features(u, w));
      const logs = outs.map((f) => Array.from(c.predict(f), (v) => Math.log(v + 1e-30)));
      const mean = logs[0]!.map((_, k) => logs.reduce((s, l) => s + l[k]!, 0) / logs.length);
      const z = mean.map((v) => Math.exp(v - Math.max(...mean)));
      const total = z.reduce((a, b) => a + b, 0);
      z.forEach((v, k) => expect(p[k]!).toBeCloseTo(v / total, 9));
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
  });

  test("raises accuracy on real digits played 1.3 times faster (a shorter vocal tract and a higher voice)", () => {
    const c = new Classifier(model);
    const plain = new Classifier(unwarped);
    let right = 0;
    let rightPlain = 0;
    for (const clip of testSplit) {
      const x = faster(clip, 1.3);
      if (argmax(c.classify(c.analyse(x))) === clip.label) right++;
      if (argmax(plain.classify(plain.analyse(x))) === clip.label) rightPlain++;
    }
    // a gain of at least 3 points of accuracy, well above a chance difference of a few clips
    expect((right - rightPlain) / testSplit.length).toBeGreaterThanOrEqual(0.03);
  });

  test("a model file with a broken pitchWarp is refused", () => {
    expect(() => validateModel({ ...model, pitchWarp: { minHz: 165, warps: [] } }, "bad.json")).toThrow(/pitchWarp must hold minHz > 0 and warps/);
    expect(() => validateModel({ ...model, pitchWarp: { minHz: 165, warps: [1, 5] } }, "bad.json")).toThrow(/pitchWarp/);
    expect(validateModel(unwarped, "plain.json").pitchWarp).toBeUndefined();
  });
});
