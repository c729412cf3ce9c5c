import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_DATA_DIR, type Split, loadSplit } from "../data/fsdd.ts";
import { decodeWav } from "../data/wav.ts";
import { ClipRecognizer } from "../engine/clip-recognizer.ts";
import { UserError, errorMessage } from "../engine/errors.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../engine/model-file.ts";
import { parseCommand, runCommand } from "../ui/terminal/command.ts";
import { labelFromName } from "../data/labels.ts";
import { classificationReport, formatReport } from "./metrics.ts";
import { evaluateStreams, formatStreamReport } from "./stream-report.ts";

const spec = {
  name: "bun eval",
  summary: "Evaluate a model on an FSDD split or a folder of labelled WAVs: accuracy, per-class P/R/F1, confusion matrix.",
  usage: ["bun eval [--model models/default.json] [--split test]", "bun eval --holdout DIR", "bun eval --streams ../shared/streams"],
  options: {
    model: { type: "string", short: "m", default: DEFAULT_MODEL_PATH },
    split: { type: "string", default: "test" },
    holdout: { type: "string" },
    streams: { type: "string" },
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    "artifacts-dir": { type: "string", default: "artifacts" },
  },
  help: {
    model: "model file",
    split: "FSDD split: test or train",
    holdout: "evaluate every {digit}_*.wav in DIR instead (label from the file-name prefix)",
    streams: "run the streaming engine over every WAV in DIR that has a JSON ground truth beside it (digit-string accuracy, segments, latency)",
    "data-dir": "folder with the FSDD parquet files",
    "artifacts-dir": "where the metrics JSON goes",
  },
  aliases: { model_path: "model" },
  examples: ["bun eval", "bun eval --holdout samples/", "bun eval --streams ../shared/streams"],
} as const;

await runCommand(async () => {
  const { values } = parseCommand(spec, process.argv.slice(2));
  const model = loadModelFile(values.model);
  if (values.streams) {
    const report = await evaluateStreams(model, values.streams);
    console.log(`streams in ${values.streams}, model ${values.model}`);
    console.log(formatStreamReport(report));
    const dir = values["artifacts-dir"]!;
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "stream_metrics.json");
    writeFileSync(file, `${JSON.stringify({ model: values.model, ...report }, null, 2)}\n`);
    console.log(`wrote ${file}`);
    return 0;
  }
  const recognizer = new ClipRecognizer(model);
  const truth: number[] = [];
  const predicted: number[] = [];
  const failures: string[] = [];
  let source: string;
  if (values.holdout) {
    const dir = values.holdout;
    if (!existsSync(dir)) throw new UserError(`${dir}: no such folder`);
    const files = readdirSync(dir).filter((f) => /\.wav$/i.test(f)).sort();
    const labelled = files.filter((f) => labelFromName(f) !== null);
    if (labelled.length === 0) throw new UserError(`${dir}: no WAV files named {digit}_….wav`, "name files by their digit, e.g. 7_me_1.wav");
    for (const f of labelled) {
      try {
        const audio = decodeWav(readFileSync(join(dir, f)), f);
        predicted.push(recognizer.recognizeDecoded(audio).digit);
        truth.push(labelFromName(f)!);
      } catch (err) {
        failures.push(errorMessage(err).split("\n")[0]!);
      }
    }
    source = `holdout ${dir}`;
  } else {
    const split = values.split as Split;
    if (split !== "test" && split !== "train") throw new UserError(`--split ${values.split} is not test or train`);
    const clips = await loadSplit(split, values["data-dir"]);
    for (const clip of clips) {
      truth.push(clip.label);
      predicted.push(recognizer.recognize(clip.samples, clip.sampleRate).digit);
    }
    source = `FSDD ${split} split`;
  }
  for (const f of failures) console.error(`error: ${f}`);
  const report = classificationReport(truth, predicted, model.labels);
  console.log(`${source}, model ${values.model}`);
  console.log(formatReport(report));
  const cv = (model.training.cv ?? {}) as Record<string, { mean: number; std: number }>;
  for (const [scheme, r] of Object.entries(cv)) {
    console.log(`cross-validation ${scheme} (speaker-grouped, train split): ${r.mean.toFixed(4)} ± ${r.std.toFixed(4)}; this set: ${report.accuracy.toFixed(4)}`);
  }
  const dir = values["artifacts-dir"]!;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, values.holdout ? "holdout_metrics.json" : "test_metrics.json");
  writeFileSync(file, `${JSON.stringify({ source, model: values.model, ...report, failures, cv }, null, 2)}\n`);
  console.log(`wrote ${file}`);
  return failures.length ? 1 : 0;
});
