import { Classifier, isDigitLabel } from "../engine/classifier.ts";
import type { SpeakerAdaptation } from "../engine/adaptation/adapted-model.ts";
import { type TemplateSet, TemplateMatcher, fuseTemplateScores } from "../engine/adaptation/template-matcher.ts";
import { type ModelFile, NON_DIGIT_LABEL } from "../engine/model-file.ts";
import { matrixData, packMatrix } from "../engine/packed-matrix.ts";
import { type AugmentOptions, NO_AUGMENTATION, augmentCopy } from "./augment-recipe.ts";
import { seededRng } from "../data/synth/signals.ts";
import { Utterance } from "../engine/features/utterance.ts";
import { minimizeLbfgs } from "./lbfgs.ts";
import { nonDigitClips } from "./nondigit-set.ts";
import type { Clip } from "../data/fsdd.ts";

/** One enrolment recording at the model's sample rate: a digit (0-9) or a non-digit (−1). */
export interface Take {
  samples: Float32Array;
  label: number;
  /** "oh": a take of 0 said as "oh"; "phrase" and "room": non-digits (label −1). */
  kind?: "oh" | "phrase" | "room";
}

export interface AdaptOptions {
  /** Weight of the distance to the speaker's class prototypes added to the network's logits. */
  prototypeWeight: number;
  /** L-BFGS iterations fitting the output layer to the takes; 0 keeps the prototype blend alone. */
  iterations: number;
  /**
   * Pull of the refitted output layer towards the blend it starts from (L2, per row of data),
   * with one take per digit; divided by the square of the takes per digit (the median over
   * digits), so a few takes move the layer less than many.
   */
  anchor: number;
  /** Augmented copies of each take (noise, gain, padding) the output layer is fitted on. */
  copies: number;
  /** With one take per digit, copies of each take instead of `copies` (a single take needs more variety); −1: `copies`. */
  copiesOneTake: number;
  /**
   * A take the unadapted model hears as another digit with at least this confidence (and its
   * own digit below 1 − this) is left out, unless it is its digit's only take: a take
   * mislabelled or misspoken must not teach the model. 1 keeps every take.
   */
  dropConfidentlyOther: number;
  /**
   * Non-digits made from the takes themselves, per digit take: time-reversed takes and chimeras
   * (the start of one digit joined to the end of another), fitted as non-digits so the sharper
   * adapted model still rejects speech-like sounds that are no digit.
   */
  madeNegatives: number;
  /** Share of the made non-digits that are chimeras (the rest: reversed takes). */
  chimeraShare: number;
  /**
   * Non-digits get an output of their own (label NON_DIGIT_LABEL, which the engine rejects as
   * "not-a-digit") instead of being fitted towards a flat output over the digits.
   */
  nonDigitClass: boolean;
  /** Weight of a made non-digit in the fit against a take of the speaker's (1: the same). */
  madeWeight: number;
  /**
   * With `nonDigitClass`: the non-digit output is lowered until it loses to the best digit by at
   * least this much (in logits) on every digit take and copy the speaker gave, so a digit said
   * the way it was enrolled is never taken for a non-digit. Negative: no such guard.
   */
  noneMargin: number;
  /**
   * Cross-validated among the takes: a digit take whose nearest prototype of the other takes
   * (its own left out) is another digit's, and to which the unadapted model gives its own digit
   * less than this probability, is doubted: weighed `doubtedWeight` in the fit and left out of
   * the prototypes. 0 doubts no take.
   */
  doubtBelow: number;
  /** Weight in the fit of a take doubted by `doubtBelow` (0: left out). */
  doubtedWeight: number;
  /**
   * Share (0-1) by which the input standardisation's mean moves to the mean feature vector of
   * the speaker's digit takes (per-speaker mean normalisation before the hidden layer); 0 keeps
   * the model's.
   */
  speakerMean: number;
  /**
   * The adapted model's rejection threshold set from the speaker's own recordings: just above
   * the digit confidence it gives their non-digit phrases and room noise, but no higher than the
   * lowest it gives their kept digit takes less `rejectMargin`, and never below the model's own.
   * Negative: the model's threshold.
   */
  rejectMargin: number;
  /**
   * Weight of template matching (DTW of cepstral frames against the speaker's kept digit takes,
   * see engine/adaptation/template-matcher.ts) fused with the network at three or more takes
   * per digit; with two, two thirds of it; with one, a sixth. 0: no templates.
   */
  templateWeight: number;
  /**
   * Templates weigh nothing when the takes' median dynamic range (loudest against quietest
   * frames) is below this many dB, and fully from `templateRangeDb + 6`: takes recorded in
   * loud noise make poor templates for speech in a quieter room. Below it no take is doubted
   * either (`doubtBelow`): the model is unsure of every take in such noise.
   */
  templateRangeDb: number;
  /**
   * "oh" takes are templates alone, not fitted: an utterance within a reach of them set by
   * `ohReachFrom` is named 0 (see `TemplateSet.ohReach`). Without templates (no template
   * weight, takes in loud noise) they are fitted as takes of 0 like the others.
   */
  ohTemplates: boolean;
  /**
   * The "oh" reach: this many times the farthest an "oh" take lies from its nearest other (with
   * one "oh" take: this share of its distance to the nearest phrase or other digit), and at most
   * `ohReachCap` of the distance from any "oh" take to the nearest phrase, room take or take of
   * another digit.
   */
  ohReachFrom: number;
  ohReachCap: number;
  seed: number;
}

