import { existsSync, statSync } from "node:fs";
import { parseCommand, runCommand, type CommandSpec } from "../terminal/command.ts";
import { DEFAULT_DATA_DIR, SPLITS, splitPath } from "../../data/fsdd.ts";
import { formatReport, inspectParquet } from "../../data/inspect-report.ts";

const spec = {
  name: "bun data:inspect",
  summary: "Describes FSDD parquet files: schema, rows, clips per speaker and digit, durations, sample rates, metadata.",
  usage: ["bun data:inspect [FILE_OR_DIR...] [--dir DIR] [--json]"],
  options: {
    dir: { type: "string", default: DEFAULT_DATA_DIR },
    json: { type: "boolean", default: false },
  },
  metavar: { dir: "DIR" },
  help: {
    dir: "folder whose train and test files are inspected when no FILE is given",
    json: "print a JSON array of reports instead of text",
  },
  examples: ["bun data:inspect", "bun data:inspect data/fsdd_parquet/test-00000-of-00001.parquet", "bun data:inspect --json | jq '.[1].stats.histogram'"],
  allowPositionals: true,
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; default?: string | boolean }>>;

export async function main(argv: string[]): Promise<number | void> {
  const { values, positionals } = parseCommand(spec, argv);
  const splitsIn = (dir: string) => SPLITS.map((s) => splitPath(s, dir));
  const files = positionals.length === 0 ? splitsIn(values.dir) : positionals.flatMap((p) => (existsSync(p) && statSync(p).isDirectory() ? splitsIn(p) : [p]));
  const reports = [];
  for (const file of files) reports.push(await inspectParquet(file));
  if (values.json) console.log(JSON.stringify(reports, null, 2));
  else console.log(reports.map(formatReport).join("\n\n"));
}

if (import.meta.main) await runCommand(main);
