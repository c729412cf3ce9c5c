import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSplit } from "../data/fsdd.ts";
import { Classifier } from "../engine/classifier.ts";
import { Utterance } from "../engine/features/utterance.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../engine/model-file.ts";
import { resampleTo } from "../engine/resampler.ts";
import { seededRng, whiteNoise } from "../data/synth/signals.ts";

const model = loadModelFile();
const clips = (await loadSplit("test")).slice(0, 30);
const tmp = mkdtempSync(join(tmpdir(), "classifier-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What one classifier, fresh, says of one clip: its probabilities, voiced-speech verdict and pitch. */
function alone(samples: Float32Array) {
  const c = new Classifier(model);
  const u = c.analyse(samples);
  return { p: Array.from(c.classify(u)), speech: u.speech, pitchHz: u.pitchHz, trim: { ...u.trim } };
}

describe("the classifier as a pipeline", () => {
  test("an utterance classifies the same whatever was analysed, classified or warped in between", () => {
    const c = new Classifier(model);
    const noise = whiteNoise(8000, seededRng(7));
    // A high voice, so that its classification goes through the warped filterbanks.
    const high = resampleTo(clips[1]!.samples, 8000 * 1.6, 8000);
    for (let i = 0; i + 1 < clips.length; i += 3) {
      const a = clips[i]!.samples;
      const want = alone(a);
      const ua = c.analyse(a);
      // Other utterances analysed and classified between analysing `a` and classifying it.
      const ub = c.analyse(clips[i + 1]!.samples);
      c.classify(ub);
      c.classify(c.analyse(noise));
      c.classify(c.analyse(high));
      c.features(ub, 1.15);
      expect(Array.from(c.classify(ua))).toEqual(want.p);
      expect(ua.speech).toBe(want.speech);
      expect(ua.pitchHz).toBe(want.pitchHz);
      expect(ua.trim).toEqual(want.trim);
    }
  });

  test("a refilled utterance holds only its latest audio, even after a longer one grew it", () => {
    const c = new Classifier(model);
    const u = new Utterance();
    const long = new Float32Array(3 * 8000);
    long.set(clips[2]!.samples, 8000);
    c.analyse(long, u);
    const short = clips[3]!.samples;
    expect(c.analyse(short, u)).toBe(u);
    const want = alone(short);
    expect(Array.from(c.classify(u))).toEqual(want.p);
    expect(u.trim).toEqual(want.trim);
    expect(u.speech).toBe(want.speech);
  });

  test("white noise is analysed as no speech and a digit as speech", () => {
    const c = new Classifier(model);
    expect(c.analyse(whiteNoise(8000, seededRng(3))).speech).toBe(false);
    const voiced = clips.filter((clip) => c.analyse(clip.samples).speech).length;
    expect(voiced / clips.length).toBeGreaterThan(0.9);
  });
});

describe("model files", () => {
  test("one written before the cepstra were renamed (nMfcc) loads and classifies exactly as the shipped one", () => {
    const text = readFileSync(DEFAULT_MODEL_PATH, "utf8");
    expect(text).toContain('"nCepstra":');
    const old = join(tmp, "old-spelling.json");
    writeFileSync(old, text.replaceAll('"nCepstra":', '"nMfcc":'));
    const loaded = loadModelFile(old);
    expect(loaded.features.nCepstra).toBe(model.features.nCepstra);
    expect("nMfcc" in loaded.features).toBe(false);
    const a = new Classifier(model);
    const b = new Classifier(loaded);
    for (const clip of clips) expect(Array.from(b.classify(b.analyse(clip.samples)))).toEqual(Array.from(a.classify(a.analyse(clip.samples))));
  });
});
