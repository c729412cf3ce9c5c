import type { Clip } from "../data/fsdd.ts";
import { adaptModel } from "../engine/adaptation/adapted-model.ts";
import { Classifier, argmax } from "../engine/classifier.ts";
import type { ModelFile } from "../engine/model-file.ts";
import { seededRng } from "../data/synth/signals.ts";
import { Utterance } from "../engine/features/utterance.ts";
import { mean } from "./metrics.ts";
import { nonDigitClips } from "./nondigit-set.ts";
import type { EnrolTake } from "./enrolment.ts";
import { type AdaptOptions, type Take, fitSpeakerAdaptation } from "./speaker-adaptation.ts";
import { clipAt } from "./training-set.ts";

/** One held-out speaker's figures before and after enrolment. */
export interface EnrolledFold {
  speaker: string;
  takes: number;
  tested: number;
  plain: number;
  enrolled: number;
  /** Share of the speaker's non-digits (reversed clips and chimeras of two digits) the engine would accept. */
  nondigitPlain: number;
  nondigitEnrolled: number;
  adaptMs: number;
}

export interface EnrollCvOptions {
  shots: number;
  /** Labels of this share of the enrolment takes are changed to another digit (a user's slips). */
  mislabelled?: number;
  /** Enrolment takes mixed with white noise at this SNR in dB (absent: clean takes). */
  noisySnrDb?: number;
  /** Non-digit phrases given at enrolment (made from the speaker's enrolment takes). */
  nondigitTakes?: number;
  adapt?: Partial<AdaptOptions>;
  seed?: number;
}

/** Whether the engine would name a digit for these samples: confident enough, and voiced speech. */
function accepted(classifier: Classifier, samples: Float32Array, rejectBelow: number): boolean {
  const u = classifier.analyse(samples);
  const p = classifier.classify(u);
  const best = argmax(p);
  return /^\d$/.test(classifier.labels[best]!) && p[best]! >= rejectBelow && u.speech;
}

function acceptRate(model: ModelFile, clips: readonly Float32Array[]): number {
  const c = new Classifier(model);
  const threshold = model.rejectBelow ?? 0.3;
  return clips.length ? clips.filter((x) => accepted(c, x, threshold)).length / clips.length : 0;
}

function accuracyOf(model: ModelFile, clips: readonly Clip[]): number {
  const c = new Classifier(model);
  const rate = model.features.sampleRate;
  const u = new Utterance();
  return clips.filter((clip) => argmax(c.classify(c.analyse(clipAt(clip, rate), u))) === clip.label).length / clips.length;
}

function withWhiteNoise(x: Float32Array, snrDb: number, rng: () => number): Float32Array {
  let power = 0;
  for (let i = 0; i < x.length; i++) power += x[i]! * x[i]!;
  const sd = Math.sqrt(power / x.length / 10 ** (snrDb / 10)) * Math.sqrt(3);
  return Float32Array.from(x, (v) => v + sd * (2 * rng() - 1));
}

/**
 * Enrols `model` (trained without `speaker`) on `shots` random takes per digit of the speaker's
 * clips and scores it on the rest of them, beside the model as it was.
 */
export function enrolledFold(model: ModelFile, speaker: string, clips: readonly Clip[], o: EnrollCvOptions): EnrolledFold {
  const rng = seededRng((o.seed ?? 0) * 31 + 7);
  const rate = model.features.sampleRate;
  const enrol: Clip[] = [];
  const test: Clip[] = [];
  for (let d = 0; d < model.labels.length; d++) {
    const mine = clips.filter((c) => c.label === d);
    const order = mine
      .map((c) => ({ c, r: rng() }))
      .sort((a, b) => a.r - b.r)
      .map((x) => x.c);
    enrol.push(...order.slice(0, o.shots));
    test.push(...order.slice(o.shots));
  }
  const takes: Take[] = enrol.map((c) => {
    let samples = clipAt(c, rate);
    if (o.noisySnrDb !== undefined) samples = withWhiteNoise(samples, o.noisySnrDb, rng);
    let label = c.label;
    if (o.mislabelled && rng() < o.mislabelled) label = (label + 1 + Math.floor(rng() * 9)) % 10;
    return { samples, label };
  });
  const negatives = nonDigitClips(enrol, rate, { soundsPerKind: 0, reversed: 1, chimeras: 1, fragments: 0, seed: o.seed ?? 0 });
  const order = negatives.map((c) => ({ c, r: rng() })).sort((a, b) => a.r - b.r);
  for (const { c } of order.slice(0, o.nondigitTakes ?? 0)) takes.push({ samples: clipAt(c, rate), label: -1 });
  const t0 = performance.now();
  const { adaptation } = fitSpeakerAdaptation(model, takes, { ...o.adapt, seed: o.seed ?? 0 });
  const adapted = adaptModel(model, adaptation);
  const adaptMs = performance.now() - t0;
  const testNegatives = nonDigitClips(test, rate, { soundsPerKind: 0, reversed: 0.5, chimeras: 0.5, fragments: 0, seed: 1 + (o.seed ?? 0) }).map((c) =>
    clipAt(c, rate),
  );
  return {
    speaker,
    takes: takes.length,
    tested: test.length,
    plain: accuracyOf(model, test),
    enrolled: accuracyOf(adapted, test),
    nondigitPlain: acceptRate(model, testNegatives),
    nondigitEnrolled: acceptRate(adapted, testNegatives),
    adaptMs,
  };
}

