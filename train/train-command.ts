import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DEFAULT_DATA_DIR, loadSplit, splitPath } from "../data/fsdd.ts";
import { UserError } from "../engine/errors.ts";
import { DEFAULT_FEATURES } from "../engine/features/feature-config.ts";
import { DEFAULT_MODEL_PATH } from "../engine/model-file.ts";
import { numberFlag, parseCommand, runCommand } from "../ui/terminal/command.ts";
import { ProgressBar } from "../ui/terminal/progress.ts";
import { clipFeatures } from "./clip-features.ts";
import { type CvScheme, crossValidate } from "./cross-validate.ts";
import { dataHash } from "./data-hash.ts";
import { accuracy, fitSoftmaxModel, predictRows } from "./fit-model.ts";
import { DEFAULT_SOFTMAX } from "./softmax-trainer.ts";

const spec = {
  name: "bun train",
  summary: "Train the softmax digit classifier on the FSDD train split and write the model file.",
  usage: ["bun train [--C 0.01] [--epochs 300] [--cv group5|loso|group5,loso] [--model-out models/default.json]"],
  options: {
    algo: { type: "string", default: "softmax" },
    C: { type: "string", default: String(DEFAULT_SOFTMAX.C) },
    epochs: { type: "string", default: String(DEFAULT_SOFTMAX.maxIterations) },
    seed: { type: "string", default: "0" },
    cv: { type: "string" },
    "model-out": { type: "string", short: "o", default: DEFAULT_MODEL_PATH },
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    "artifacts-dir": { type: "string", default: "artifacts" },
  },
  help: {
    algo: "model: softmax (multinomial logistic regression; `logreg` is accepted)",
    C: "inverse L2 strength as in scikit-learn (smaller = stronger)",
    epochs: "L-BFGS iterations at most (full-batch)",
    seed: "seed for the speaker-to-fold assignment",
    cv: "speaker-grouped cross-validation on the train split: group5, loso, or both comma-separated → artifacts/cv_metrics.json",
    "model-out": "where to write the model JSON",
    "data-dir": "folder with the FSDD parquet files",
    "artifacts-dir": "where metrics JSON files go",
  },
  aliases: { model_out: "model-out", data_dir: "data-dir" },
  examples: ["bun train", "bun train --cv group5,loso", "bun train --C 2 --model-out artifacts/c2.json"],
} as const;

await runCommand(async () => {
  const { values } = parseCommand(spec, process.argv.slice(2));
  const algo = values.algo === "logreg" ? "softmax" : values.algo;
  if (algo !== "softmax") throw new UserError(`--algo ${values.algo} is not available`, "use --algo softmax");
  const C = numberFlag("C", values.C, DEFAULT_SOFTMAX.C, 1e-6, 1e6);
  const maxIterations = numberFlag("epochs", values.epochs, DEFAULT_SOFTMAX.maxIterations, 1, 100000);
  const seed = numberFlag("seed", values.seed, 0, 0, 2 ** 31);
  const schemes = (values.cv ?? "").split(",").filter(Boolean) as CvScheme[];
  for (const s of schemes) if (s !== "group5" && s !== "loso") throw new UserError(`--cv ${s} is not a scheme`, "use group5, loso or group5,loso");
  const dir = values["data-dir"]!;
  const started = performance.now();

  const train = await loadSplit("train", dir);
  const test = await loadSplit("test", dir);
  const features = DEFAULT_FEATURES;
  const Xtrain = clipFeatures(train, features, "train features");
  const Xtest = clipFeatures(test, features, "test features");
  const ytrain = Int32Array.from(train, (c) => c.label);
  const ytest = Int32Array.from(test, (c) => c.label);
  const options = { C, maxIterations };

  const cv: Record<string, unknown> = {};
  for (const scheme of schemes) {
    const result = crossValidate(Xtrain, ytrain, train.map((c) => c.speaker), features, options, scheme, seed);
    cv[scheme] = { mean: result.mean, std: result.std };
    console.log(`cv ${scheme}: folds ${result.folds.map((f) => f.accuracy.toFixed(3)).join(" ")} → mean ${result.mean.toFixed(4)} ± ${result.std.toFixed(4)}`);
    const artifacts = values["artifacts-dir"]!;
    mkdirSync(artifacts, { recursive: true });
    const file = scheme === schemes[0] ? `${artifacts}/cv_metrics.json` : `${artifacts}/cv_metrics_${scheme}.json`;
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`  wrote ${file}`);
  }

  const bar = new ProgressBar("training", maxIterations);
  let lastLoss = 0;
  const model = fitSoftmaxModel(
    Xtrain,
    ytrain,
    features,
    {
      ...options,
      onIteration: (_, loss) => {
        lastLoss = loss;
        bar.tick(1, `loss ${loss.toFixed(4)}`);
      },
    },
    {
      algo: "softmax",
      C,
      seed,
      trainedOn: "FSDD train split (official, 2700 clips)",
      trainClips: train.length,
      dataHash: dataHash([splitPath("train", dir)]),
      date: new Date().toISOString(),
    },
  );
  bar.finish(`loss ${lastLoss.toFixed(4)}`);
  const trainAcc = accuracy(ytrain, predictRows(model, Xtrain));
  const testAcc = accuracy(ytest, predictRows(model, Xtest));
  Object.assign(model.training, { trainAccuracy: trainAcc, testAccuracy: testAcc, cv });
  const out = values["model-out"]!;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(model)}\n`);
  const secs = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`train accuracy ${trainAcc.toFixed(4)}, test accuracy ${testAcc.toFixed(4)} (${test.length} clips)`);
  console.log(`wrote ${out} in ${secs} s`);
});
