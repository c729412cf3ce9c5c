import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_FORMAT, BENCH_VERSION, type BenchResult, type Figure } from "../bench/results.ts";
import { UserError } from "../engine/errors.ts";
import { main } from "../ui/commands/bench-command.ts";
import { tempDirs } from "./support/temp-dirs.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";

const ROOT = join(import.meta.dir, "..");
const tempDir = tempDirs("bench-test");

function bench(args: string[], stdin?: string) {
  const p = Bun.spawnSync(["bun", "ui/commands/bench-command.ts", ...args], {
    cwd: ROOT,
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: p.exitCode, stdout: p.stdout.toString(), stderr: p.stderr.toString() };
}

function fig(id: string, label: string, unit: Figure["unit"], median: number, better: Figure["better"] = "lower"): Figure {
  return { id, section: id.startsWith("stream") ? "streaming" : "batch", label, unit, better, median, p95: median, n: 5 };
}

function result(figures: Figure[], checks: Record<string, string> = {}): BenchResult {
  return {
    format: BENCH_FORMAT,
    version: BENCH_VERSION,
    date: "2026-01-01T00:00:00.000Z",
    quick: false,
    sections: ["batch", "streaming"],
    machine: { cpu: "test", cores: 2, memoryGb: 4, os: "linux x64", bun: "1", loadAverage: 0 },
    figures,
    checks,
  };
}

describe("bun bench --compare", () => {
  test("flags a 20 % regression (slower time, lower real-time factor), not a 5 % one, and exits 1", () => {
    const dir = tempDir();
    const old = result(
      [
        fig("batch.predictProcess", "predict 300", "ms", 100),
        fig("batch.perClip", "per clip", "ms", 0.1),
        fig("stream.rtf", "engine rtf", "×", 3000, "higher"),
      ],
      { testPredictions: "0123" },
    );
    const now = result(
      [
        fig("batch.predictProcess", "predict 300", "ms", 120),
        fig("batch.perClip", "per clip", "ms", 0.105),
        fig("stream.rtf", "engine rtf", "×", 2400, "higher"),
      ],
      { testPredictions: "0124" },
    );
    writeFileSync(join(dir, "old.json"), JSON.stringify(old));
    writeFileSync(join(dir, "new.json"), JSON.stringify(now));
    const r = bench(["--from", join(dir, "new.json"), "--compare", join(dir, "old.json")]);
    expect(r.code).toBe(1);
    const flagged = r.stdout.split("\n").filter((l) => l.includes("REGRESSION"));
    expect(flagged.some((l) => l.includes("predict 300") && l.includes("+20 %"))).toBe(true);
    expect(flagged.some((l) => l.includes("engine rtf") && l.includes("+25 %"))).toBe(true);
    expect(flagged.some((l) => l.includes("per clip"))).toBe(false);
    expect(r.stdout).toContain("BEHAVIOUR CHANGED: testPredictions");
  });

  test("- reads a result from standard input", () => {
    const dir = tempDir();
    const old = result([fig("batch.predictProcess", "predict 300", "ms", 100)]);
    const now = result([fig("batch.predictProcess", "predict 300", "ms", 130)]);
    writeFileSync(join(dir, "old.json"), JSON.stringify(old));
    const viaFile = bench(["--from", join(dir, "old.json")]);
    const viaStdin = bench(["--from", "-"], JSON.stringify(old));
    expect(viaStdin.code).toBe(0);
    expect(viaStdin.stdout).toBe(viaFile.stdout);
    writeFileSync(join(dir, "new.json"), JSON.stringify(now));
    const compared = bench(["--from", join(dir, "new.json"), "--compare", "-"], JSON.stringify(old));
    expect(compared.code).toBe(1);
    expect(compared.stdout).toContain("REGRESSION");
  });

  test("the same figures compare clean with exit code 0", () => {
    const dir = tempDir();
    const same = result([fig("batch.predictProcess", "predict 300", "ms", 100)]);
    writeFileSync(join(dir, "a.json"), JSON.stringify(same));
    const r = bench(["--from", join(dir, "a.json"), "--compare", join(dir, "a.json")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("no regressions");
  });

  test("--markdown prints a stored run's table without measuring: section headings, ratios and clip rates formatted", () => {
    const dir = tempDir();
    const stored = result([
      {
        ...fig("commands.predict300", "`bun predict` over the 300 test WAVs", "ms", 80),
        section: "commands",
        target: { op: "<=", value: 100, on: "median", text: "≤ 100 ms" },
        pass: true,
      },
      { ...fig("commands.predict300.ratio", "  ours against the peer, run by run", "×", 14.26, "higher"), section: "commands" },
      { ...fig("commands.predictLarge", "`bun predict` over 10,000 WAVs", "clips/s", 5321.7, "higher"), section: "commands" },
    ]);
    stored.sections = ["commands"];
    writeFileSync(join(dir, "bench.json"), JSON.stringify(stored));
    const r = bench(["--markdown", "--out", join(dir, "bench.json")]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("commands…"); // no section was measured
    const lines = r.stdout.split("\n");
    expect(lines).toContain("| **The commands as users run them (whole processes)** | | | | |");
    expect(lines).toContain("| `bun predict` over the 300 test WAVs | 80.0 ms | 80.0 ms | ≤ 100 ms | pass |");
    expect(lines).toContain("| ↳ ours against the peer, run by run | 14.3× | 14.3× |  |  |");
    expect(lines).toContain("| `bun predict` over 10,000 WAVs | 5,322 clips/s | 5,322 clips/s |  |  |");
    expect(r.stdout).not.toContain("wrote");
  });

  test("a file that is no bench result is a user error, not a stack trace", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "x.json"), JSON.stringify({ hello: 1 }));
    const err = await main(["--from", join(dir, "x.json")]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(`${join(dir, "x.json")}: not a bench result`);
  });
});

const haveData = existsSync(join(ROOT, "data/fsdd_parquet/test-00000-of-00001.parquet")) && existsSync(STREAMS_DIR);

describe.skipIf(!haveData)("bun bench --quick", () => {
  test("measures every section on the real data and writes a bench.json with the expected figures", () => {
    const out = join(tempDir(), "bench.json");
    const r = bench(["--quick", "--out", out]);
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(out, "utf8")) as BenchResult;
    expect(json.format).toBe(BENCH_FORMAT);
    expect(json.quick).toBe(true);
    expect(json.machine.cores).toBeGreaterThan(0);
    const ids = new Set(json.figures.map((f) => f.id));
    for (const id of [
      "micro.fft256",
      "micro.fft512",
      "micro.featureFrame",
      "micro.features1s",
      "micro.inference",
      "micro.featuresInference1s",
      "micro.resample48k",
      "batch.perClip",
      "commands.predictCold",
      "commands.predict300",
      "commands.predictLarge",
      "commands.listenFast",
      "commands.startFirstFrame",
      "stream.rtf",
      "stream.rtf.48kHzstereo",
      "stream.latency",
      "stream.latency.hangover",
      "stream.latency.compute",
      "memory.predictPeakRss",
      "memory.predictLongFileRss",
      "memory.enginePeakRss",
      "memory.engineRssGrowth",
      "memory.engineHeapGrowth",
    ]) {
      expect(ids.has(id)).toBe(true);
    }
    for (const f of json.figures) {
      expect(f.error).toBeUndefined();
      expect(Number.isFinite(f.median) && Number.isFinite(f.p95)).toBe(true);
      if (f.target) expect(typeof f.pass).toBe("boolean");
    }
    // the batch section ran the real classifier on all 300 test clips
    expect(json.checks.testPredictions).toMatch(/^\d{300}$/);
    expect(Number(json.checks.testAccuracy)).toBeGreaterThan(0.9);
    expect(r.stdout).toContain("targets met");
  }, 300_000);
});
