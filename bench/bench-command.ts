import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { DEFAULT_DATA_DIR } from "../data/fsdd.ts";
import { UserError } from "../engine/errors.ts";
import { DEFAULT_MODEL_PATH } from "../engine/model-file.ts";
import { numberFlag, parseCommand, runCommand } from "../ui/terminal/command.ts";
import { type BenchSettings, makeTempDir } from "./context.ts";
import { runProcess } from "./process-run.ts";
import { formatComparison, formatMarkdown, formatTable } from "./report.ts";
import { BENCH_FORMAT, BENCH_VERSION, type BenchResult, type Machine, SECTIONS, type Section, compareResults, failedFigure, isBenchResult } from "./results.ts";
import type { SectionOutput } from "./section.ts";

const spec = {
  name: "bun bench",
  summary: "Measure speed and memory (micro, batch, streaming, start-up, memory), check the targets, write artifacts/bench.json.",
  usage: ["bun bench [--quick] [--only micro,batch,...] [--compare OLD.json] [--out artifacts/bench.json]", "bun bench --from RESULT.json [--compare OLD.json] [--markdown]"],
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
  help: {
    quick: "a fast subset (seconds): fewer repeats, short micro runs, no `bun train`",
    only: `sections to run, comma-separated: ${SECTIONS.join(", ")}`,
    compare: "compare with an earlier bench.json and flag regressions (exit code 1 if any)",
    threshold: "regression threshold for --compare, percent",
    from: "report (and --compare) an existing result instead of measuring",
    markdown: "print the table as Markdown (for the README)",
    out: "where to write the results",
    model: "model file to benchmark",
    streams: "folder of the test streams, NAME.wav + NAME.json (default: ../shared/streams beside the project)",
    "data-dir": "folder with the FSDD parquet files",
  },
  aliases: { data_dir: "data-dir" },
  examples: ["bun bench", "bun bench --quick", "bun bench --compare artifacts/bench-before.json", "bun bench --only streaming,memory"],
} as const;

const DEFAULT_STREAMS = resolve(import.meta.dir, "../../shared/streams");

function readResult(path: string): BenchResult {
  if (!existsSync(path)) throw new UserError(`${path}: no such file`, "give the path of a bench.json written by `bun bench`");
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new UserError(`${path}: not JSON (${(err as Error).message})`);
  }
  if (!isBenchResult(parsed)) throw new UserError(`${path}: not a bench result`, "give a bench.json written by `bun bench`");
  return parsed;
}

function describeMachine(): Machine {
  let cpu = cpus()[0]?.model?.trim() ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) cpu = m[1]!.trim();
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    cpu,
    cores: availableParallelism(),
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${process.arch}`,
    bun: Bun.version,
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/** Runs one section in a child process (see section.ts); a crash becomes an error figure. */
function runSection(section: Section, settings: BenchSettings): SectionOutput {
  const run = runProcess(["bun", resolve(import.meta.dir, "section.ts"), section, JSON.stringify(settings)], { cwd: resolve(import.meta.dir, "..") });
  const last = run.stdout.trim().split("\n").pop() ?? "";
  if (run.exitCode === 0 && last.startsWith("{")) return JSON.parse(last) as SectionOutput;
  const reason = run.stderr.trim().split("\n").filter((l) => /error/i.test(l)).pop() ?? `exit code ${run.exitCode}`;
  return { figures: [failedFigure(section, { id: `${section}.error`, label: `${section} section`, unit: "ms" }, reason)], checks: {} };
}

function measure(sections: Section[], quick: boolean, paths: { model: string; streams: string; dataDir: string }): BenchResult {
  const result: BenchResult = {
    format: BENCH_FORMAT,
    version: BENCH_VERSION,
    date: new Date().toISOString(),
    quick,
    sections,
    machine: describeMachine(),
    figures: [],
    checks: {},
  };
  const settings: BenchSettings = { quick, modelPath: paths.model, streamsDir: paths.streams, dataDir: paths.dataDir, tmp: makeTempDir() };
  try {
    for (const section of sections) {
      const t0 = performance.now();
      process.stderr.write(`${section}… `);
      const out = runSection(section, settings);
      result.figures.push(...out.figures);
      Object.assign(result.checks, out.checks);
      process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    }
  } finally {
    rmSync(settings.tmp, { recursive: true, force: true });
  }
  return result;
}

await runCommand(async () => {
  const { values } = parseCommand(spec, process.argv.slice(2));
  const threshold = numberFlag("threshold", values.threshold, 10, 0, 1000) / 100;
  const only = values.only?.split(",").map((s) => s.trim()).filter(Boolean);
  for (const s of only ?? []) {
    if (!SECTIONS.includes(s as Section)) throw new UserError(`--only: unknown section "${s}"`, `choose from ${SECTIONS.join(", ")}`);
  }
  const sections = SECTIONS.filter((s) => !only || only.includes(s));
  const old = values.compare ? readResult(values.compare) : undefined;

  let result: BenchResult;
  if (values.from) {
    result = readResult(values.from);
  } else {
    const model = resolve(values.model!);
    if (!existsSync(model)) throw new UserError(`${values.model}: model not found`, "train one with `bun train` or pass --model");
    result = measure(sections, Boolean(values.quick), { model, streams: values.streams ? resolve(values.streams) : DEFAULT_STREAMS, dataDir: resolve(values["data-dir"]!) });
    const out = values.out!;
    mkdirSync(dirname(resolve(out)), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  }

  const m = result.machine;
  console.log(`spoken-digits bench${result.quick ? " (quick)" : ""}, ${result.date.slice(0, 16).replace("T", " ")}: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Bun ${m.bun}, load ${m.loadAverage}`);
  console.log("");
  console.log(values.markdown ? formatMarkdown(result) : formatTable(result));
  if (!values.from) console.log(`\nwrote ${values.out}`);
  if (!old) return 0;
  const comparison = compareResults(old, result, threshold);
  console.log(`\n${formatComparison(comparison, values.compare!, threshold)}`);
  return comparison.regressions.length > 0 ? 1 : 0;
});