/** The label of the output an adapted model may add for the speaker's non-digits. */
export { NON_DIGIT_LABEL };

export const DEFAULT_ADAPT: AdaptOptions = {
  prototypeWeight: 1,
  iterations: 0,
  anchor: 1,
  copies: 0,
  copiesOneTake: -1,
  dropConfidentlyOther: 0.95,
  madeNegatives: 0,
  chimeraShare: 0.5,
  nonDigitClass: false,
  madeWeight: 1,
  noneMargin: -1,
  doubtBelow: 0,
  doubtedWeight: 0,
  speakerMean: 0,
  rejectMargin: -1,
  templateWeight: 0,
  templateRangeDb: 8,
  ohTemplates: false,
  ohReachFrom: 1.5,
  ohReachCap: 0.8,
  seed: 0,
};

/** Light augmentation of takes: the user's own voice in a little noise and at other levels and alignments. */
export const TAKE_AUGMENT: AugmentOptions = {
  ...NO_AUGMENTATION,
  noise: 0.7,
  snrDb: [5, 30],
  noiseKinds: ["white", "pink", "brown", "hum"],
  gainDb: [-6, 6],
  pad: 0.5,
};

/**
 * Hidden-layer activations of a model (the input of its output layer) for an utterance, taken
 * the way `Classifier.classify` sees it: one vector per filterbank warp the classifier averages
 * over (one for a low voice, every `pitchWarp` warp for a high one).
 */
export class HiddenProbe {
  readonly classifier: Classifier;
  readonly width: number;
  private readonly w1: Float32Array;
  private readonly b1: Float64Array;
  private readonly cols: number;
  /** The input standardisation's mean (the model's, or a speaker's: see `standardizeWithMean`). */
  readonly mean: Float64Array;
  private readonly invScale: Float64Array;
  private readonly x: Float64Array;
  private readonly warped: Float64Array;
  private readonly utterance = new Utterance();

  constructor(readonly model: ModelFile) {
    if (model.layers.length !== 2) throw new Error("speaker adaptation needs a model of one hidden layer and an output layer");
    this.classifier = new Classifier(model);
    const hidden = matrixData(model.layers[0]!.weights);
    this.w1 = hidden.data;
    this.cols = hidden.cols;
    this.width = hidden.rows;
    this.b1 = Float64Array.from(model.layers[0]!.bias);
    this.mean = Float64Array.from(model.standardize.mean);
    this.invScale = Float64Array.from(model.standardize.scale, (s) => 1 / s);
    this.x = new Float64Array(this.cols);
    this.warped = new Float64Array(this.cols);
  }

  /** Feature vectors of `samples` as the classifier builds them: one per warp it averages over. */
  featureVectors(samples: Float32Array): Float64Array[] {
    const u = this.classifier.analyse(samples, this.utterance);
    const pw = this.model.pitchWarp;
    const warps = pw && u.pitchHz > pw.minHz ? pw.warps : [1];
    return warps.map((w) => this.classifier.features(u, w, new Float64Array(this.cols)));
  }

