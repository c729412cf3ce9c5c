import type { Clip } from "../data/fsdd.ts";
import type { FeatureConfig } from "../engine/features/feature-config.ts";
import { type ModelFile, NON_DIGIT_LABEL, type PitchWarpConfig } from "../engine/model-file.ts";
import type { VoicingConfig } from "../engine/features/voicing.ts";
import type { AugmentOptions } from "./augment-recipe.ts";
import { DIGIT_LABELS, fitMlpModel, fitSoftmaxModel, mergeNetworks } from "./fit-model.ts";
import type { MlpOptions } from "./mlp-trainer.ts";
import { type NonDigitOptions, nonDigitClips } from "./nondigit-set.ts";
import type { SoftmaxOptions } from "./softmax-trainer.ts";
import { type SynthSpeechOptions, synthSpeechClips } from "./synth-speech.ts";
import { type PhaseReporter, timed } from "./phase-times.ts";
import { type Dataset, buildTrainingSet, clipAt, concatDatasets, talkersOf } from "./training-set.ts";

/** How one member of an ensemble differs from the recipe. */
export interface MemberChanges {
  augment?: Partial<AugmentOptions>;
  nondigits?: Partial<NonDigitOptions>;
}

/** Everything that decides a trained model apart from the clips: features, augmentation, head, seed. */
export interface TrainRecipe {
  features: FeatureConfig;
  augment: AugmentOptions;
  /** The classifier: a linear softmax, or one hidden ReLU layer before it. */
  model: "softmax" | "mlp";
  softmax: Partial<SoftmaxOptions>;
  mlp: Partial<MlpOptions>;
  /**
   * Networks averaged in the MLP model (each `mlp.hidden` wide), each trained on its own
   * augmented copies (seeds seed, seed+1, …), merged into one model file.
   */
  members?: number;
  /** Changes to the augmentation and non-digit set of member i (absent: the recipe's own). */
  memberChanges?: MemberChanges[];
  seed: number;
  /** Non-digit clips made at training time to teach rejection. */
  nondigits: NonDigitOptions;
  /** Synthetic digits and non-digit speech from the training voices (absent: none). */
  synthSpeech?: SynthSpeechOptions;
  /**
   * Whether non-digit clips (class −1: sounds, non-digit speech) train an output of their own
   * (NON_DIGIT_LABEL, after the ten digits) instead of a flat output over the digits.
   */
  nonDigitClass?: boolean;
  /**
   * Taken off the non-digit output's bias of the trained model (`nonDigitClass`): the operating
   * point between rejecting non-digit speech and keeping digits of unfamiliar voices, chosen on
   * voices no training or evaluation set uses (docs/rooms.md).
   */
  nonDigitOffset?: number;
  /** Written into the model: the confidence the live engine needs to name a digit. */
  rejectBelow?: number;
  /** Written into the model: the voiced-speech check (absent keeps DEFAULT_VOICING). */
  voicing?: VoicingConfig;
  /** Written into the model: how it classifies voices above a pitch (see PitchWarpConfig). */
  pitchWarp?: PitchWarpConfig;
}

export interface TrainExtras {
  /** Non-digit feature rows (class −1) added to the training set. */
  outliers?: Dataset;
  /** Called as training-set rows are built. */
  onRows?: (rows: number) => void;
  onIteration?: (iteration: number, loss: number) => void;
  /** Told the time of each phase of building and fitting (see phase-times.ts). */
  onPhase?: PhaseReporter;
  training?: Record<string, unknown>;
}

/** Builds the (augmented) training set of `clips` and fits a model to it (an ensemble with `members` > 1). */
export function trainModel(clips: Clip[], recipe: TrainRecipe, extras: TrainExtras = {}): ModelFile {
  const members = memberCount(recipe);
  if (members === 1) return withRecipeSettings(trainMember(clips, recipe, extras), recipe);
  const models = Array.from({ length: members }, (_, m) => trainMember(clips, memberRecipe(recipe, m), { ...extras, training: {} }));
  return withRecipeSettings(mergeNetworks(models, extras.training), recipe);
}

