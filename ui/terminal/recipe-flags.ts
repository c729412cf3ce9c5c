/**
 * The flags of `bun train` that change a recipe, and how their text becomes a TrainRecipe: the
 * recipes themselves (train/recipe.ts) know nothing of the command line.
 */
import { UserError } from "../../engine/errors.ts";
import { DEFAULT_VOICING } from "../../engine/features/voicing.ts";
import type { FeatureConfig } from "../../engine/features/feature-config.ts";
import { type AugmentOptions, NOISE_KINDS, type NoiseKind } from "../../train/augment-recipe.ts";
import { PITCH_WARP, RECIPES, VOICE_RANGE } from "../../train/recipe.ts";
import type { TrainRecipe } from "../../train/train-model.ts";
import { numberFlag } from "./command.ts";

/** Flags of `bun train` that change a recipe (all optional; absent keeps the recipe's value). */
export const RECIPE_FLAGS = {
  recipe: { type: "string", default: "default" },
  algo: { type: "string" },
  C: { type: "string" },
  epochs: { type: "string" },
  hidden: { type: "string" },
  members: { type: "string" },
  "voice-members": { type: "string" },
  dropout: { type: "string" },
  copies: { type: "string" },
  noise: { type: "string" },
  snr: { type: "string" },
  "noise-kinds": { type: "string" },
  babble: { type: "string" },
  gain: { type: "string" },
  pad: { type: "string" },
  speed: { type: "string" },
  vtlp: { type: "string" },
  pitch: { type: "string" },
  reverb: { type: "string" },
  telephone: { type: "string" },
  eq: { type: "string" },
  "band-mask": { type: "string" },
  "lpc-order": { type: "string" },
  "nondigit-sounds": { type: "string" },
  "nondigit-reversed": { type: "string" },
  "nondigit-chimeras": { type: "string" },
  "nondigit-fragments": { type: "string" },
  "reject-below": { type: "string" },
  "voiced-ms": { type: "string" },
  "warp-above": { type: "string" },
  "warp-factors": { type: "string" },
  seed: { type: "string" },
} as const;

export const RECIPE_HELP: Record<keyof typeof RECIPE_FLAGS, string> = {
  recipe: `starting point: ${Object.keys(RECIPES).join(", ")} (default = room = models/default.json: loso + babble noise and synthetic speech from held-apart voices (digits, "oh", non-digit words and sentences); words = room with 3873 common words as non-digits and 59 voices (docs/rooms.md); festival = room with festival's voices too; none = festival with an output of its own for non-digits; none-wide = none with 16 more espeak-ng voices; none-oh = none-wide with oh also as phonemes; loso = the best by leave-one-speaker-out before it; voices = loso with voice-range augmentation; baseline = the seed's linear model)`,
  algo: "classifier: softmax (linear; `logreg` is accepted too) or mlp (one hidden ReLU layer, then softmax)",
  C: "softmax: inverse L2 strength as in scikit-learn (smaller = stronger)",
  epochs: "softmax: L-BFGS iterations at most; mlp: passes over the data",
  hidden: "mlp: hidden units",
  members:
    "mlp: networks in the ensemble, each on its own augmented copies (seeds seed, seed+1, …), merged into one model (training time and inference cost × members)",
  "voice-members":
    "mlp: how many of the networks (the last ones) also get voice-range augmentation (filterbank warp 0.75-1.1 and pitch −2…+12 semitones on half their copies); the shipped recipe: 3 of 5",
  dropout: "mlp: input,hidden dropout rates, e.g. 0.2,0.5",
  copies: "augmented copies per training clip (0 = no augmentation)",
  noise: "probability of additive noise per copy",
  snr: "noise SNR range in dB, e.g. 10,30",
  "noise-kinds": `noise kinds, comma-separated: ${NOISE_KINDS.join(",")}`,
  babble:
    "probability that a copy's noise is a room of 3-6 talkers (the fold's speakers and the training voices) instead, optionally with its SNR range, e.g. 0.4,0,25",
  gain: "gain range in dB, e.g. -6,6",
  pad: "probability of 0.2-0.5 s of silence on both sides (re-trimmed: alignment jitter)",
  speed: "speed perturbation ±fraction, e.g. 0.1",
  vtlp: "vocal-tract-length perturbation: mel filterbank warp range, e.g. 0.8,1.05 (below 1: shorter vocal tract), or ±fraction, e.g. 0.1",
  pitch: "pitch shift range in semitones, e.g. -2,10, or ±semitones (speed with the filterbank warped back: formants kept)",
  reverb: "probability of synthetic room reverberation",
  telephone: "probability of a telephone channel (300-3400 Hz, µ-law)",
  eq: "probability of a random microphone colouring",
  "band-mask": "probability of flattening a run of mel bands in a copy's features (SpecAugment), optionally with the widest run, e.g. 0.5,2",
  "lpc-order": "cepstra from an all-pole model of this order fitted to the loudness-compressed mel spectrum (perceptual linear prediction); 0 = MFCC",
  "nondigit-sounds": "synthesised non-speech sounds per kind trained towards a flat output (rejection)",
  "nondigit-reversed": "fraction of training clips also used time-reversed as non-digits",
  "nondigit-chimeras": "non-digits per training clip made of the start of one digit and the end of another",
  "nondigit-fragments": "non-digits per training clip made of the first or last part of a digit",
  "reject-below": "confidence threshold written into the model (the engine rejects below it)",
  "voiced-ms": "voiced speech an utterance needs to count as a digit, in ms, written into the model (0 turns the check off; default 40)",
  "warp-above":
    "classify voices whose median pitch is above this many Hz through the --warp-factors filterbank warps too, written into the model (0 turns it off; default 170)",
  "warp-factors": "filterbank warps averaged for voices above --warp-above, comma-separated (above 1: a longer vocal tract; default 1,1.05,1.1,1.15)",
  seed: "seed of augmentation, initialisation and fold assignment",
};

