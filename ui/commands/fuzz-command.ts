import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CampaignResult, type Finding, runCampaign, runWorker, scriptEntry } from "../../bench/fuzz/campaign.ts";
import { floodStdin, type FloodResult, type FloodRun } from "../../bench/fuzz/stdin-flood.ts";
import { TARGET_NAMES, type TargetName } from "../../bench/fuzz/targets.ts";
import { UserError } from "../../engine/errors.ts";
import { DEFAULT_MODEL_PATH } from "../../engine/model-file.ts";
import { DEFAULT_DATA_DIR } from "../../data/fsdd.ts";
import { numberFlag, parseCommand, runCommand } from "../terminal/command.ts";
import { ProgressBar } from "../terminal/progress.ts";

const ROOT = join(import.meta.dir, "..", "..");
/** Findings kept as regression tests: tests/fuzz.test.ts replays every one. */
export const FINDINGS_FILE = join(ROOT, "tests", "fuzz-findings.json");

const spec = {
  name: "bun run fuzz",
  summary: "Seeded mutation fuzzing of the WAV decoders, the model loader, the parquet reader and the stdin source.",
  usage: ["bun run fuzz [--target all|wav|model|parquet|stdin] [--iterations N] [--seed S]", "bun run fuzz --stdin-bytes 1GiB"],
  options: {
    target: { type: "string", default: "all" },
    iterations: { type: "string", default: "200" },
    seed: { type: "string", default: "1" },
    "hang-ms": { type: "string", default: "20000" },
    "stdin-bytes": { type: "string" },
    model: { type: "string", short: "m", default: DEFAULT_MODEL_PATH },
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    save: { type: "boolean" },
    json: { type: "boolean" },
    worker: { type: "string" },
  },
  metavar: { target: "TARGET", iterations: "N", seed: "N", "hang-ms": "MS", "stdin-bytes": "SIZE", model: "FILE", "data-dir": "DIR", worker: "SPEC" },
  help: {
    target: "what to fuzz: wav, model, parquet, stdin (in-process raw PCM source) or all",
    iterations: "inputs per target",
    seed: "campaign seed: the same seed gives the same inputs",
    "hang-ms": "an input that runs longer than this is reported as a hang",
    "stdin-bytes": "instead: pipe this many random bytes (e.g. 1GiB, split over four formats) into real `bun listen --stdin` processes",
    model: "the model the targets use (and the seed of the model target)",
    "data-dir": "folder with the FSDD parquet files (the seed of the parquet target)",
    save: "add every finding to tests/fuzz-findings.json, which the test suite replays",
    json: "print the results as one JSON object",
    worker: "internal: run iterations TARGET:SEED:FROM:TO in this process",
  },
  examples: ["bun run fuzz --iterations 1000", "bun run fuzz --target wav --iterations 10000 --seed 7", "bun run fuzz --stdin-bytes 1GiB"],
} as const;

function parseBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(|k|m|g)(i?b)?$/i.exec(s.trim());
  if (!m) throw new UserError(`--stdin-bytes ${s} is not a size`, "e.g. 64MiB or 1GiB");
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  return Math.round(Number(m[1]) * unit);
}

/**
 * Adds findings to the regression file: new inputs (by target, seed and iteration), at most
 * three of each kind of failure (the same message up to its numbers), so that the suite replays
 * every distinct bug without replaying a hundred copies of one. Returns how many were added.
 */
export function saveFindings(findings: Finding[], file = FINDINGS_FILE): number {
  const known: Finding[] = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
  const key = (f: Finding) => `${f.target}:${f.seed}:${f.iteration}`;
  const kind = (f: Finding) => `${f.target}:${f.kind}:${f.message.replace(/\d+/g, "#")}`;
  const have = new Set(known.map(key));
  const perKind = new Map<string, number>();
  for (const f of known) perKind.set(kind(f), (perKind.get(kind(f)) ?? 0) + 1);
  const fresh: Finding[] = [];
  for (const f of findings) {
    if (f.target === "stdin-cli" || have.has(key(f)) || (perKind.get(kind(f)) ?? 0) >= 3) continue;
    perKind.set(kind(f), (perKind.get(kind(f)) ?? 0) + 1);
    fresh.push(f);
  }
  if (fresh.length) writeFileSync(file, `${JSON.stringify([...known, ...fresh], null, 2)}\n`);
  return fresh.length;
}