/** The model with the recipe's settings for classifying (threshold, voiced-speech check, pitch warp) written in. */
export function withRecipeSettings(model: ModelFile, recipe: TrainRecipe): ModelFile {
  if (recipe.pitchWarp) model.pitchWarp = { ...recipe.pitchWarp, warps: [...recipe.pitchWarp.warps] };
  if (recipe.rejectBelow !== undefined) model.rejectBelow = recipe.rejectBelow;
  if (recipe.voicing !== undefined) model.voicing = { ...recipe.voicing };
  const none = model.labels.indexOf(NON_DIGIT_LABEL);
  const output = model.layers[model.layers.length - 1]!;
  if (recipe.nonDigitOffset && none >= 0) output.bias[none] = Number((output.bias[none]! - recipe.nonDigitOffset).toPrecision(6));
  return model;
}

/** Networks the recipe trains: `members` for an MLP, one linear model otherwise. */
export function memberCount(recipe: TrainRecipe): number {
  return recipe.model === "mlp" ? (recipe.members ?? 1) : 1;
}

/** Member m of an ensemble: its own seed (augmentation, non-digits, initialisation) and augmentation. */
export function memberRecipe(recipe: TrainRecipe, m: number): TrainRecipe {
  return {
    ...recipe,
    members: 1,
    seed: recipe.seed + m,
    augment: { ...recipe.augment, ...recipe.memberChanges?.[m]?.augment },
    nondigits: { ...recipe.nondigits, ...recipe.memberChanges?.[m]?.nondigits, seed: recipe.nondigits.seed + m },
  };
}

/**
 * Pieces each member's training set is built in, each with a random stream of its own, so that
 * Workers can share one member's augmentation. A fixed number, not the core count: the model is
 * the same on any machine.
 */
export const BUILD_PARTS = 2;

/** One part of a member's training set: feature rows of digit clips, and of each kind of non-digit clips (class −1). */
export interface MemberPart {
  digits: Dataset;
  nondigits: Dataset[];
}

/** The feature rows' buffers of `parts`, to move them between threads rather than copy them. */
export function partBuffers(parts: readonly MemberPart[]): Bun.Transferable[] {
  return parts.flatMap((p) => [p.digits, ...p.nondigits]).flatMap((d) => [d.X.buffer, d.y.buffer]) as Bun.Transferable[];
}

/** Results that depend only on the clips and options, kept per clip list (a Worker builds several parts from one list). */
const memo = new WeakMap<Clip[], Map<string, unknown>>();
function remembered<T>(clips: Clip[], key: string, make: () => T): T {
  let m = memo.get(clips);
  if (!m) memo.set(clips, (m = new Map()));
  if (!m.has(key)) m.set(key, make());
  return m.get(key) as T;
}

/** The share `part` of `parts` of a list: contiguous, sizes differing by at most one. */
function share<T>(items: T[], part: number, parts: number): T[] {
  return items.slice(Math.floor((items.length * part) / parts), Math.floor((items.length * (part + 1)) / parts));
}

/**
 * Part `part` of `parts` of the training set of one network (or linear model) of `recipe`,
 * ignoring `members`: its share of the clips and of the non-digit clips, each clip with its
 * augmented copies (part 0 draws from the recipe's seed, part p from a seed of its own).
 */
