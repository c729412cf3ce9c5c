import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadSplit } from "../data/fsdd.ts";
import { encodeWav16 } from "../engine/audio/wav.ts";
import { canMountSmallDisk, mountSmallDisk } from "./support/small-disk.ts";
import { tempDirs } from "./support/temp-dirs.ts";

const ROOT = join(import.meta.dir, "..");
const tempDir = tempDirs("output-faults");
const canMount = canMountSmallDisk();

function run(cmd: string, args: string[]) {
  const r = Bun.spawnSync(["bun", "run", "--silent", cmd, ...args], { cwd: ROOT });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

let clips = "";
beforeAll(async () => {
  // 120 real clips of the test split as WAV files: enough results to fill a small disk
  clips = tempDir();
  const split = await loadSplit("test");
  for (const c of split.filter((_, i) => i % 5 < 2)) writeFileSync(join(clips, c.path), encodeWav16(c.samples, c.sampleRate));
});

describe("bun predict --out: the output is checked before the work, and nothing computed is lost", () => {
  test("a missing folder, a folder as the file: one line, exit 3, before any file is read", () => {
    for (const out of [join(tempDir(), "no", "such", "dir", "p.csv"), tempDir()]) {
      const r = run("predict", [clips, "--format", "csv", "--out", out]);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split("\n")[0]).toMatch(/^error: .*(does not exist|is a folder)/);
      expect(r.stderr).not.toContain("files,"); // no summary: the work never started
      noStackTrace(r.stderr);
    }
  }, 60_000);

  test.skipIf(!canMount)(
    "a read-only file system: exit 3 before the work",
    () => {
      const disk = mountSmallDisk(64, true)!;
      try {
        const r = run("predict", [clips, "--out", join(disk.dir, "p.csv")]);
        expect(r.code).toBe(3);
        expect(r.stderr).toContain("EROFS");
        noStackTrace(r.stderr);
      } finally {
        disk.unmount();
      }
    },
    60_000,
  );

  test.skipIf(!canMount)(
    "a disk that fills up: what fits is in the file (whole lines), the rest on stdout, exit 3",
    () => {
      const disk = mountSmallDisk(16)!;
      try {
        const out = join(disk.dir, "p.jsonl");
        const r = run("predict", [clips, "--format", "jsonl", "--top", "10", "--out", out]);
        expect(r.code).toBe(3);
        expect(r.stderr).toMatch(/could not write .* \(ENOSPC: no space left on the device\): \d+ lines are in .*p\.jsonl; the other \d+ follow on stdout/);
        noStackTrace(r.stderr);
        const inFile = readFileSync(out, "utf8").split("\n").filter(Boolean);
        const onStdout = r.stdout.split("\n").filter(Boolean);
        expect(inFile.length).toBeGreaterThan(0);
        expect(onStdout.length).toBeGreaterThan(0);
        // every line whole, every file once, nothing lost
        const files = [...inFile, ...onStdout].map((l) => (JSON.parse(l) as { file: string }).file);
        expect(files.length).toBe(readdirSync(clips).length);
        expect(new Set(files).size).toBe(files.length);
        expect(readdirSync(disk.dir)).toEqual(["p.jsonl"]); // no temporary file left behind
      } finally {
        disk.unmount();
      }
    },
    60_000,
  );

  test("results replace a symlink at the target instead of writing through it", () => {
    const dir = tempDir();
    const outside = join(tempDir(), "outside.csv");
    writeFileSync(outside, "precious\n");
    symlinkSync(outside, join(dir, "p.csv"));
    const r = run("predict", [clips, "--format", "csv", "--out", join(dir, "p.csv")]);
    expect(r.code).toBe(0);
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
    expect(readFileSync(join(dir, "p.csv"), "utf8").split("\n")[0]).toBe("file,digit,confidence,top,label,error,digits");
  }, 60_000);

  test("some inputs failing is exit 1, with every other result written", () => {
    const dir = tempDir();
    const bad = join(tempDir(), "broken.wav");
    writeFileSync(bad, "RIFF....WAVEjunk");
    const out = join(dir, "p.csv");
    const r = run("predict", [clips, bad, "--format", "csv", "--out", out]);
    expect(r.code).toBe(1);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines.length).toBe(1 + readdirSync(clips).length + 1);
    expect(lines.at(-1)).toContain("broken.wav");
  }, 60_000);

  test("--help documents the exit codes", () => {
    const r = run("predict", ["--help"]);
    expect(r.stdout).toMatch(/Exit status:\n\s+0\s+success\n\s+1\s+some files failed.*\n\s+2\s+bad usage.*\n\s+3\s+the --out file could not be written/);
  });
});