  /** Standardises inputs with `mean` from now on (hidden vectors only: `probabilities` stay the model's). */
  standardizeWithMean(mean: Float64Array): void {
    this.mean.set(mean);
  }

  /**
   * The unadapted model's probabilities for `samples` (a copy) and its hidden vector: the mean
   * over the warps the classifier averages for this voice. The classifier averages the warps'
   * log-probabilities, which for one linear output layer is the softmax of that layer applied to
   * the mean hidden vector: so the mean is exactly what an adapted output layer will see.
   */
  probe(samples: Float32Array): { probabilities: Float64Array; hidden: Float64Array } {
    const u = this.classifier.analyse(samples, this.utterance);
    const probabilities = this.classifier.classify(u);
    const pw = this.model.pitchWarp;
    const warps = pw && u.pitchHz > pw.minHz ? pw.warps : [1];
    const hidden = new Float64Array(this.width);
    for (const w of warps) this.addHidden(this.classifier.features(u, w, this.warped), 1 / warps.length, hidden);
    return { probabilities, hidden };
  }

  private addHidden(features: Float64Array, weight: number, out: Float64Array): void {
    const x = this.x;
    for (let i = 0; i < x.length; i++) x[i] = (features[i]! - this.mean[i]!) * this.invScale[i]!;
    const cols = this.cols;
    const w1 = this.w1;
    for (let r = 0; r < this.width; r++) {
      let s = this.b1[r]!;
      const o = r * cols;
      for (let c = 0; c < cols; c++) s += w1[o + c]! * x[c]!;
      if (s > 0) out[r] += weight * s;
    }
  }
}

interface Row {
  h: Float64Array;
  label: number;
  weight: number;
}

/** Whether the unadapted model hears a take of digit `label` confidently as another digit. */
export function confidentlyOther(probabilities: Float64Array, label: number, threshold: number): boolean {
  if (label < 0 || threshold >= 1) return false;
  let best = 0;
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k]! > probabilities[best]!) best = k;
  return best !== label && probabilities[best]! >= threshold && probabilities[label]! <= 1 - threshold;
}

/**
 * Fits a speaker's output layer: the model's logits plus `prototypeWeight` × a nearest-prototype
 * score in the hidden space (−‖h − μ_c‖² / 2D, μ_c the mean hidden vector of the speaker's takes
 * of digit c, D the takes' mean squared distance to their prototype), which is linear in h and so
 * an output layer itself; then, with `iterations`, that layer refitted by L-BFGS on the takes and
 * augmented copies (digits one-hot; non-digits to the `none` output with `nonDigitClass`, else
 * towards a flat output), held near its start; the `none` output then guarded (see `noneMargin`).
 */
export function fitSpeakerAdaptation(
  model: ModelFile,
  takes: readonly Take[],
  options: Partial<AdaptOptions> = {},
): { adaptation: SpeakerAdaptation; dropped: number[] } {
  const o = { ...DEFAULT_ADAPT, ...options };
  const ohAt = o.ohTemplates ? takes.flatMap((t, i) => (t.kind === "oh" ? [i] : [])) : [];
  const restAt = takes.flatMap((t, i) => (o.ohTemplates && t.kind === "oh" ? [] : [i]));
  if (!ohAt.length || !restAt.some((i) => takes[i]!.label >= 0)) return fitLayer(model, takes, o);
  const fitted = fitLayer(
    model,
    restAt.map((i) => takes[i]!),
    o,
  );
  const templates = fitted.adaptation.templates;
  if (!templates) return fitLayer(model, takes, o);
  return {
    adaptation: {
      ...fitted.adaptation,
      templates: withOhTakes(
        new HiddenProbe(model).classifier,
        templates,
        ohAt.map((i) => takes[i]!),
        restAt.map((i) => takes[i]!),
        o,
      ),
    },
    dropped: fitted.dropped.map((j) => restAt[j]!),
  };
}

/**
 * `set` with the "oh" takes added as templates of 0 and the reach within which an utterance is
 * named 0 for them: `ohReachFrom` × the farthest an "oh" take lies from its nearest other (as a
 * new "oh" would lie from the takes), at most `ohReachCap` × the nearest any of the user's
 * phrases, room or takes of other digits comes to an "oh" take.
 */