export function buildMemberPart(clips: Clip[], recipe: TrainRecipe, extras: TrainExtras, part = 0, parts = BUILD_PARTS): MemberPart {
  const rate = recipe.features.sampleRate;
  const report = extras.onPhase;
  const babblePool = remembered(clips, `pool ${rate}`, () => timed(report, "resample clips", () => clips.map((c) => clipAt(c, rate))));
  const synthKey = `${rate} ${JSON.stringify(recipe.synthSpeech ?? null)}`;
  const synth = recipe.synthSpeech
    ? remembered(clips, `synth ${synthKey}`, () => timed(report, "synthetic speech (TTS cache)", () => synthSpeechClips(recipe.synthSpeech!, rate)))
    : { digits: [], nondigits: [], listWords: [] };
  // A room of the fold's own speakers and the training voices saying words and sentences.
  const babbleTalkers = recipe.augment.babble ? remembered(clips, `talkers ${synthKey}`, () => talkersOf([...clips, ...synth.nondigits], rate)) : undefined;
  const seed = recipe.seed + PART_SEED_STRIDE * part;
  const digitClips = synth.digits.length ? [...clips, ...synth.digits] : clips;
  const digits = buildTrainingSet(share(digitClips, part, parts), recipe.features, {
    augment: recipe.augment,
    seed,
    babblePool,
    babbleTalkers,
    onRows: extras.onRows,
    onPhase: report,
  });
  const made = remembered(clips, `nondigits ${rate} ${JSON.stringify(recipe.nondigits)}`, () =>
    timed(report, "non-digit clips", () => nonDigitClips(clips, rate, recipe.nondigits)),
  );
  const nondigits: Dataset[] = [];
  const mine = share([...made, ...synth.nondigits], part, parts);
  if (mine.length > 0)
    nondigits.push(buildTrainingSet(mine, recipe.features, { augment: recipe.augment, seed: seed + 1, babblePool, babbleTalkers, label: -1, onPhase: report }));
  const words = share(synth.listWords, part, parts);
  if (words.length > 0) {
    const augment = { ...recipe.augment, copies: recipe.synthSpeech?.listCopies ?? recipe.augment.copies };
    nondigits.push(buildTrainingSet(words, recipe.features, { augment, seed: seed + 2, babblePool, babbleTalkers, label: -1, onPhase: report }));
  }
  return { digits, nondigits };
}

/** Apart from every member's seed (seed + m) and its non-digits' (+1, +2). */
const PART_SEED_STRIDE = 100_003;

/** Fits one network (or linear model) of `recipe` to the parts of its training set (digit rows first, then each kind of non-digit, in part order). */
export function fitMember(parts: MemberPart[], recipe: TrainRecipe, extras: TrainExtras): ModelFile {
  const kinds = Math.max(0, ...parts.map((p) => p.nondigits.length));
  const sets = [
    ...parts.map((p) => p.digits),
    ...Array.from({ length: kinds }, (_, k) => parts.flatMap((p) => (p.nondigits[k] ? [p.nondigits[k]] : []))).flat(),
    ...(extras.outliers ? [extras.outliers] : []),
  ];
  const all = sets.length === 1 ? sets[0]! : concatDatasets(sets);
  const report = extras.onPhase;
  if (recipe.model === "mlp") {
    const mlp = { ...recipe.mlp, seed: recipe.seed, onEpoch: extras.onIteration };
    if (!recipe.nonDigitClass) return timed(report, "fit", () => fitMlpModel(all, recipe.features, mlp, extras.training));
    const labels = [...DIGIT_LABELS, NON_DIGIT_LABEL];
    const y = all.y.map((c) => (c < 0 ? DIGIT_LABELS.length : c));
    return timed(report, "fit", () => fitMlpModel({ ...all, y }, recipe.features, mlp, extras.training, labels));
  }
  return timed(report, "fit", () => fitSoftmaxModel(all, recipe.features, { ...recipe.softmax, onIteration: extras.onIteration }, extras.training));
}

/** One network (or linear model) of `recipe` on `clips`, ignoring `members`. */
export function trainMember(clips: Clip[], recipe: TrainRecipe, extras: TrainExtras): ModelFile {
  const parts = Array.from({ length: BUILD_PARTS }, (_, p) => buildMemberPart(clips, recipe, extras, p, BUILD_PARTS));
  return fitMember(parts, recipe, extras);
}