export type RecipeValues = Partial<Record<keyof typeof RECIPE_FLAGS, string>>;

function pair(name: string, value: string, min: number, max: number): [number, number] {
  const parts = value.split(",");
  if (parts.length !== 2) throw new UserError(`--${name} must be two numbers, e.g. --${name} ${min},${max}`);
  const a = numberFlag(name, parts[0], 0, min, max);
  const b = numberFlag(name, parts[1], 0, min, max);
  if (a > b) throw new UserError(`--${name}: the first number must not exceed the second`);
  return [a, b];
}

/** The recipe named by --recipe with every other given flag applied to it. */
export function recipeFromFlags(v: RecipeValues): TrainRecipe {
  const base = RECIPES[v.recipe ?? "default"];
  if (!base) throw new UserError(`--recipe ${v.recipe} is not known`, `use one of: ${Object.keys(RECIPES).join(", ")}`);
  const r: TrainRecipe = structuredClone(base);
  const a: AugmentOptions = r.augment;
  const features: FeatureConfig = r.features;
  r.features = features;
  if (v.algo !== undefined) {
    const m = v.algo === "logreg" ? "softmax" : v.algo;
    if (m !== "softmax" && m !== "mlp") throw new UserError(`--algo ${v.algo} is not available`, "use softmax or mlp");
    r.model = m;
  }
  if (v.C !== undefined) r.softmax.C = numberFlag("C", v.C, 0.01, 1e-6, 1e6);
  if (v.epochs !== undefined) {
    const e = numberFlag("epochs", v.epochs, 1, 1, 100000);
    if (r.model === "mlp") r.mlp.epochs = e;
    else r.softmax.maxIterations = e;
  }
  if (v.hidden !== undefined) r.mlp.hidden = numberFlag("hidden", v.hidden, 256, 1, 4096);
  if (v.members !== undefined) r.members = numberFlag("members", v.members, 1, 1, 16);
  if (v["voice-members"] !== undefined) {
    const members = r.members ?? 1;
    const voiced = numberFlag("voice-members", v["voice-members"], 0, 0, members);
    if (!Number.isInteger(voiced)) throw new UserError("--voice-members must be a whole number", `use 0…${members}`);
    r.memberChanges = Array.from({ length: members }, (_, m) => (m >= members - voiced ? { augment: VOICE_RANGE } : {}));
  }
  if (v.dropout !== undefined) [r.mlp.inputDropout, r.mlp.hiddenDropout] = pair("dropout", v.dropout, 0, 0.9);
  if (v.copies !== undefined) a.copies = numberFlag("copies", v.copies, 0, 0, 64);
  if (v.noise !== undefined) a.noise = numberFlag("noise", v.noise, 0, 0, 1);
  if (v.snr !== undefined) a.snrDb = pair("snr", v.snr, -20, 80);
  if (v["noise-kinds"] !== undefined) {
    const kinds = v["noise-kinds"].split(",").filter(Boolean);
    for (const k of kinds) if (!NOISE_KINDS.includes(k as NoiseKind)) throw new UserError(`--noise-kinds: ${k} is not a kind`, `use ${NOISE_KINDS.join(",")}`);
    a.noiseKinds = kinds as NoiseKind[];
  }
  if (v.babble !== undefined) {
    const [p, ...snr] = v.babble.split(",");
    a.babble = numberFlag("babble", p, 0, 0, 1);
    if (snr.length) a.babbleSnrDb = pair("babble", snr.join(","), -20, 80);
    a.babbleTalkers ??= [3, 6];
  }
  if (v.gain !== undefined) a.gainDb = pair("gain", v.gain, -60, 60);
  if (v.pad !== undefined) a.pad = numberFlag("pad", v.pad, 0, 0, 1);
  if (v.speed !== undefined) a.speed = numberFlag("speed", v.speed, 0, 0, 0.5);
  if (v.vtlp !== undefined) {
    if (v.vtlp.includes(",")) a.warp = pair("vtlp", v.vtlp, 0.5, 2);
    else {
      const x = numberFlag("vtlp", v.vtlp, 0, 0, 0.5);
      a.warp = [1 / (1 + x), 1 + x];
    }
  }
  if (v.pitch !== undefined) {
    if (v.pitch.includes(",")) a.pitchSemitones = pair("pitch", v.pitch, -12, 12);
    else {
      const x = numberFlag("pitch", v.pitch, 0, 0, 12);
      a.pitchSemitones = [-x, x];
    }
  }
  if (v.reverb !== undefined) a.reverb = numberFlag("reverb", v.reverb, 0, 0, 1);
  if (v.telephone !== undefined) a.telephone = numberFlag("telephone", v.telephone, 0, 0, 1);
  if (v.eq !== undefined) a.eq = numberFlag("eq", v.eq, 0, 0, 1);
  if (v["band-mask"] !== undefined) {
    const [p, w] = v["band-mask"].split(",");
    a.bandMask = numberFlag("band-mask", p, 0, 0, 1);
    if (w !== undefined) a.maskBands = numberFlag("band-mask", w, 2, 1, features.nMels - 1);
  }
  if (v["lpc-order"] !== undefined) {
    const order = numberFlag("lpc-order", v["lpc-order"], 8, 0, features.nMels);
    if (!Number.isInteger(order)) throw new UserError("--lpc-order must be a whole number", `use 0 (MFCC) or 1…${features.nMels}`);
    if (order === 0) delete features.lpcOrder;
    else features.lpcOrder = order;
  }
  if (v["nondigit-sounds"] !== undefined) r.nondigits.soundsPerKind = numberFlag("nondigit-sounds", v["nondigit-sounds"], 0, 0, 10000);
  if (v["nondigit-reversed"] !== undefined) r.nondigits.reversed = numberFlag("nondigit-reversed", v["nondigit-reversed"], 0, 0, 1);
  if (v["nondigit-chimeras"] !== undefined) r.nondigits.chimeras = numberFlag("nondigit-chimeras", v["nondigit-chimeras"], 0, 0, 10);
  if (v["nondigit-fragments"] !== undefined) r.nondigits.fragments = numberFlag("nondigit-fragments", v["nondigit-fragments"], 0, 0, 10);
  if (v["reject-below"] !== undefined) r.rejectBelow = numberFlag("reject-below", v["reject-below"], 0, 0, 1);
  if (v["voiced-ms"] !== undefined) r.voicing = { ...(r.voicing ?? DEFAULT_VOICING), minVoicedMs: numberFlag("voiced-ms", v["voiced-ms"], 40, 0, 1000) };
  if (v["warp-above"] !== undefined || v["warp-factors"] !== undefined) {
    const above = v["warp-above"] === undefined ? (r.pitchWarp?.minHz ?? PITCH_WARP.minHz) : numberFlag("warp-above", v["warp-above"], 170, 0, 1000);
    const warps =
      v["warp-factors"] === undefined
        ? (r.pitchWarp?.warps ?? PITCH_WARP.warps)
        : v["warp-factors"].split(",").map((w) => numberFlag("warp-factors", w, 1, 0.5, 2));
    if (above === 0) delete r.pitchWarp;
    else r.pitchWarp = { minHz: above, warps };
  }
  if (v.seed !== undefined) {
    r.seed = numberFlag("seed", v.seed, 0, 0, 2 ** 31);
    r.nondigits.seed = r.seed;
  }
  return r;
}

/** What each recipe flag takes, for --help: N a whole number, P a probability, X a number. */
export const RECIPE_METAVARS: Record<keyof typeof RECIPE_FLAGS, string> = {
  recipe: "NAME",
  algo: "NAME",
  C: "X",
  epochs: "N",
  hidden: "N",
  members: "N",
  "voice-members": "N",
  dropout: "P,P",
  copies: "N",
  noise: "P",
  snr: "DB,DB",
  "noise-kinds": "KINDS",
  babble: "P[,DB,DB]",
  gain: "DB,DB",
  pad: "P",
  speed: "X",
  vtlp: "X|LO,HI",
  pitch: "ST|LO,HI",
  reverb: "P",
  telephone: "P",
  eq: "P",
  "band-mask": "P[,N]",
  "lpc-order": "N",
  "nondigit-sounds": "N",
  "nondigit-reversed": "P",
  "nondigit-chimeras": "N",
  "nondigit-fragments": "N",
  "reject-below": "P",
  "voiced-ms": "MS",
  "warp-above": "HZ",
  "warp-factors": "LIST",
  seed: "N",
};
