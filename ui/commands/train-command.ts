// Taken before any import is evaluated: what Bun's start-up and module loading cost (--timings).
const modulesLoadedAt = performance.now();
import { existsSync } from "node:fs";
import { checkWritableDir, writeFileSafely } from "../../data/write-guard.ts";
import { dirname, join } from "node:path";
import { DEFAULT_DATA_DIR } from "../../data/fsdd.ts";
import { EXIT, UserError } from "../../engine/errors.ts";
import { DEFAULT_MODEL_PATH, type ModelLoadTimings, loadModelFile, serializeModel } from "../../engine/model-file.ts";
import { weightsFilePath } from "../../engine/model-weights-file.ts";
import { numberFlag, parseCommand, runCommand } from "../terminal/command.ts";
import { ProgressBar } from "../terminal/progress.ts";
import type { CvScheme } from "../../train/cross-validate.ts";
import { RECIPE_FLAGS, RECIPE_HELP, RECIPE_METAVARS, recipeFromFlags } from "../terminal/recipe-flags.ts";
import { trainFsdd } from "../../train/train-fsdd.ts";
import { PhaseTimes } from "../../train/phase-times.ts";
import { type TrainRecipe, memberCount } from "../../train/train-model.ts";

const spec = {
  name: "bun train",
  summary: "Train the digit classifier on the FSDD train split (with the shipped recipe unless told otherwise) and write the model file.",
  usage: ["bun train [--recipe default|loso|voices|baseline] [recipe flags] [--cv group5|loso|group5,loso] [-o FILE]"],
  options: {
    ...RECIPE_FLAGS,
    cv: { type: "string" },
    "enroll-shots": { type: "string" },
    "enroll-mislabel": { type: "string" },
    "enroll-noise": { type: "string" },
    out: { type: "string", short: "o" },
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    "artifacts-dir": { type: "string", default: "artifacts" },
    timings: { type: "boolean" },
  },
  help: {
    ...RECIPE_HELP,
    cv: "speaker-grouped cross-validation of the whole recipe on the train split: group5, loso, or both comma-separated → artifacts/cv_metrics*.json",
    "enroll-shots":
      "with --cv loso: also enrol each fold's model on K random takes per digit of its held-out speaker (as `bun enroll` does) and test it on the rest (3 when given bare; 1,3,5 for several) → .enrolled in cv_metrics.json; fold models are kept in ARTIFACTS/cv-models to try again quickly",
    "enroll-mislabel":
      "with --enroll-shots: file this share (0-1) of the enrolment takes under a wrong digit, as a user's slips would (the test clips stay right)",
    "enroll-noise": "with --enroll-shots: enrol on takes in white noise at this SNR in dB (the test clips stay clean)",
    out: `where to write the model JSON (default: ${DEFAULT_MODEL_PATH} for the shipped recipe, else models/RECIPE.json; an existing file is replaced only when named here)`,
    "data-dir": "folder with the FSDD parquet files",
    "artifacts-dir": "where metrics JSON files go",
    timings:
      "print where the time went on stderr: start-up, loading, and each phase of the final training summed over its networks (both cores' time together), beside the wall time",
  },
  metavar: {
    ...RECIPE_METAVARS,
    cv: "SCHEMES",
    "enroll-shots": "K",
    "enroll-mislabel": "SHARE",
    "enroll-noise": "DB",
    out: "FILE",
    "data-dir": "DIR",
    "artifacts-dir": "DIR",
  },
  aliases: { model_out: "out", "model-out": "out", model: "algo", data_dir: "data-dir", artifacts_dir: "artifacts-dir" },
  exitCodes: [[EXIT.outputFailed, "the model or metrics could not be written (the folders are checked before training)"]],
  examples: [
    "bun train",
    "bun train --cv loso",
    "bun train --timings -o artifacts/timed.json",
    "bun train --cv loso --enroll-shots 1,3,5 -o artifacts/loso.json",
    "bun train --cv loso --enroll-shots 3 --enroll-mislabel 0.1 -o artifacts/loso.json",
    "bun train --recipe baseline -o artifacts/baseline.json",
    "bun train --copies 0 --algo softmax -o artifacts/linear.json",
    "bun train --vtlp 0.1 --pitch 3 --cv loso -o artifacts/vtlp.json",
  ],
} as const;

/**
 * One bar for the whole training, in percent: building the augmented feature rows counts for 40 %,
 * the epochs (or L-BFGS iterations) for 60 %, over all networks of an ensemble (which train side
 * by side, so two bars of their own would fight over the line).
 */