function withOhTakes(c: Classifier, set: TemplateSet, oh: readonly Take[], rest: readonly Take[], o: AdaptOptions): TemplateSet {
  const matcher = new TemplateMatcher(
    set,
    c.extractor,
    set.takes.reduce((m, t) => Math.max(m, t.label + 1), 1),
  );
  const dims = set.dimWeights.length;
  const sequence = (t: Take) => {
    const f = matcher.frames(c.analyse(t.samples));
    return { frames: f.frames, data: Float64Array.from(f.data.subarray(0, f.frames * dims)) };
  };
  const ohs = oh.map(sequence);
  const others = rest.filter((t) => t.label !== 0).map(sequence);
  const d = (a: { frames: number; data: Float64Array }, b: { frames: number; data: Float64Array }) => matcher.distance(a.data, a.frames, b.data, b.frames);
  let nearestOther = Infinity;
  for (const a of ohs) for (const b of others) nearestOther = Math.min(nearestOther, d(a, b));
  let spread = 0;
  if (ohs.length > 1) for (const a of ohs) spread = Math.max(spread, Math.min(...ohs.filter((b) => b !== a).map((b) => d(a, b))));
  const wanted = ohs.length > 1 ? o.ohReachFrom * spread : o.ohReachCap * 0.5 * nearestOther;
  const ohReach = Math.min(wanted, o.ohReachCap * nearestOther);
  return {
    ...set,
    takes: [
      ...set.takes,
      ...ohs.map((s) => ({
        label: 0,
        oh: true,
        frames: packMatrix(Array.from({ length: s.frames }, (_, f) => Array.from(s.data.subarray(f * dims, (f + 1) * dims)))),
      })),
    ],
    ohReach: Number.isFinite(ohReach) ? ohReach : 0,
  };
}