export interface EnrolledSummary {
  shots: number;
  mean: number;
  worst: number;
  plainMean: number;
  folds: Record<string, number>;
  plainFolds: Record<string, number>;
  nondigitAccepted: { plain: number; enrolled: number };
  adaptMsMedian: number;
  /** Speakers the enrolled model names fewer of their test clips right than the plain model. */
  belowPlain: string[];
}

export function summariseEnrolled(shots: number, folds: readonly EnrolledFold[]): EnrolledSummary {
  const times = folds.map((f) => f.adaptMs).sort((a, b) => a - b);
  return {
    shots,
    mean: mean(folds.map((f) => f.enrolled)),
    worst: Math.min(...folds.map((f) => f.enrolled)),
    plainMean: mean(folds.map((f) => f.plain)),
    folds: Object.fromEntries(folds.map((f) => [f.speaker, f.enrolled])),
    plainFolds: Object.fromEntries(folds.map((f) => [f.speaker, f.plain])),
    nondigitAccepted: { plain: mean(folds.map((f) => f.nondigitPlain)), enrolled: mean(folds.map((f) => f.nondigitEnrolled)) },
    adaptMsMedian: times[Math.floor(times.length / 2)] ?? 0,
    belowPlain: folds.filter((f) => f.enrolled < f.plain).map((f) => f.speaker),
  };
}

/** One voice's figures: enrolled on its first `shots` takes per digit (and some phrases), tested on the rest. */
export interface EnrolledVoice {
  voice: string;
  tested: number;
  plain: number;
  enrolled: number;
  nondigitTested: number;
  nondigitPlain: number;
  nondigitEnrolled: number;
  /** Share of the test digits the engine would name, and name right (confident enough, voiced). */
  digitsAcceptedPlain: number;
  digitsAcceptedEnrolled: number;
  /** "oh" takes (after the first `shots`) tested, and the share the model answers 0 for. */
  ohTested: number;
  ohPlain: number;
  ohEnrolled: number;
  /** Share of those the engine would name 0 (confident enough, voiced), enrolled. */
  ohAcceptedEnrolled: number;
  adaptMs: number;
}

/** The take number of `{digit}_{k}.wav` / `n_{k}.wav`, or 0. */
function takeNumber(t: EnrolTake): number {
  return Number(/_(\d+)\.wav$/i.exec(t.source ?? "")?.[1] ?? 0);
}

/** Share of `takes` the engine would name as their own digit (confident enough, voiced). */
function acceptedRight(model: ModelFile, takes: readonly EnrolTake[]): number {
  const c = new Classifier(model);
  const threshold = model.rejectBelow ?? 0.3;
  const right = takes.filter((t) => {
    const p = c.classify(c.analyse(t.samples));
    return argmax(p) === t.label && accepted(c, t.samples, threshold);
  });
  return right.length / Math.max(1, takes.length);
}

/** Enrols on takes 1…`shots` of each digit and of "oh" and the first `phrases` non-digits of a folder; tests on the rest. */
export function enrolledVoice(
  model: ModelFile,
  voice: string,
  takes: readonly EnrolTake[],
  shots: number,
  phrases: number,
  adapt: Partial<AdaptOptions>,
): EnrolledVoice {
  const enrolSet = takes.filter((t) => (t.label >= 0 ? takeNumber(t) <= shots : takeNumber(t) <= phrases));
  const digitsTest = takes.filter((t) => t.label >= 0 && t.kind !== "oh" && takeNumber(t) > shots);
  const ohTest = takes.filter((t) => t.kind === "oh" && takeNumber(t) > shots);
  const othersTest = takes.filter((t) => t.label < 0 && takeNumber(t) > phrases).map((t) => t.samples);
  const t0 = performance.now();
  const { adaptation } = fitSpeakerAdaptation(model, enrolSet, adapt);
  const adapted = adaptModel(model, adaptation);
  const adaptMs = performance.now() - t0;
  const score = (m: ModelFile, test = digitsTest) => {
    const c = new Classifier(m);
    return test.filter((t) => argmax(c.classify(c.analyse(t.samples))) === t.label).length / Math.max(1, test.length);
  };
  return {
    voice,
    tested: digitsTest.length,
    plain: score(model),
    enrolled: score(adapted),
    nondigitTested: othersTest.length,
    nondigitPlain: acceptRate(model, othersTest),
    nondigitEnrolled: acceptRate(adapted, othersTest),
    digitsAcceptedPlain: acceptedRight(model, digitsTest),
    digitsAcceptedEnrolled: acceptedRight(adapted, digitsTest),
    ohTested: ohTest.length,
    ohPlain: score(model, ohTest),
    ohEnrolled: score(adapted, ohTest),
    ohAcceptedEnrolled: acceptedRight(adapted, ohTest),
    adaptMs,
  };
}
