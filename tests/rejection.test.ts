import { describe, expect, test } from "bun:test";
import { loadSplit } from "../data/fsdd.ts";
import { SOUND_KINDS, makeSound } from "../data/synth/sounds.ts";
import { ClipRecognizer } from "../engine/clip-recognizer.ts";
import { loadModelFile } from "../engine/model-file.ts";
import { applyGain, meanPower, seededRng } from "../data/synth/signals.ts";
import { falseAcceptRate, nonDigitCategory, rejectionCost } from "../train/rejection.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeWav16 } from "../engine/audio/wav.ts";
import type { EngineOptions } from "../engine/engine.ts";
import { FileSource } from "../engine/sources/file-source.ts";
import { runEngine } from "../engine/stream-eval.ts";

const model = loadModelFile();
const recognizer = new ClipRecognizer(model);

describe("rejection with the shipped model's threshold", () => {
  test("the shipped model carries a threshold", () => {
    expect(model.rejectBelow).toBeGreaterThan(0);
    expect(model.rejectBelow).toBeLessThan(1);
  });

  test("synthesised clicks, bursts, coughs, knocks, claps, beeps and breaths are mostly rejected; real digits are not", async () => {
    // a seed the training set never used
    const rng = seededRng(424242);
    const sounds = SOUND_KINDS.flatMap((kind) =>
      Array.from({ length: 6 }, () => {
        const x = makeSound(kind, 8000, rng);
        return applyGain(x, -26 - 10 * Math.log10(meanPower(x)));
      }),
    );
    const soundPredictions = sounds.map((x) => recognizer.recognize(x, 8000));
    const soundConf = soundPredictions.map((p) => p.confidence);
    const digits = (await loadSplit("test")).filter((_, i) => i % 3 === 0);
    const scored = digits.map((c) => {
      const p = recognizer.recognize(c.samples, c.sampleRate);
      return { confidence: p.confidence, correct: p.digit === c.label };
    });
    const threshold = model.rejectBelow!;
    // by confidence alone; with the voiced-speech check too (as the engine decides), far fewer
    expect(falseAcceptRate(soundConf, threshold)).toBeLessThan(0.4);
    expect(
      falseAcceptRate(
        soundPredictions.map((p) => (p.speech ? p.confidence : -1)),
        threshold,
      ),
    ).toBeLessThan(0.1);
    const cost = rejectionCost(scored, threshold);
    expect(cost.rejected).toBeLessThan(0.05);
    expect(cost.acceptedAccuracy).toBeGreaterThan(0.97);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(soundConf)).toBeLessThan(mean(scored.map((s) => s.confidence)) - 0.3);
  });
});

describe("through the engine: a short voiced stretch needs a confident digit", () => {
  test("coughs, knocks, bursts and beeps give fewer digits with the weak-voicing rule, FSDD test digits none fewer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weak-voicing-"));
    try {
      // a seed neither training nor `bun data:synth` uses
      const rng = seededRng(777);
      const pad = new Float32Array(2400);
      const wav = (name: string, x: Float32Array, rate: number) => {
        const padded = new Float32Array(x.length + 2 * pad.length);
        padded.set(x, pad.length);
        const path = join(dir, `${name}.wav`);
        writeFileSync(path, encodeWav16(padded, rate));
        return path;
      };
      const sounds = SOUND_KINDS.flatMap((kind) =>
        Array.from({ length: 40 }, (_, i) => {
          const x = makeSound(kind, 8000, rng);
          return wav(`${kind}-${i}`, applyGain(x, -26 - 10 * Math.log10(meanPower(x))), 8000);
        }),
      );
      const digits = (await loadSplit("test"))
        .filter((_, i) => i % 10 === 0)
        .map((c, i) => ({ label: c.label, path: wav(`digit-${i}`, c.samples, c.sampleRate) }));
      const digitsOut = async (path: string, options: Partial<EngineOptions>) =>
        (await runEngine(model, new FileSource(path, { realtime: false }), options)).summary.digits;
      const rate = async (options: Partial<EngineOptions>) => {
        let given = 0;
        for (const s of sounds) if ((await digitsOut(s, options)) !== "") given++;
        return given / sounds.length;
      };
      const right = async (options: Partial<EngineOptions>) => {
        let n = 0;
        for (const d of digits) if ((await digitsOut(d.path, options)) === String(d.label)) n++;
        return n;
      };
      const off = { weakVoicing: { belowMs: 0, rejectBelow: 0 } };
      const [withRule, without] = [await rate({}), await rate(off)];
      expect(withRule).toBeLessThan(without);
      expect(withRule).toBeLessThanOrEqual(0.08);
      expect(await right({})).toBe(await right(off));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("rejection arithmetic", () => {
  test("false accepts, cost on digits and categories from file names", () => {
    expect(falseAcceptRate([0.2, 0.5, 0.9, 0.95], 0.9)).toBe(0.5);
    const cost = rejectionCost(
      [
        { confidence: 0.95, correct: true },
        { confidence: 0.6, correct: false },
        { confidence: 0.3, correct: true },
        { confidence: 0.99, correct: true },
      ],
      0.5,
    );
    expect(cost).toEqual({ threshold: 0.5, rejected: 0.25, acceptedCorrect: 0.5, acceptedAccuracy: 2 / 3 });
    expect(nonDigitCategory("x_sound_knock-3.wav")).toBe("sound");
    expect(nonDigitCategory("dir/x_words_hello_espeak.wav")).toBe("words");
    expect(nonDigitCategory("7_jackson_1.wav")).toBe("other");
  });
});
