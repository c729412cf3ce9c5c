import { checkWritableDir, writeFileSafely } from "../../data/write-guard.ts";
import { EXIT } from "../../engine/errors.ts";
import { join } from "node:path";
import { DEFAULT_DATA_DIR } from "../../data/fsdd.ts";
import { DEFAULT_MODEL_PATH } from "../../engine/model-file.ts";
import { PROFILE_HELP, chooseModel } from "../profile-choice.ts";
import { STREAMS_DIR_SHOWN } from "../../engine/shared-streams.ts";
import {
  type EvalProgress,
  clipMetrics,
  evaluateHoldout,
  evaluateNondigits,
  evaluateSplit,
  formatClipEvaluation,
  formatNondigitEvaluation,
  nondigitMetrics,
} from "../../train/evaluate.ts";
import { evaluateStreams, formatStreamReport } from "../../train/stream-report.ts";
import { numberFlag, parseCommand, runCommand } from "../terminal/command.ts";
import { ProgressBar } from "../terminal/progress.ts";

const spec = {
  name: "bun eval",
  summary: "Evaluate a model on an FSDD split, a folder of labelled WAVs, a folder of non-digit sounds (false accepts), or test streams.",
  usage: [
    "bun eval [--model models/default.json] [--split test]",
    "bun eval --holdout DIR",
    "bun eval --nondigit DIR",
    `bun eval --streams ${STREAMS_DIR_SHOWN}`,
  ],
  options: {
    model: { type: "string", short: "m", default: DEFAULT_MODEL_PATH },
    profile: { type: "string" },
    split: { type: "string", default: "test" },
    holdout: { type: "string" },
    nondigit: { type: "string" },
    streams: { type: "string" },
    "reject-below": { type: "string" },
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    "artifacts-dir": { type: "string", default: "artifacts" },
  },
  metavar: {
    model: "FILE",
    profile: "NAME",
    split: "SPLIT",
    holdout: "DIR",
    nondigit: "DIR",
    streams: "DIR",
    "reject-below": "P",
    "data-dir": "DIR",
    "artifacts-dir": "DIR",
  },
  help: {
    model: "model file",
    profile: PROFILE_HELP,
    split: "FSDD split: test or train",
    holdout: "evaluate every {digit}_*.wav in DIR instead (label from the file-name prefix)",
    nondigit: "every *.wav in DIR is not a digit: report how many would be accepted (false accepts)",
    streams: "run the streaming engine over every WAV in DIR that has a JSON ground truth beside it (digit-string accuracy, segments, latency)",
    "reject-below": "confidence threshold for --holdout, --split and --nondigit (default: the model's rejectBelow)",
    "data-dir": "folder with the FSDD parquet files",
    "artifacts-dir": "where the metrics JSON goes",
  },
  aliases: { model_path: "model" },
  exitCodes: [
    [EXIT.inputsFailed, "some files or rows failed (skipped and listed; the rest is scored and written)"],
    [EXIT.outputFailed, "the metrics could not be written (checked before the work starts)"],
  ],
  examples: [
    "bun eval",
    "bun eval --holdout samples/",
    "bun data:synth && bun eval --holdout artifacts/synth/digits",
    "bun eval --nondigit artifacts/synth/nondigit",
    `bun eval --streams ${STREAMS_DIR_SHOWN}`,
  ],
} as const;

/** A bar on a terminal only: piped output stays exactly the report. */
function progressBar(label: string): EvalProgress | undefined {
  if (!process.stderr.isTTY) return undefined;
  let bar: ProgressBar | undefined;
  return (done, total) => {
    bar ??= new ProgressBar(label, total);
    bar.tick();
    if (done === total) bar.finish();
  };
}

/** The metrics file, whole or not at all (the folder was checked before the work). */
function writeMetrics(dir: string, name: string, content: object): void {
  const file = join(dir, name);
  writeFileSafely(file, Buffer.from(`${JSON.stringify(content, null, 2)}\n`), { force: true, flag: "--artifacts-dir" });
  console.log(`wrote ${file}`);
}

export async function main(argv: string[]): Promise<number | void> {
  const { values } = parseCommand(spec, argv);
  const { model, note } = chooseModel(values.model!, values.profile, false);
  if (note) console.error(note);
  const modelName = values.model!;
  const artifacts = values["artifacts-dir"]!;
  // the metrics file must be writable before the work it reports starts
  checkWritableDir(artifacts, "--artifacts-dir");
  if (values.streams) {
    const report = await evaluateStreams(model, values.streams);
    console.log(`streams in ${values.streams}, model ${modelName}`);
    console.log(formatStreamReport(report));
    writeMetrics(artifacts, "stream_metrics.json", { model: modelName, ...report });
    return 0;
  }
  const threshold = numberFlag("reject-below", values["reject-below"], model.rejectBelow ?? 0, 0, 1);
  if (values.nondigit) {
    const e = await evaluateNondigits(model, values.nondigit, threshold, progressBar("non-digits"));
    for (const f of e.failures) console.error(`error: ${f}`);
    console.log(formatNondigitEvaluation(e, modelName));
    writeMetrics(artifacts, "nondigit_metrics.json", nondigitMetrics(e, modelName));
    return e.failures.length ? 1 : 0;
  }
  const e = values.holdout
    ? evaluateHoldout(model, values.holdout, threshold, progressBar("evaluating"))
    : await evaluateSplit(model, values.split!, values["data-dir"]!, threshold, progressBar("evaluating"));
  for (const f of e.failures) console.error(`error: ${f}`);
  console.log(formatClipEvaluation(e, modelName));
  writeMetrics(artifacts, values.holdout ? "holdout_metrics.json" : "test_metrics.json", clipMetrics(e, modelName));
  return e.failures.length ? 1 : 0;
}

if (import.meta.main) await runCommand(main);
