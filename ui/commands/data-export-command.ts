import { join } from "node:path";
import { EXIT, UserError } from "../../engine/errors.ts";
import { numberFlag, parseCommand, runCommand, type CommandSpec } from "../terminal/command.ts";
import { formatBytes } from "../../data/download.ts";
import { exportAll, exportPerClass } from "../../data/export-samples.ts";
import { DEFAULT_DATA_DIR, readSplitRows, SPLITS, splitPath, type Split } from "../../data/fsdd.ts";

const spec = {
  name: "bun data:export",
  summary: "Writes FSDD clips as WAV files (their original bytes): a few per digit, or a whole split.",
  usage: ["bun data:export [--split test] [--per-class 3] [--out samples/]", "bun data:export --all [--split test] [--out samples/]"],
  options: {
    split: { type: "string", default: "test" },
    "per-class": { type: "string", default: "3" },
    out: { type: "string", default: "samples" },
    dir: { type: "string", default: DEFAULT_DATA_DIR },
    all: { type: "boolean", default: false },
    force: { type: "boolean", default: false },
  },
  metavar: { split: "SPLIT", "per-class": "N", out: "DIR", dir: "DIR" },
  help: {
    split: "train or test",
    "per-class": "clips per digit, written as OUT/{digit}_{i}.wav",
    out: "output folder",
    dir: "folder of the parquet files",
    all: "write every clip of the split under its original name, as OUT/SPLIT/7_jackson_3.wav",
    force: "replace files already in OUT that differ (by default they are kept and the export stops)",
  },
  exitCodes: [[EXIT.outputFailed, "a file could not be written (nothing half-written is left; files written before it stay)"]],
  examples: ["bun data:export", "bun data:export --split train --per_class 5", "bun data:export --all --split test"],
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; default?: string | boolean }>>;

export async function main(argv: string[]): Promise<number | void> {
  const { values } = parseCommand(spec, argv);
  const split = values.split as Split;
  if (!SPLITS.includes(split)) throw new UserError(`--split must be ${SPLITS.join(" or ")}, got "${values.split}"`);
  const perClass = numberFlag("per-class", values["per-class"], 3, 1, 10_000);
  if (!Number.isInteger(perClass)) throw new UserError(`--per-class must be a whole number, got "${values["per-class"]}"`);

  const file = splitPath(split, values.dir);
  const rows = await readSplitRows(file);
  if (values.all) {
    const outDir = join(values.out, split);
    const written = await exportAll(rows, outDir, file, values.force);
    const bytes = written.reduce((sum, w) => sum + w.bytes, 0);
    const seconds = written.reduce((sum, w) => sum + w.seconds, 0);
    console.log(`wrote ${written.length} clips (${formatBytes(bytes)}, ${seconds.toFixed(1)} s of audio) to ${outDir}/`);
    return;
  }
  const written = await exportPerClass(rows, values.out, perClass, file, values.force);
  for (const w of written) {
    console.log(`${w.file}  ← ${w.source}  (digit ${w.label}, ${w.seconds.toFixed(2)} s, ${w.sampleRate} Hz)`);
  }
  console.log(`wrote ${written.length} clips (${perClass} per digit) from ${file} to ${values.out}/`);
}

if (import.meta.main) await runCommand(main);
