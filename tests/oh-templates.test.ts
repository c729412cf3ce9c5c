/**
 * "oh" enrolled as 0 (train/speaker-adaptation.ts `ohTemplates`, engine/adaptation/
 * template-matcher.ts `ohReach`), on a synthetic voice: held-out takes of "oh" are named 0 and
 * accepted, while the voice's own non-digit phrases get through no more often than when no "oh"
 * was enrolled (a short vowel must not open the door to every short word).
 */
import { describe, expect, test } from "bun:test";
import { speak } from "../data/synth/tts.ts";
import { DIGIT_WORDS, NONDIGIT_TEXT } from "../data/synth/voices.ts";
import { seededRng } from "../data/synth/signals.ts";
import { adaptModel } from "../engine/adaptation/adapted-model.ts";
import { Classifier, argmax } from "../engine/classifier.ts";
import { type ModelFile, loadModelFile } from "../engine/model-file.ts";
import { ENROL_ADAPT } from "../train/enrolment.ts";
import { type Take, fitSpeakerAdaptation } from "../train/speaker-adaptation.ts";

const haveTts = Boolean(Bun.which("espeak-ng"));

describe.skipIf(!haveTts)('"oh" as a way to say 0', () => {
  test('held-out "oh" is accepted as 0, and phrases are let through no more than without "oh"', () => {
    const model = loadModelFile();
    const rate = model.features.sampleRate;
    const rng = seededRng(11);
    const say = (text: string) =>
      speak({ engine: "espeak-ng", voice: "en-us+f3", rate: Math.round(130 + 80 * rng()), pitch: Math.round(35 + 30 * rng()) }, text, rate);
    const digits: Take[] = [];
    for (let d = 0; d < 10; d++) for (let k = 0; k < 3; k++) digits.push({ samples: say(DIGIT_WORDS[d]!), label: d });
    const ohs: Take[] = Array.from({ length: 8 }, () => ({ samples: say("oh"), label: 0, kind: "oh" as const }));
    const words = NONDIGIT_TEXT.eval.words;
    const phrases = words.slice(0, 15).map((w) => say(w));
    const enrolledPhrases: Take[] = phrases.slice(0, 3).map((samples) => ({ samples, label: -1, kind: "phrase" as const }));
    const tested = phrases.slice(3);

    const accepts = (m: ModelFile, x: Float32Array, label?: number) => {
      const c = new Classifier(m);
      const u = c.analyse(x);
      const p = c.classify(u);
      const best = argmax(p);
      return /^\d$/.test(m.labels[best]!) && (label === undefined || best === label) && p[best]! >= (m.rejectBelow ?? 0.3) && u.speech;
    };
    const fit = (takes: Take[]) => adaptModel(model, fitSpeakerAdaptation(model, takes, ENROL_ADAPT).adaptation);
    const withOh = fit([...digits, ...ohs.slice(0, 3), ...enrolledPhrases]);
    const withoutOh = fit([...digits, ...enrolledPhrases]);

    const set = withOh.templates!;
    expect(set.takes.filter((t) => t.oh).length).toBe(3);
    expect(set.ohReach).toBeGreaterThan(0);
    expect(withoutOh.templates!.ohReach).toBeUndefined();

    const ohAccepted = ohs.slice(3).filter((t) => accepts(withOh, t.samples, 0)).length / 5;
    expect(ohAccepted).toBeGreaterThanOrEqual(0.8);
    const through = (m: ModelFile) => tested.filter((x) => accepts(m, x)).length;
    expect(through(withOh)).toBeLessThanOrEqual(through(withoutOh) + 1);
  }, 120_000);
});