function trainingProgress(recipe: TrainRecipe, clips: number) {
  const members = memberCount(recipe);
  const rowsTotal = members * clips * (1 + recipe.augment.copies);
  const stepsTotal = recipe.model === "mlp" ? (recipe.mlp.epochs ?? 1) * members : (recipe.softmax.maxIterations ?? 1);
  const stepName = recipe.model === "mlp" ? "epochs" : "iterations";
  const bar = new ProgressBar(members > 1 ? `training ${members} networks (%)` : "training (%)", 100);
  let rows = 0;
  let steps = 0;
  let shown = 0;
  let loss = 0;
  const status = () => `features ${rows}/${rowsTotal} · ${stepName} ${steps}/${stepsTotal}${steps ? ` · loss ${loss.toFixed(4)}` : ""}`;
  const update = () => {
    const pct = Math.floor(100 * (0.4 * Math.min(1, rows / rowsTotal) + 0.6 * Math.min(1, steps / stepsTotal)));
    bar.tick(pct - shown, status());
    shown = pct;
  };
  return {
    rows: (n: number) => {
      rows += n;
      update();
    },
    iteration: (l: number) => {
      steps++;
      loss = l;
      update();
    },
    finish: () => bar.finish(`(${status()})`),
  };
}

/** The `--timings` report; phases under the final training are summed over its networks and Workers. */
function formatTimings(phases: PhaseTimes): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(9);
  const rows = [["Bun start-up and modules", modulesLoadedAt], ...phases.ms, ["total (wall)", performance.now()]] as const;
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    "Timings (this process; member phases are summed over the networks, all threads):",
    ...rows.map(([name, ms]) => `  ${name.padEnd(width)} ${s(ms)}`),
  ].join("\n");
}

/**
 * Where the model goes: -o if given; models/default.json only for the shipped recipe unchanged;
 * otherwise models/RECIPE.json (RECIPE-custom.json when flags changed it). A file the user did not
 * name is never replaced, except models/default.json by the shipped recipe, which is its purpose.
 */
export function modelOutPath(values: Record<string, string | boolean | undefined>, modelsDir = dirname(DEFAULT_MODEL_PATH)): string {
  if (typeof values.out === "string") return values.out;
  const name = typeof values.recipe === "string" ? values.recipe : "default";
  const changed = Object.keys(RECIPE_FLAGS).some((k) => k !== "recipe" && values[k] !== undefined);
  if (name === "default" && !changed) return join(modelsDir, "default.json");
  const out = join(modelsDir, `${name}${changed ? "-custom" : ""}.json`);
  if (existsSync(out)) throw new UserError(`${out} exists and would be replaced`, `name the output with -o (-o ${out} replaces it)`);
  return out;
}

/** `--enroll-shots` given bare (last, or before another flag) means 3 takes per digit. */
function withBareEnrollShots(argv: string[]): string[] {
  return argv.flatMap((a, i) => (a === "--enroll-shots" && (i + 1 === argv.length || argv[i + 1]!.startsWith("-")) ? [a, "3"] : [a]));
}

