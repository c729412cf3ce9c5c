/** Runs `bun bench`'s sections, each in a child process of its own, and reads earlier results. */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { resolve } from "node:path";
import { UserError } from "../engine/errors.ts";
import { type BenchSettings, makeTempDir } from "./context.ts";
import { runProcess } from "./process-run.ts";
import { BENCH_FORMAT, BENCH_VERSION, type BenchResult, type Machine, type Section, failedFigure, isBenchResult } from "./results.ts";
import type { SectionOutput } from "./section.ts";

/** Reads a bench.json (`-`: standard input). */
export function readResult(path: string): BenchResult {
  const stdin = path === "-";
  if (!stdin && !existsSync(path)) throw new UserError(`${path}: no such file`, "give the path of a bench.json written by `bun bench`");
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(stdin ? 0 : path, "utf8"));
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
  const reason =
    run.stderr
      .trim()
      .split("\n")
      .filter((l) => /error/i.test(l))
      .pop() ?? `exit code ${run.exitCode}`;
  return { figures: [failedFigure(section, { id: `${section}.error`, label: `${section} section`, unit: "ms" }, reason)], checks: {} };
}

export function measure(sections: Section[], quick: boolean, paths: { model: string; streams: string; dataDir: string }): BenchResult {
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