function fitLayer(model: ModelFile, takes: readonly Take[], o: AdaptOptions): { adaptation: SpeakerAdaptation; dropped: number[] } {
  const probe = new HiddenProbe(model);
  const digits = model.labels.filter(isDigitLabel).length;
  // a model trained with a non-digit output keeps it (and its non-digits go to it)
  const ownNone = model.labels.length > digits;
  const classes = digits + (o.nonDigitClass || ownNone ? 1 : 0);
  const rng = seededRng(o.seed * 7919 + 3);
  const rate = model.features.sampleRate;
  const rows: Row[] = [];
  const protoRows: Row[] = [];
  const dropped: number[] = [];
  const pool = takes.map((t) => t.samples);
  const made = o.madeNegatives > 0 ? negativesFrom(takes, rate, o.madeNegatives, o.chimeraShare, o.seed) : [];
  const all = [...takes, ...made];
  let standardize: SpeakerAdaptation["standardize"];
  if (o.speakerMean > 0) {
    const mean = speakerMean(probe, takes, o.speakerMean);
    probe.standardizeWithMean(mean);
    standardize = { mean: Array.from(mean), scale: [...model.standardize.scale] };
  }
  const probed = all.map((take) => probe.probe(take.samples));
  // A digit's only take is kept even when the model hears it as another digit: the model's
  // confidence is what enrolment corrects, and without the take the digit learns nothing.
  const perLabel = new Map<number, number>();
  for (const t of takes) perLabel.set(t.label, (perLabel.get(t.label) ?? 0) + 1);
  const given = Array.from({ length: digits }, (_, d) => perLabel.get(d) ?? 0).sort((a, b) => a - b)[Math.floor(digits / 2)];
  const copies = given === 1 && o.copiesOneTake >= 0 ? o.copiesOneTake : o.copies;
  const keep = probed.map((p, i) => perLabel.get(all[i]!.label) === 1 || !confidentlyOther(p.probabilities, all[i]!.label, o.dropConfidentlyOther));
  const last = model.layers[model.layers.length - 1]!;
  const doubted = all.map(() => false);
  // Takes in loud noise: the model is unsure of every one of them, so its doubt says nothing,
  // and they make poor templates (see `templateRangeDb`).
  const clarity = takeClarity(probe, takes, o.templateRangeDb);
  if (o.doubtBelow > 0 && clarity > 0) {
    const candidates = probed.map((p, i) => ({ h: p.hidden, label: keep[i] ? all[i]!.label : -1, weight: 1 }));
    const out = disagreeing(
      candidates,
      probed.map((p) => p.probabilities),
      digits,
      o.doubtBelow,
    );
    for (const i of out) doubted[i] = true;
  }
  all.forEach((take, i) => {
    const weight = (i < takes.length ? 1 : o.madeWeight) * (doubted[i] ? o.doubtedWeight : 1);
    if (!keep[i] || (doubted[i] && o.doubtedWeight === 0)) {
      dropped.push(i);
      return;
    }
    const hidden = probed[i]!.hidden;
    rows.push({ h: hidden, label: take.label, weight });
    if (take.label >= 0 && !doubted[i]) protoRows.push({ h: hidden, label: take.label, weight });
    for (let c = 0; c < copies; c++) {
      const copy = augmentCopy(take.samples, rate, TAKE_AUGMENT, rng, pool);
      rows.push({ h: probe.probe(copy.samples).hidden, label: take.label, weight });
    }
  });
  const { rows: outRows, cols: width, data: w0 } = matrixData(last.weights);
  // parameters: classes × (width + 1), the bias last in each row
  const stride = width + 1;
  const start = new Float64Array(classes * stride);
  for (let c = 0; c < outRows; c++) {
    for (let j = 0; j < width; j++) start[c * stride + j] = w0[c * width + j]!;
    start[c * stride + width] = last.bias[c]!;
  }
  // the non-digit output starts well below the digits': it has to earn its place from the takes
  if (classes > digits && !ownNone) start[digits * stride + width] = Math.min(...last.bias) - 4;
  addPrototypes(start, protoRows, digits, width, o.prototypeWeight);
  const perDigit = takesPerDigit(protoRows, digits);
  const fitted = o.iterations > 0 && rows.length > 0 ? refit(start, rows, classes, width, o.anchor / (perDigit * perDigit), o, classes > digits) : start;
  if (classes > digits && o.noneMargin >= 0) guardDigits(fitted, rows, digits, width, o.noneMargin);
  const matched =
    o.templateWeight > 0
      ? templateSet(
          probe,
          takes.flatMap((t, i) => (t.label >= 0 && keep[i] && !doubted[i] ? [i] : [])),
          takes,
          templateWeightFor(o.templateWeight, perDigit) * clarity,
          classes,
        )
      : undefined;
  const templates = matched?.set;
  const rejectBelow =
    o.rejectMargin >= 0
      ? calibratedReject(
          fitted,
          all.flatMap((t, i) =>
            i < takes.length && keep[i] && !doubted[i] ? [{ h: probed[i]!.hidden, label: t.label, weight: 1, distances: matched?.leaveOneOut(i) }] : [],
          ),
          digits,
          classes,
          width,
          model.rejectBelow ?? 0.3,
          o.rejectMargin,
          templates?.weight ?? 0,
        )
      : undefined;
  const weights = Array.from({ length: classes }, (_, c) => Array.from(fitted.subarray(c * stride, c * stride + width)));
  const bias = Array.from({ length: classes }, (_, c) => fitted[c * stride + width]!);
  const labels = classes > digits && !ownNone ? [...model.labels, NON_DIGIT_LABEL] : undefined;
  return {
    adaptation: {
      output: { weights: packMatrix(weights), bias },
      ...(labels ? { labels } : {}),
      ...(standardize ? { standardize } : {}),
      ...(rejectBelow !== undefined ? { rejectBelow } : {}),
      ...(templates ? { templates } : {}),
    },
    dropped,
  };
}

/**
 * The digit takes `chosen` (indices into `takes`) as templates: their trimmed frames' cepstra,
 * the frame distance weighted by the inverse variance of each cepstrum over all their frames,
 * fused with `weight`; and `leaveOneOut(i)`: take i's distance to each output's nearest template other than itself, as
 * the classifier would score a new take like it. Undefined when nothing is left to match.
 */
