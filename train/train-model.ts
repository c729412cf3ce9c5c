import type { Clip } from "../data/fsdd.ts";
import type { FeatureConfig } from "../engine/features/feature-config.ts";
import type { ModelFile, PitchWarpConfig } from "../engine/model-file.ts";
import type { VoicingConfig } from "../engine/features/voicing.ts";
import type { AugmentOptions } from "./augment-recipe.ts";
import { fitMlpModel, fitSoftmaxModel, mergeNetworks } from "./fit-model.ts";
import type { MlpOptions } from "./mlp-trainer.ts";
import { type NonDigitOptions, nonDigitClips } from "./nondigit-set.ts";
import type { SoftmaxOptions } from "./softmax-trainer.ts";
import { type SynthSpeechOptions, synthSpeechClips } from "./synth-speech.ts";
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

/** One network (or linear model) of `recipe` on `clips`, ignoring `members`. */
export function trainMember(clips: Clip[], recipe: TrainRecipe, extras: TrainExtras): ModelFile {
  const rate = recipe.features.sampleRate;
  const babblePool = clips.map((c) => clipAt(c, rate));
  const synth = recipe.synthSpeech ? synthSpeechClips(recipe.synthSpeech, rate) : { digits: [], nondigits: [], listWords: [] };
  // A room of the fold's own speakers and the training voices saying words and sentences.
  const babbleTalkers = recipe.augment.babble ? talkersOf([...clips, ...synth.nondigits], rate) : undefined;
  const data = buildTrainingSet(synth.digits.length ? [...clips, ...synth.digits] : clips, recipe.features, {
    augment: recipe.augment,
    seed: recipe.seed,
    babblePool,
    babbleTalkers,
    onRows: extras.onRows,
  });
  const parts = [data];
  const made = [...nonDigitClips(clips, rate, recipe.nondigits), ...synth.nondigits];
  if (made.length > 0)
    parts.push(buildTrainingSet(made, recipe.features, { augment: recipe.augment, seed: recipe.seed + 1, babblePool, babbleTalkers, label: -1 }));
  if (synth.listWords.length > 0) {
    const augment = { ...recipe.augment, copies: recipe.synthSpeech?.listCopies ?? recipe.augment.copies };
    parts.push(buildTrainingSet(synth.listWords, recipe.features, { augment, seed: recipe.seed + 2, babblePool, babbleTalkers, label: -1 }));
  }
  if (extras.outliers) parts.push(extras.outliers);
  const all = parts.length > 1 ? concatDatasets(parts) : data;
  if (recipe.model === "mlp") {
    return fitMlpModel(all, recipe.features, { ...recipe.mlp, seed: recipe.seed, onEpoch: extras.onIteration }, extras.training);
  }
  return fitSoftmaxModel(all, recipe.features, { ...recipe.softmax, onIteration: extras.onIteration }, extras.training);
}