function line(r: CampaignResult): string {
  const count = (k: Finding["kind"]) => r.findings.filter((f) => f.kind === k).length;
  return `${r.target.padEnd(8)} ${String(r.iterations).padStart(6)} inputs  ${String(r.accepted).padStart(6)} accepted  ${String(r.refused).padStart(6)} refused  crashes ${count("exception") + count("crash") + count("invariant")}  hangs ${count("hang")}  peak RSS ${r.peakRssMb.toFixed(0)} MB  ${r.seconds.toFixed(1)} s`;
}

function floodLine(r: FloodResult): string {
  return `stdin-cli ${r.format} ${String(r.rate).padStart(6)} Hz ${String(r.channels).padStart(2)} ch  ${(r.bytes / 2 ** 20).toFixed(0)} MiB  exit ${r.exitCode}  ${r.streamSeconds.toFixed(0)} s of audio  ${r.events} events  ${r.repairedSamples} repaired  peak RSS ${r.peakRssMb.toFixed(0)} MB  ${r.seconds.toFixed(1)} s${r.finding ? `  FINDING ${r.finding.kind}: ${r.finding.message}` : ""}`;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  const seed = numberFlag("seed", values.seed, 1, 0, 2 ** 32 - 1);
  const options = { model: values.model, dataDir: values["data-dir"] };
  if (values.worker) {
    const [target, s, from, to] = values.worker.split(":");
    await runWorker(target as TargetName, Number(s), Number(from), Number(to), options, (l) => process.stdout.write(`${l}\n`));
    return 0;
  }
  const findings: Finding[] = [];
  if (values["stdin-bytes"]) {
    const total = parseBytes(values["stdin-bytes"]);
    const listen = scriptEntry(ROOT, "listen");
    const runs: FloodRun[] = [
      { format: "s16le", rate: 16000, channels: 1, bytes: 0 },
      { format: "f32le", rate: 48000, channels: 2, bytes: 0 },
      { format: "s16le", rate: 8000, channels: 8, bytes: 0 },
      { format: "f32le", rate: 8000, channels: 1, bytes: 0 },
    ].map((r) => ({ ...r, bytes: Math.floor(total / 4 / 64) * 64 }) as FloodRun);
    const results: FloodResult[] = [];
    for (const [k, run] of runs.entries()) {
      const r = await floodStdin(listen, run, seed + k, numberFlag("hang-ms", values["hang-ms"], 20000, 100));
      results.push(r);
      if (r.finding) findings.push(r.finding);
      if (!values.json) console.log(floodLine(r));
    }
    if (values.json) console.log(JSON.stringify({ stdin: results }));
    return findings.length ? 1 : 0;
  }
  const targets = values.target === "all" ? [...TARGET_NAMES] : [values.target as TargetName];
  if (!targets.every((t) => (TARGET_NAMES as readonly string[]).includes(t)))
    throw new UserError(`--target ${values.target} is not one of all, ${TARGET_NAMES.join(", ")}`);
  const iterations = numberFlag("iterations", values.iterations, 200, 1, 10_000_000);
  const results: CampaignResult[] = [];
  for (const target of targets) {
    const bar = new ProgressBar(`fuzz ${target}`, iterations);
    let shown = 0;
    const r = await runCampaign({
      target,
      seed,
      iterations,
      ...options,
      hangMs: numberFlag("hang-ms", values["hang-ms"], 20000, 100),
      workerCommand: (s) => [process.execPath, import.meta.path, "--worker", s, "--model", options.model, "--data-dir", options.dataDir],
      onProgress: (done) => {
        bar.tick(done - shown);
        shown = done;
      },
    });
    bar.finish();
    results.push(r);
    findings.push(...r.findings);
    if (!values.json) {
      console.log(line(r));
      for (const f of r.findings) console.log(`  ${f.kind} at iteration ${f.iteration} (seed ${f.seed}): ${f.message}`);
    }
  }
  if (values.json) console.log(JSON.stringify({ campaigns: results }));
  if (values.save && findings.length) console.error(`${saveFindings(findings)} new findings saved to ${FINDINGS_FILE}`);
  return findings.length ? 1 : 0;
}

if (import.meta.main) await runCommand(() => main(process.argv.slice(2)));