export async function main(argv: string[]): Promise<number | void> {
  const { values } = parseCommand(spec, withBareEnrollShots(argv));
  const recipe = recipeFromFlags(values);
  const out = modelOutPath(values);
  const schemes = (values.cv ?? "").split(",").filter(Boolean) as CvScheme[];
  for (const s of schemes) if (s !== "group5" && s !== "loso") throw new UserError(`--cv ${s} is not a scheme`, "use group5, loso or group5,loso");
  const artifacts = values["artifacts-dir"]!;
  const shots = values["enroll-shots"] === undefined ? [] : values["enroll-shots"].split(",").map((k) => numberFlag("enroll-shots", k, 3, 1, 40));
  if (shots.length && !schemes.includes("loso")) throw new UserError("--enroll-shots goes with --cv loso", "add --cv loso");
  const mislabelled = values["enroll-mislabel"] === undefined ? undefined : numberFlag("enroll-mislabel", values["enroll-mislabel"], 0, 0, 1);
  const noisySnrDb = values["enroll-noise"] === undefined ? undefined : numberFlag("enroll-noise", values["enroll-noise"], 10, -10, 60);
  if ((mislabelled !== undefined || noisySnrDb !== undefined) && !shots.length)
    throw new UserError("--enroll-mislabel and --enroll-noise go with --enroll-shots", "add --cv loso --enroll-shots 3");
  const started = performance.now();
  const phases = values.timings ? new PhaseTimes() : undefined;
  // a minute of training must not end in a model that cannot be written
  checkWritableDir(dirname(out), "--out");
  if (schemes.length) checkWritableDir(artifacts, "--artifacts-dir");
  // the bar starts with the final training, after any cross-validation
  let clips = 0;
  let progress: ReturnType<typeof trainingProgress> | undefined;
  const bar = () => (progress ??= trainingProgress(recipe, clips));

  const result = await trainFsdd(recipe, {
    recipeName: values.recipe,
    schemes,
    dataDir: values["data-dir"],
    onLoaded: (trainClips) => (clips = trainClips),
    onFold: (scheme, f, acc) => process.stderr.write(`  ${scheme} fold ${f + 1}: ${acc.toFixed(3)}\n`),
    enrollShots: shots,
    enrollTakes: { mislabelled, noisySnrDb },
    foldCacheDir: join(artifacts, "cv-models"),
    onFoldModelCached: (f) => process.stderr.write(`  fold model from ${f}\n`),
    onEnrolledFold: (r, k) =>
      process.stderr.write(
        `    ${r.speaker} enrolled with ${k}: ${r.plain.toFixed(3)} → ${r.enrolled.toFixed(3)}; non-digits accepted ${r.nondigitPlain.toFixed(2)} → ${r.nondigitEnrolled.toFixed(2)} (adapted in ${r.adaptMs.toFixed(0)} ms)\n`,
      ),
    onCrossValidated: (cv, seconds) => {
      console.log(
        `cv ${cv.scheme}: ${cv.folds.map((f) => `${f.speakers.join("+")} ${f.accuracy.toFixed(3)}`).join(", ")} → mean ${cv.mean.toFixed(4)} ± ${cv.std.toFixed(4)} (${seconds.toFixed(1)} s)`,
      );
      for (const s of Object.values(cv.enrolled?.byShots ?? {})) {
        console.log(
          `  enrolled with ${s.shots} take${s.shots > 1 ? "s" : ""} per digit: mean ${s.mean.toFixed(4)} (plain ${s.plainMean.toFixed(4)}), worst ${s.worst.toFixed(3)}; non-digits accepted ${s.nondigitAccepted.plain.toFixed(3)} → ${s.nondigitAccepted.enrolled.toFixed(3)}; adaptation median ${s.adaptMsMedian.toFixed(0)} ms; below plain: ${s.belowPlain.join(", ") || "none"}`,
        );
      }
      const file = cv.scheme === schemes[0] ? `${artifacts}/cv_metrics.json` : `${artifacts}/cv_metrics_${cv.scheme}.json`;
      writeFileSafely(file, Buffer.from(`${JSON.stringify(cv, null, 2)}\n`), { force: true, flag: "--artifacts-dir" });
      console.log(`  wrote ${file}`);
    },
    onRows: (n) => bar().rows(n),
    onIteration: (_, loss) => bar().iteration(loss),
    onTrained: () => bar().finish(),
    onPhase: phases?.add,
  });
  // whole or not at all: a failed write never leaves half a model where the old one was
  const write = () => writeFileSafely(out, Buffer.from(serializeModel(result.model)), { force: true, flag: "--out" });
  if (phases) phases.time("write the model", write);
  else write();
  // loaded back as every command will load it: a check that it does, and the weights file that
  // makes its cold starts fast is written beside it (engine/model-weights-file.ts)
  const loaded: ModelLoadTimings = { readMs: 0, parseMs: 0, validateMs: 0 };
  const reload = () => loadModelFile(out, loaded);
  if (phases) phases.time("load it back, write its weights file", reload);
  else reload();
  if (phases) process.stderr.write(`${formatTimings(phases)}\n`);
  const secs = ((performance.now() - started) / 1000).toFixed(2);
  console.log(
    `train accuracy ${result.trainAccuracy.toFixed(4)}, test accuracy ${result.testAccuracy.toFixed(4)} (${result.testClips} clips); training ${result.trainSeconds.toFixed(2)} s`,
  );
  const weights = loaded.weightsFile === "unwritable" ? "" : ` and ${weightsFilePath(out)}`;
  console.log(`wrote ${out}${weights} in ${secs} s`);
}

if (import.meta.main) await runCommand(main);
