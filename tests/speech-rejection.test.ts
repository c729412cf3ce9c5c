import { describe, expect, test } from "bun:test";
import { ROOM_REMARKS, ROOM_VOICES, TRAIN_SPEECH_SENTENCES, TRAIN_SPEECH_VOICES, TRAIN_SPEECH_WORDS } from "../data/synth/room-voices.ts";
import { NOT_NONDIGITS, trainListWords } from "../data/synth/train-word-list.ts";
import { type TtsVoice, speak, voiceName } from "../data/synth/tts.ts";
import { DIGIT_WORDS, NONDIGIT_TEXT, VOICE_GRIDS } from "../data/synth/voices.ts";
import { ClipRecognizer } from "../engine/clip-recognizer.ts";
import { loadModelFile } from "../engine/model-file.ts";

const haveTts = Boolean(Bun.which("espeak-ng") && Bun.which("flite"));
const model = loadModelFile();
const recognizer = new ClipRecognizer(model);
const threshold = model.rejectBelow ?? 0;
const accepted = (x: Float32Array) => {
  const p = recognizer.recognize(x, 8000);
  return p.speech && p.confidence >= threshold ? p.digit : null;
};

describe("held-out voices and words stay out of training", () => {
  test("no training voice variant is an evaluation voice; no training word or sentence is an evaluation one", () => {
    const variant = (v: string) => v.split("+")[1]!;
    const evalVariants = new Set([
      ...VOICE_GRIDS.standard.espeakVariants,
      ...VOICE_GRIDS.fresh.espeakVariants,
      ...ROOM_VOICES.filter((v) => v.engine === "espeak-ng").map((v) => variant(v.voice)),
    ]);
    expect(TRAIN_SPEECH_VOICES.filter((v) => v.engine !== "espeak-ng" || evalVariants.has(variant(v.voice)))).toEqual([]);
    const evalText = new Set<string>([
      ...NONDIGIT_TEXT.eval.words,
      ...NONDIGIT_TEXT.eval.rhymes,
      ...NONDIGIT_TEXT.eval.sentences,
      ...ROOM_REMARKS.words,
      ...ROOM_REMARKS.sentences,
    ]);
    expect([...TRAIN_SPEECH_WORDS, ...TRAIN_SPEECH_SENTENCES].filter((t) => evalText.has(t))).toEqual([]);
    expect(TRAIN_SPEECH_WORDS.filter((w) => DIGIT_WORDS.includes(w) || ["oh", "won", "ate", "to", "too", "for"].includes(w))).toEqual([]);
  });

  test("the common-English training list is thousands of words, none a digit word, a word for zero or an evaluation word", () => {
    const list = trainListWords();
    expect(list.length).toBeGreaterThan(3000);
    expect(new Set(list).size).toBe(list.length);
    const evalText = new Set<string>([...NONDIGIT_TEXT.eval.words, ...NONDIGIT_TEXT.eval.rhymes, ...ROOM_REMARKS.words]);
    expect(list.filter((w) => evalText.has(w) || NOT_NONDIGITS.has(w) || DIGIT_WORDS.includes(w))).toEqual([]);
    for (const w of ["oh", "owe", "four", "for", "eight", "ate", "nought"]) expect(NOT_NONDIGITS.has(w)).toBe(true);
  });
});

describe.skipIf(!haveTts)("synthetic training voices", () => {
  test("every training voice sounds different (espeak-ng ignores a variant on some accents)", () => {
    const fingerprint = (x: Float32Array) => `${x.length}:${Array.from(x.subarray(2000, 2400), (v) => v.toFixed(4)).join(",")}`;
    const heard = new Set(TRAIN_SPEECH_VOICES.map((v) => fingerprint(speak({ ...v, rate: 160, pitch: 50 }, "hello there"))));
    expect(heard.size).toBe(TRAIN_SPEECH_VOICES.length);
  }, 60_000);
});

// Voices of the room streams (never trained on), words of the evaluation lists.
describe.skipIf(!haveTts)("rejection of speech that is not a digit, held-out voices and words", () => {
  const voices = ROOM_VOICES.filter((_, i) => i % 2 === 0);
  test("non-digit sentences are rejected and words more often than not; the same voices' digits mostly accepted", () => {
    const words = NONDIGIT_TEXT.eval.words.filter((_, i) => i % 3 === 0);
    const said = (texts: readonly string[]) => voices.flatMap((v) => texts.map((t) => ({ voice: voiceName(v), text: t, digit: accepted(speak(v, t)) })));
    const wordRate = said(words).filter((r) => r.digit !== null).length / (words.length * voices.length);
    const sentenceRate = said(NONDIGIT_TEXT.eval.sentences).filter((r) => r.digit !== null).length / (NONDIGIT_TEXT.eval.sentences.length * voices.length);
    const digits = voices.flatMap((v) => DIGIT_WORDS.map((w, d) => accepted(speak(v, w)) === d));
    const recall = digits.filter(Boolean).length / digits.length;
    // the shipped model: words 0.54, sentences 0.02, digits 0.83 here; the model before it
    // accepted about nine words in ten (the issue asks at most two: not reached)
    expect(wordRate).toBeLessThanOrEqual(0.65);
    expect(sentenceRate).toBeLessThanOrEqual(0.15);
    expect(recall).toBeGreaterThanOrEqual(0.75);
  }, 120_000);

  test('"oh" is heard as zero by voices never trained on, and "zero" and "four" keep their digit', () => {
    // every room voice at three speeds: 15 espeak-ng and 9 flite takes
    const takes = ROOM_VOICES.flatMap((v): TtsVoice[] =>
      v.engine === "espeak-ng" ? [140, 170, 200].map((rate) => ({ ...v, rate })) : [0.9, 1, 1.2].map((stretch) => ({ ...v, stretch })),
    );
    const share = (word: string, digit: number) => takes.filter((v) => accepted(speak(v, word)) === digit).length / takes.length;
    // the shipped model: oh 0.25, zero 0.88, four 0.96 here; before it was taught "oh", none
    expect(share("oh", 0)).toBeGreaterThanOrEqual(0.2);
    expect(share("zero", 0)).toBeGreaterThanOrEqual(0.75);
    expect(share("four", 4)).toBeGreaterThanOrEqual(0.85);
  }, 120_000);
});
