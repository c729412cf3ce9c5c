import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCommand, runCommand, type CommandSpec } from "../terminal/command.ts";
import { DEFAULT_DATA_DIR, SPLITS, splitPath } from "../../data/fsdd.ts";
import { formatReport, inspectParquet } from "../../data/inspect-report.ts";

const spec = {
  name: "bun data:inspect",
  summary: "Describes FSDD parquet files: schema, rows, clips per speaker and digit, durations, sample rates, metadata.",
  usage: ["bun data:inspect [FILE_OR_DIR...] [--dir DIR] [--json]", "bun data:inspect - < FILE"],
  options: {
    dir: { type: "string", default: DEFAULT_DATA_DIR },
    json: { type: "boolean", default: false },
  },
  metavar: { dir: "DIR" },
  help: {
    dir: "folder whose train and test files are inspected when no FILE is given",
    json: "print a JSON array of reports instead of text",
  },
  examples: [
    "bun data:inspect",
    "bun data:inspect data/fsdd_parquet/test-00000-of-00001.parquet",
    "bun data:inspect --json | jq '.[1].stats.histogram'",
    "curl -sL URL/test-00000-of-00001.parquet | bun data:inspect -",
  ],
  allowPositionals: true,
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; default?: string | boolean }>>;

/** The file argument that means standard input. */
const STDIN = "-";

/** Parquet needs random access: standard input is spooled to a temporary file, reported as "-". */
async function inspectStdin() {
  const dir = mkdtempSync(join(tmpdir(), "inspect-"));
  try {
    const file = join(dir, "stdin.parquet");
    writeFileSync(file, readFileSync(0));
    const report = await inspectParquet(file).catch((err: unknown) => {
      if (err instanceof Error) err.message = err.message.replaceAll(file, STDIN);
      throw err;
    });
    return { ...report, file: STDIN };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function main(argv: string[]): Promise<number | void> {
  const { values, positionals } = parseCommand(spec, argv);
  const splitsIn = (dir: string) => SPLITS.map((s) => splitPath(s, dir));
  const files = positionals.length === 0 ? splitsIn(values.dir) : positionals.flatMap((p) => (existsSync(p) && statSync(p).isDirectory() ? splitsIn(p) : [p]));
  const reports = [];
  for (const file of files) reports.push(file === STDIN ? await inspectStdin() : await inspectParquet(file));
  if (values.json) console.log(JSON.stringify(reports, null, 2));
  else console.log(reports.map(formatReport).join("\n\n"));
}

if (import.meta.main) await runCommand(main);
