import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSplit } from "../data/fsdd.ts";
import { type SoundKind, makeSound } from "../data/synth/sounds.ts";
import { encodeWav16 } from "../engine/audio/wav.ts";
import { ClipRecognizer } from "../engine/clip-recognizer.ts";
import type { EngineEvent } from "../engine/events.ts";
import { DEFAULT_VOICING } from "../engine/features/voicing.ts";
import { type ModelFile, loadModelFile, validateModel } from "../engine/model-file.ts";
import { FileSource } from "../engine/sources/file-source.ts";
import { runEngine } from "../engine/stream-eval.ts";
import { addNoise, applyGain, meanPower, pinkNoise, seededRng } from "../data/synth/signals.ts";

const model = loadModelFile();
const recognizer = new ClipRecognizer(model);
const tmp = mkdtempSync(join(tmpdir(), "voicing-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Scaled to -26 dB mean power, as loud as a digit in the test split. */
const atSpeechLevel = (x: Float32Array) => applyGain(x, -26 - 10 * Math.log10(meanPower(x)));

// A seed that neither the training set's nor `bun data:synth`'s sounds use.
const rng = seededRng(90210);
const sounds = (kind: SoundKind, n: number) => Array.from({ length: n }, () => atSpeechLevel(makeSound(kind, 8000, rng)));

describe("the voiced-speech check", () => {
  test("the shipped model stores it, switched on, as its training recipe set it", () => {
    expect(model.voicing).toBeDefined();
    expect(Object.keys(model.voicing!).sort()).toEqual(Object.keys(DEFAULT_VOICING).sort());
    expect(model.voicing!.minVoicedMs).toBeGreaterThan(0);
    expect((model.training.recipe as { voicing?: unknown }).voicing).toEqual(model.voicing);
  });

  test("passes real digits, clean and in 10 dB pink noise", async () => {
    const test = await loadSplit("test");
    const noise = seededRng(7);
    const clean = test.filter((c) => recognizer.recognize(c.samples, c.sampleRate).speech).length;
    const noisy = test.filter((c) => recognizer.recognize(addNoise(c.samples, pinkNoise(c.samples.length, noise), 10), c.sampleRate).speech).length;
    expect(clean / test.length).toBeGreaterThanOrEqual(0.99);
    expect(noisy / test.length).toBeGreaterThanOrEqual(0.97);
  });

  test("stops clicks, claps, breaths and beeps, and most knocks, before the classifier's confidence is asked", () => {
    for (const kind of ["click", "clap", "breath", "beep"] as const) {
      const passed = sounds(kind, 8).filter((x) => recognizer.recognize(x, 8000).speech).length;
      expect(`${kind}: ${passed}`).toBe(`${kind}: 0`);
    }
    const knocks = sounds("knock", 12).filter((x) => recognizer.recognize(x, 8000).speech).length;
    expect(knocks).toBeLessThanOrEqual(3);
  });

  test("a model can turn it off", () => {
    const off: ModelFile = validateModel({ ...model, voicing: { ...DEFAULT_VOICING, minVoicedMs: 0 } }, "off.json");
    const open = new ClipRecognizer(off);
    for (const x of sounds("beep", 4)) expect(open.recognize(x, 8000).speech).toBe(true);
  });

  test("a model file with a broken voicing block is refused with the field names", () => {
    expect(() => validateModel({ ...model, voicing: { minVoicedMs: "40" } }, "bad.json")).toThrow(/voicing must hold the numbers minVoicedMs/);
  });
});

describe("the engine with the voiced-speech check", () => {
  test("a digit between a beep and a breath: one prediction, the two sounds rejected as not speech", async () => {
    const digit = (await loadSplit("test")).find((c) => c.label === 7)!;
    const beep = atSpeechLevel(makeSound("beep", 8000, seededRng(3)));
    const quiet = (s: number) => new Float32Array(Math.round(8000 * s));
    const parts = [quiet(0.5), beep, quiet(0.6), digit.samples, quiet(0.6), atSpeechLevel(makeSound("breath", 8000, seededRng(4))), quiet(0.6)];
    const stream = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      stream.set(p, at);
      at += p.length;
    }
    // a faint noise floor, as a room has
    const noisy = addNoise(stream, pinkNoise(stream.length, seededRng(11)), 40, 10 ** (-26 / 10));
    const wav = join(tmp, "digit-and-sounds.wav");
    writeFileSync(wav, encodeWav16(noisy, 8000));
    const run = await runEngine(model, new FileSource(wav, { realtime: false }));
    expect(run.predictions.map((p) => p.digit)).toEqual([7]);
    const rejected = run.events.filter((e): e is Extract<EngineEvent, { type: "rejected" }> => e.type === "rejected");
    expect(rejected.map((r) => r.reason)).toEqual(["not-speech", "not-speech"]);
    expect(rejected.every((r) => r.digit === undefined)).toBe(true);
  });
});