function templateSet(
  probe: HiddenProbe,
  chosen: readonly number[],
  takes: readonly Take[],
  weight: number,
  classes: number,
): { set: TemplateSet; leaveOneOut: (i: number) => Float64Array } | undefined {
  if (weight === 0 || !chosen.length) return undefined;
  const c = probe.classifier;
  const dims = c.extractor.config.nCepstra;
  const matcher = new TemplateMatcher({ weight, dimWeights: new Array(dims).fill(1), takes: [] }, c.extractor, classes);
  const sum = new Float64Array(dims);
  const squares = new Float64Array(dims);
  let n = 0;
  const sequences = takes.map((t) => {
    const u = c.analyse(t.samples);
    const f = matcher.frames(u);
    return { frames: f.frames, data: Float64Array.from(f.data.subarray(0, f.frames * dims)) };
  });
  for (const i of chosen) {
    const { frames, data } = sequences[i]!;
    for (let j = 0; j < frames * dims; j++) {
      sum[j % dims] += data[j]!;
      squares[j % dims] += data[j]! * data[j]!;
    }
    n += frames;
  }
  if (!n) return undefined;
  const dimWeights = Array.from(sum, (s, k) => 1 / Math.max(1e-9, squares[k]! / n - (s / n) ** 2));
  const set: TemplateSet = {
    weight,
    dimWeights,
    takes: chosen.map((i) => {
      const { frames, data } = sequences[i]!;
      return { label: takes[i]!.label, frames: packMatrix(Array.from({ length: frames }, (_, f) => Array.from(data.subarray(f * dims, (f + 1) * dims)))) };
    }),
  };
  const scorer = new TemplateMatcher(set, c.extractor, classes);
  const leaveOneOut = (i: number): Float64Array => {
    const d = new Float64Array(classes).fill(Infinity);
    const a = sequences[i]!;
    for (const j of chosen) {
      if (j === i) continue;
      const b = sequences[j]!;
      const label = takes[j]!.label;
      d[label] = Math.min(d[label]!, scorer.distance(a.data, a.frames, b.data, b.frames));
    }
    return d;
  };
  return { set, leaveOneOut };
}

/**
 * The template weight with `perDigit` takes per digit: full from three, a third of it per take
 * below, halved again for one take (a single template per digit is less sure than the network).
 */
function templateWeightFor(weight: number, perDigit: number): number {
  return (weight * Math.min(perDigit, 3)) / 3 / (perDigit === 1 ? 2 : 1);
}

/**
 * How clean the digit takes are, 0-1: their median dynamic range (see `dynamicRangeDb`) from
 * `rangeDb` (0) to `rangeDb` + 6 dB (1).
 */
function takeClarity(probe: HiddenProbe, takes: readonly Take[], rangeDb: number): number {
  const ranges = takes.filter((t) => t.label >= 0).map((t) => dynamicRangeDb(probe.classifier.analyse(t.samples)));
  if (!ranges.length) return 0;
  ranges.sort((a, b) => a - b);
  return Math.min(1, Math.max(0, (ranges[Math.floor(ranges.length / 2)]! - rangeDb) / 6));
}

/** The spread in dB between an utterance's loud frames (95th percentile of frame power) and its quiet ones (10th). */
function dynamicRangeDb(u: Utterance): number {
  const db = new Float64Array(u.frames);
  for (let f = 0; f < u.frames; f++) {
    const p = u.powerFrame(f);
    let s = 0;
    for (let k = 0; k < p.length; k++) s += p[k]!;
    db[f] = 10 * Math.log10(s + 1e-12);
  }
  db.sort();
  return db[Math.floor(0.95 * (db.length - 1))]! - db[Math.floor(0.1 * (db.length - 1))]!;
}

/** The model's input mean moved by `share` towards the mean feature vector of the speaker's digit takes. */
function speakerMean(probe: HiddenProbe, takes: readonly Take[], share: number): Float64Array {
  const sum = new Float64Array(probe.mean.length);
  let n = 0;
  for (const t of takes) {
    if (t.label < 0) continue;
    const vectors = probe.featureVectors(t.samples);
    for (const v of vectors) for (let j = 0; j < sum.length; j++) sum[j] += v[j]! / vectors.length;
    n++;
  }
  return Float64Array.from(probe.mean, (m, j) => (n ? m + share * (sum[j]! / n - m) : m));
}

