import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSplitRows, splitPath } from "../data/fsdd.ts";

const ROOT = join(import.meta.dir, "..");
const work = mkdtempSync(join(tmpdir(), "predict-parallel-"));
const clips = join(work, "clips");
afterAll(() => rmSync(work, { recursive: true, force: true }));

function predict(args: string[]) {
  const r = Bun.spawnSync(["bun", "predict", ...args], { cwd: ROOT });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

beforeAll(async () => {
  mkdirSync(clips);
  // All 300 real test-split WAVs, and one file that is not a WAV among them
  const rows = await readSplitRows(splitPath("test", join(ROOT, "data", "fsdd_parquet")));
  for (const row of rows) writeFileSync(join(clips, row.path), row.wav);
  writeFileSync(join(clips, "5_broken.wav"), "not a wav file");
});

/** file → digit (or the error) from `--format csv`, in output order. */
function csvRows(stdout: string): string[] {
  return stdout
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [file, digit, , , , error] = line.split(",");
      return `${file} ${digit || error}`;
    });
}

describe("bun predict on several threads", () => {
  test("Workers give the same predictions in the same (input) order as one thread, bad files included", () => {
    const one = predict([clips, "--format", "csv", "--jobs", "1"]);
    const three = predict([clips, "--format", "csv", "--jobs", "3"]);
    expect(one.code).toBe(1); // the broken file
    expect(three.code).toBe(1);
    const a = csvRows(one.stdout);
    const b = csvRows(three.stdout);
    expect(a.length).toBe(301);
    expect(b).toEqual(a);
    expect(a.map((r) => r.split(" ")[0])).toEqual([...a.map((r) => r.split(" ")[0])].sort((x, y) => x.localeCompare(y)));
    expect(b.find((r) => r.includes("5_broken.wav"))).not.toMatch(/ \d$/);
    expect(three.stderr).toMatch(/301 files, 300 predicted, 1 failed, accuracy 0\.9\d+/);
  }, 60_000);

  test("--timings breaks a cold run down: start-up and modules, model, per-file stages", () => {
    const r = predict([join(clips, "3_theo_0.wav"), "--timings"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Predicted digit: 3");
    for (const part of ["Bun start-up and modules", "WebAssembly", "read", "parse", "validate", "build network", "decode", "features", "inference", "total"]) {
      expect(r.stderr).toContain(part);
    }
  });

  test("--jobs must be a whole number of at least 1", () => {
    const r = predict([clips, "--jobs", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--jobs");
  });
});
