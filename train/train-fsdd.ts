/**
 * What `bun train` does, as a library: cross-validates a recipe on FSDD's train split if asked,
 * trains the model on the whole split (its networks in parallel Workers), and scores it on both
 * splits. Progress and results reach the caller through callbacks; the caller writes the files.
 */
import { type Clip, DEFAULT_DATA_DIR, loadSplit, splitPath } from "../data/fsdd.ts";
import type { ModelFile } from "../engine/model-file.ts";
import { type CvResult, type CvScheme, crossValidate } from "./cross-validate.ts";
import { dataHash } from "./data-hash.ts";
import { accuracy, predictClips } from "./fit-model.ts";
import { trainModelParallel } from "./parallel-train.ts";
import type { TrainExtras, TrainRecipe } from "./train-model.ts";
import { type EnrollCvOptions, type EnrolledFold, type EnrolledSummary, enrolledFold, summariseEnrolled } from "./enroll-cv.ts";
import { ENROL_ADAPT } from "./enrolment.ts";
import { cachedTrainer } from "./fold-cache.ts";
import type { AdaptOptions } from "./speaker-adaptation.ts";
import type { PhaseReporter } from "./phase-times.ts";

/** Enrolled leave-one-speaker-out figures: those of the first K asked for, and of each K. */
export type EnrolledCv = EnrolledSummary & {
  adapt: Partial<AdaptOptions>;
  takes?: Pick<EnrollCvOptions, "mislabelled" | "noisySnrDb">;
  byShots: Record<string, EnrolledSummary>;
};

export interface TrainFsddOptions {
  /** The recipe's name as the user chose it (recorded in the model file). */
  recipeName?: string;
  /** Cross-validation schemes to run before the final training. */
  schemes?: CvScheme[];
  dataDir?: string;
  /** Both splits are loaded. */
  onLoaded?: (trainClips: number, testClips: number) => void;
  /** After each cross-validation fold. */
  onFold?: (scheme: CvScheme, fold: number, accuracy: number) => void;
  /**
   * With leave-one-speaker-out: each fold's model is also enrolled on this many random takes
   * per digit of its held-out speaker (several counts: several runs) and tested on the rest, as
   * `bun enroll` adapts; the result's `enrolled` holds the figures (see train/enroll-cv.ts).
   */
  enrollShots?: number[];
  /** How the enrolment takes are spoiled (mislabelled share, noise), to measure robustness. */
  enrollTakes?: Pick<EnrollCvOptions, "mislabelled" | "noisySnrDb">;
  /** Where fold models are kept (by recipe and clips) when enrolling, so a rerun loads them. */
  foldCacheDir?: string;
  onFoldModelCached?: (file: string) => void;
  /** After each enrolled fold. */
  onEnrolledFold?: (fold: EnrolledFold, shots: number) => void;
  /** After each cross-validation scheme, with its seconds. */
  onCrossValidated?: (result: CvResult & { enrolled?: EnrolledCv }, seconds: number) => void;
  /** Feature rows built for the final training, as they are built. */
  onRows?: TrainExtras["onRows"];
  /** Each epoch (or L-BFGS iteration) of the final training. */
  onIteration?: TrainExtras["onIteration"];
  /** The final model is trained; scoring it on both splits follows. */
  onTrained?: () => void;
  /**
   * Told the time of each phase: loading, the final training's phases summed over its members
   * (in Workers: CPU of both cores together), its wall time, and scoring (see phase-times.ts).
   */
  onPhase?: PhaseReporter;
}

export interface TrainFsddResult {
  model: ModelFile;
  trainAccuracy: number;
  testAccuracy: number;
  testClips: number;
  trainClips: number;
  trainSeconds: number;
}

const TRAINED_ON = "FSDD train split (official, 2700 clips, speakers george, jackson, lucas, nicolas, theo, yweweler)";

const clipAccuracy = (model: ModelFile, clips: Clip[]) =>
  accuracy(
    Int32Array.from(clips, (c) => c.label),
    predictClips(model, clips),
  );

export async function trainFsdd(recipe: TrainRecipe, options: TrainFsddOptions = {}): Promise<TrainFsddResult> {
  const dir = options.dataDir ?? DEFAULT_DATA_DIR;
  const report = options.onPhase;
  let t = performance.now();
  const train = await loadSplit("train", dir);
  const test = await loadSplit("test", dir);
  report?.("load FSDD parquet", performance.now() - t);
  options.onLoaded?.(train.length, test.length);

  const cv: Record<string, unknown> = {};
  const shots = options.enrollShots ?? [];
  const foldTrainer =
    shots.length && options.foldCacheDir
      ? cachedTrainer(options.foldCacheDir, (c, r) => trainModelParallel(c, r), options.onFoldModelCached)
      : trainModelParallel;
  for (const scheme of options.schemes ?? []) {
    const t0 = performance.now();
    const enrolled = new Map<number, EnrolledFold[]>(shots.map((k) => [k, []]));
    const onModel = (_: number, model: ModelFile, held: Clip[], speakers: string[]) => {
      for (const k of shots) {
        const r = enrolledFold(model, speakers.join("+"), held, { shots: k, adapt: ENROL_ADAPT, ...options.enrollTakes });
        enrolled.get(k)!.push(r);
        options.onEnrolledFold?.(r, k);
      }
    };
    const result: CvResult & { enrolled?: EnrolledCv } = await crossValidate(
      train,
      recipe,
      scheme,
      (f, acc) => options.onFold?.(scheme, f, acc),
      foldTrainer,
      scheme === "loso" && shots.length ? onModel : undefined,
    );
    if (scheme === "loso" && shots.length) {
      const summaries = shots.map((k) => summariseEnrolled(k, enrolled.get(k)!));
      // the first K given is `.enrolled`; every K is in `.enrolled.byShots`
      result.enrolled = {
        ...summaries[0]!,
        adapt: ENROL_ADAPT,
        ...(options.enrollTakes ? { takes: options.enrollTakes } : {}),
        byShots: Object.fromEntries(summaries.map((s) => [s.shots, s])),
      };
    }
    cv[scheme] = { mean: result.mean, std: result.std, folds: Object.fromEntries(result.folds.map((f) => [f.speakers.join("+"), f.accuracy])) };
    options.onCrossValidated?.(result, (performance.now() - t0) / 1000);
  }

  const t0 = performance.now();
  const model = await trainModelParallel(train, recipe, {
    onRows: options.onRows,
    onIteration: options.onIteration,
    onPhase: report && ((phase, ms) => report(`  member ${phase}`, ms)),
    training: {
      trainedOn: `${TRAINED_ON}; ${recipe.synthSpeech ? "synthetic speech from the training voices of data/synth/room-voices.ts (espeak-ng)" : "no synthetic speech"}`,
      trainClips: train.length,
      dataHash: dataHash([splitPath("train", dir)]),
      recipe: { ...recipe, name: options.recipeName },
      date: new Date().toISOString(),
    },
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  report?.("final training, wall", trainSeconds * 1000);
  options.onTrained?.();
  t = performance.now();
  const trainAccuracy = clipAccuracy(model, train);
  const testAccuracy = clipAccuracy(model, test);
  report?.("score train and test splits", performance.now() - t);
  Object.assign(model.training, { trainAccuracy, testAccuracy, cv, trainSeconds: Number(trainSeconds.toFixed(2)) });
  return { model, trainAccuracy, testAccuracy, testClips: test.length, trainClips: train.length, trainSeconds };
}
