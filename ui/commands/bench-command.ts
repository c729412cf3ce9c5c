import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { formatComparison, formatMarkdown, formatTable } from "../../bench/report.ts";
import { SECTIONS, type BenchResult, type Section, compareResults } from "../../bench/results.ts";
import { measure, readResult } from "../../bench/run.ts";
import { DEFAULT_DATA_DIR } from "../../data/fsdd.ts";
import { UserError } from "../../engine/errors.ts";
import { DEFAULT_MODEL_PATH } from "../../engine/model-file.ts";
import { STREAMS_DIR, STREAMS_DIR_SHOWN } from "../../engine/shared-streams.ts";
import { numberFlag, parseCommand, runCommand } from "../terminal/command.ts";

const spec = {
  name: "bun bench",
  summary:
    "Measure speed and memory (the commands as whole processes beside the seed's method, micro, batch, streaming, start-up, memory), check the targets, write artifacts/bench.json.",
  usage: [
    "bun bench [--quick] [--only commands,micro,...] [--compare OLD.json] [--out artifacts/bench.json]",
    "bun bench --markdown [--from artifacts/bench.json] [--only SECTIONS]",
    "bun bench --from RESULT.json [--compare OLD.json]",
  ],
  options: {
    quick: { type: "boolean" },
    only: { type: "string" },
    compare: { type: "string" },
    threshold: { type: "string", default: "10" },
    from: { type: "string" },
    markdown: { type: "boolean" },
    out: { type: "string", short: "o", default: "artifacts/bench.json" },
    model: { type: "string", short: "m", default: DEFAULT_MODEL_PATH },
    streams: { type: "string" },
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
  },
  metavar: { only: "SECTIONS", compare: "FILE", threshold: "PCT", from: "FILE", out: "FILE", model: "FILE", streams: "DIR", "data-dir": "DIR" },
  help: {
    quick: "a fast subset (seconds): fewer repeats, short micro runs, no `bun train`",
    only: `sections to run (with --from or --markdown: to report), comma-separated: ${SECTIONS.join(", ")}`,
    compare: "compare with an earlier bench.json (- for standard input) and flag regressions (exit code 1 if any)",
    threshold: "regression threshold for --compare, percent",
    from: "report (and --compare) an existing result (- for standard input) instead of measuring",
    markdown: "print the last run's table (--from, default the --out file) as Markdown for the README, without measuring",
    out: "where to write the results",
    model: "model file to benchmark",
    streams: `folder of the test streams, NAME.wav + NAME.json (default: ${STREAMS_DIR_SHOWN} beside the project)`,
    "data-dir": "folder with the FSDD parquet files",
  },
  aliases: { data_dir: "data-dir" },
  examples: [
    "bun bench",
    "bun bench --quick",
    "bun bench --markdown",
    "bun bench --compare artifacts/bench-before.json",
    "bun bench --only commands,streaming",
  ],
} as const;

export async function main(argv: string[]): Promise<number | void> {
  const { values } = parseCommand(spec, argv);
  const threshold = numberFlag("threshold", values.threshold, 10, 0, 1000) / 100;
  const only = values.only
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of only ?? []) {
    if (!SECTIONS.includes(s as Section)) throw new UserError(`--only: unknown section "${s}"`, `choose from ${SECTIONS.join(", ")}`);
  }
  const sections = SECTIONS.filter((s) => !only || only.includes(s));
  if (values.compare === "-" && values.from === "-") throw new UserError("--compare and --from cannot both read standard input", "give one of them a file");
  const old = values.compare ? readResult(values.compare) : undefined;

  let result: BenchResult;
  // --markdown reports a stored run: the README's table is generated from it, never measured on the spot.
  const stored = values.from ?? (values.markdown ? values.out! : undefined);
  if (stored) {
    result = readResult(stored);
    if (only) {
      // a stored run reported in part (the README shows the whole-process section)
      const absent = only.filter((s) => !result.sections.includes(s as Section));
      if (absent.length) throw new UserError(`${stored} holds no ${absent.join(", ")} section`, `measure it with \`bun bench --only ${absent.join(",")}\``);
      result = { ...result, sections: result.sections.filter((s) => only.includes(s)) };
    }
  } else {
    const model = resolve(values.model!);
    if (!existsSync(model)) throw new UserError(`${values.model}: model not found`, "train one with `bun train` or pass --model");
    result = measure(sections, Boolean(values.quick), {
      model,
      streams: values.streams ? resolve(values.streams) : STREAMS_DIR,
      dataDir: resolve(values["data-dir"]!),
    });
    const out = values.out!;
    mkdirSync(dirname(resolve(out)), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  }

  const m = result.machine;
  console.log(
    `spoken-digits bench${result.quick ? " (quick)" : ""}, ${result.date.slice(0, 16).replace("T", " ")}: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Bun ${m.bun}, load ${m.loadAverage}`,
  );
  console.log("");
  console.log(values.markdown ? formatMarkdown(result) : formatTable(result));
  if (!stored) console.log(`\nwrote ${values.out}`);
  if (!old) return 0;
  const comparison = compareResults(old, result, threshold);
  console.log(`\n${formatComparison(comparison, values.compare!, threshold)}`);
  return comparison.regressions.length > 0 ? 1 : 0;
}

if (import.meta.main) await runCommand(main);