/**
 * Digit rows (by index) that both the other takes and the model place under another digit: the
 * nearest prototype of the other takes (its own left out of its digit's) is another digit's,
 * and the unadapted model gives its own digit less than `threshold`. Either alone is not
 * enough: the model misses whole digits of an unfamiliar speaker, which the takes then teach,
 * and two takes of a digit said differently are far from each other.
 */
function disagreeing(rows: readonly Row[], probabilities: readonly Float64Array[], digits: number, threshold: number): number[] {
  const out: number[] = [];
  const width = rows[0]?.h.length ?? 0;
  const sums = Array.from({ length: digits }, () => new Float64Array(width));
  const counts = new Int32Array(digits);
  for (const r of rows) {
    if (r.label < 0) continue;
    for (let j = 0; j < width; j++) sums[r.label]![j] += r.h[j]!;
    counts[r.label]++;
  }
  const proto = new Float64Array(width);
  rows.forEach((r, i) => {
    // a take that is its digit's only one has no other takes of it to be compared with
    if (r.label < 0 || counts[r.label]! < 2 || probabilities[i]![r.label]! >= threshold) return;
    let best = -1;
    let bestD = Infinity;
    for (let c = 0; c < digits; c++) {
      const n = counts[c]! - (c === r.label ? 1 : 0);
      if (n < 1) continue;
      for (let j = 0; j < width; j++) proto[j] = (sums[c]![j]! - (c === r.label ? r.h[j]! : 0)) / n;
      const d = squaredDistance(r.h, proto);
      if (d < bestD) [best, bestD] = [c, d];
    }
    if (best >= 0 && best !== r.label) out.push(i);
  });
  return out;
}

function negativesFrom(takes: readonly Take[], rate: number, perTake: number, chimeraShare: number, seed: number): Take[] {
  const digits: Clip[] = takes.flatMap((t, i) =>
    t.label >= 0 ? [{ path: `take${i}`, label: t.label, speaker: "user", index: i, sampleRate: rate, samples: t.samples }] : [],
  );
  const made = nonDigitClips(digits, rate, {
    soundsPerKind: 0,
    reversed: Math.min(1, perTake * (1 - chimeraShare)),
    chimeras: perTake * chimeraShare,
    fragments: 0,
    seed,
  });
  return made.map((c) => ({ samples: c.samples, label: -1 }));
}

function addPrototypes(params: Float64Array, rows: readonly Row[], classes: number, width: number, weight: number): void {
  if (weight === 0 || rows.length === 0) return;
  const stride = width + 1;
  const protos = Array.from({ length: classes }, () => new Float64Array(width));
  const counts = new Int32Array(classes);
  for (const r of rows) {
    const p = protos[r.label]!;
    for (let j = 0; j < width; j++) p[j] += r.h[j]!;
    counts[r.label]++;
  }
  for (let c = 0; c < classes; c++) if (counts[c]) for (let j = 0; j < width; j++) protos[c]![j] /= counts[c]!;
  // D: the takes' mean squared distance to their own prototype, or, with one take per digit,
  // half the mean squared distance between prototypes (a scale of the same order).
  let spread = 0;
  let n = 0;
  for (const r of rows) {
    if (counts[r.label]! < 2) continue;
    spread += squaredDistance(r.h, protos[r.label]!);
    n++;
  }
  if (n > 0) spread /= n;
  else {
    let pairs = 0;
    for (let a = 0; a < classes; a++)
      for (let b = a + 1; b < classes; b++)
        if (counts[a] && counts[b]) {
          spread += squaredDistance(protos[a]!, protos[b]!) / 2;
          pairs++;
        }
    spread = pairs ? spread / pairs : 1;
  }
  const scale = weight / Math.max(spread, 1e-9);
  for (let c = 0; c < classes; c++) {
    if (!counts[c]) continue;
    const p = protos[c]!;
    let norm = 0;
    for (let j = 0; j < width; j++) {
      params[c * stride + j] += scale * p[j]!;
      norm += p[j]! * p[j]!;
    }
    params[c * stride + width] -= (scale * norm) / 2;
  }
}

