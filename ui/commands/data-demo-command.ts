/**
 * `bun data:demo`: makes the demo recording `bun start --demo` plays (artifacts/demo.wav and its
 * JSON truth) from the FSDD test split, so the demo needs nothing beside the clone.
 */
import { existsSync } from "node:fs";
import { DEMO_NUMBERS, DEMO_WAV, writeDemo } from "../../data/demo-recording.ts";
import { DEFAULT_DATA_DIR, loadSplit } from "../../data/fsdd.ts";
import { UserError } from "../../engine/errors.ts";
import { parseCommand, runCommand } from "../terminal/command.ts";

const spec = {
  name: "bun data:demo",
  summary: `Makes the demo recording (the numbers ${DEMO_NUMBERS.join(", ")} said by FSDD test speakers) that \`bun start --demo\` plays.`,
  usage: ["bun data:demo [--out FILE] [--data-dir DIR] [--force]"],
  options: {
    out: { type: "string", short: "o", default: DEMO_WAV },
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    force: { type: "boolean", default: false },
  },
  metavar: { out: "FILE", "data-dir": "DIR" },
  help: {
    out: "the WAV to write (its JSON truth goes beside it)",
    "data-dir": "folder with the FSDD parquet files",
    force: "make it again when it is already there",
  },
  examples: ["bun data:demo", "bun start --demo"],
} as const;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  const out = values.out!;
  if (!/\.wav$/i.test(out)) throw new UserError(`--out ${out}: not a .wav file name`, "give a name ending in .wav");
  if (existsSync(out) && !values.force) {
    console.error(`${out} is already there (--force makes it again)`);
    return 0;
  }
  const truth = await writeDemo(await loadSplit("test", values["data-dir"]), out);
  console.error(`wrote ${out}: ${truth.duration_s.toFixed(1)} s, ${truth.segments.length} digits (${truth.numbers.join(" ")})`);
  return 0;
}

if (import.meta.main) await runCommand(main);