/** The median over digits of the speaker's takes of each (at least 1). */
function takesPerDigit(rows: readonly Row[], digits: number): number {
  const counts = new Array<number>(digits).fill(0);
  for (const r of rows) counts[r.label]++;
  counts.sort((a, b) => a - b);
  return Math.max(1, counts[Math.floor(digits / 2)]!);
}

/** Lowers the non-digit output's bias until every digit row's best digit beats it by `margin`. */
function guardDigits(params: Float64Array, rows: readonly Row[], digits: number, width: number, margin: number): void {
  const stride = width + 1;
  const logit = (c: number, h: Float64Array) => {
    let s = params[c * stride + width]!;
    for (let j = 0; j < width; j++) s += params[c * stride + j]! * h[j]!;
    return s;
  };
  let worst = -Infinity;
  for (const r of rows) {
    if (r.label < 0) continue;
    let best = -Infinity;
    for (let c = 0; c < digits; c++) best = Math.max(best, logit(c, r.h));
    worst = Math.max(worst, logit(digits, r.h) - best);
  }
  if (worst + margin > 0) params[digits * stride + width] -= worst + margin;
}

/**
 * A threshold on the best digit's probability that the speaker's non-digit rows fall below and
 * their digit rows stay above: just over the highest non-digit confidence, capped at the lowest
 * digit confidence less `margin`, never below `floor`.
 */
function calibratedReject(
  params: Float64Array,
  rows: readonly (Row & { distances?: Float64Array })[],
  digits: number,
  classes: number,
  width: number,
  floor: number,
  margin: number,
  templateWeight: number,
): number {
  const stride = width + 1;
  const z = new Float64Array(classes);
  const confidence = (h: Float64Array, d?: Float64Array): number => {
    for (let c = 0; c < classes; c++) {
      let s = params[c * stride + width]!;
      for (let j = 0; j < width; j++) s += params[c * stride + j]! * h[j]!;
      z[c] = s;
    }
    if (d && templateWeight > 0) fuseTemplateScores(z, d, templateWeight);
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (z[c]! > max) max = z[c]!;
    let sum = 0;
    let best = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(z[c]! - max);
      sum += e;
      if (c < digits && e > best) best = e;
    }
    return best / sum;
  };
  let nonDigit = 0;
  let digit = 1;
  for (const r of rows) {
    const p = confidence(r.h, r.distances);
    if (r.label < 0) nonDigit = Math.max(nonDigit, p);
    else digit = Math.min(digit, p);
  }
  return Math.max(floor, Math.min(nonDigit + 0.01, digit - margin));
}

function squaredDistance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j]! - b[j]!;
    s += d * d;
  }
  return s;
}

/** Cross-entropy of the rows (non-digits towards a flat output) plus `anchor` × ‖θ − θ₀‖² / 2, minimised from θ₀. */
function refit(start: Float64Array, rows: readonly Row[], classes: number, width: number, anchor: number, o: AdaptOptions, none: boolean): Float64Array {
  const stride = width + 1;
  const flat = !none;
  const z = new Float64Array(classes);
  const n = rows.length;
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    let loss = 0;
    grad.fill(0);
    for (const r of rows) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) {
        let s = theta[c * stride + width]!;
        const off = c * stride;
        for (let j = 0; j < width; j++) s += theta[off + j]! * r.h[j]!;
        z[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(z[c]! - max);
      const logSum = max + Math.log(sum);
      for (let c = 0; c < classes; c++) {
        const p = Math.exp(z[c]! - logSum);
        const target = r.label < 0 ? (flat ? 1 / classes : c === classes - 1 ? 1 : 0) : c === r.label ? 1 : 0;
        loss -= (r.weight * target * (z[c]! - logSum)) / n;
        const g = (r.weight * (p - target)) / n;
        if (g === 0) continue;
        const off = c * stride;
        for (let j = 0; j < width; j++) grad[off + j] += g * r.h[j]!;
        grad[off + width] += g;
      }
    }
    for (let i = 0; i < theta.length; i++) {
      const d = theta[i]! - start[i]!;
      loss += (anchor / 2) * d * d;
      grad[i] += anchor * d;
    }
    return loss;
  };
  return minimizeLbfgs(objective, start, { maxIterations: o.iterations }).x;
}
