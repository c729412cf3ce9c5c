// `bun data:export` and `bun data:inspect` on the real parquet files, run as child processes,
// and their behaviour on missing and corrupt files.
import { describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSplitRows, SPEAKERS, splitPath } from "../data/fsdd.ts";
import type { InspectReport } from "../data/inspect-report.ts";
import { decodeWav } from "../engine/audio/wav.ts";
import { UserError } from "../engine/errors.ts";
import { main as exportMain } from "../ui/commands/data-export-command.ts";
import { tempDirs } from "./support/temp-dirs.ts";

const ROOT = join(import.meta.dir, "..");
const DATA = join(ROOT, "data/fsdd_parquet");
const TEST_FILE = splitPath("test", DATA);

const tmp = tempDirs("fsdd-cmd");

function run(script: string, ...args: (string | { stdin: Uint8Array })[]): { code: number; stdout: string; stderr: string } {
  const stdin = args.find((a): a is { stdin: Uint8Array } => typeof a !== "string")?.stdin ?? "ignore";
  const r = Bun.spawnSync(["bun", script, ...args.filter((a): a is string => typeof a === "string")], { cwd: ROOT, stdin, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** The error contract: non-zero exit, one `error:` line naming the file, its `fix:` line, no stack frames. */
function expectOneLineError(r: { code: number; stderr: string }, file: string, fix: RegExp): void {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split("\n");
  expect(lines.length).toBe(2);
  expect(lines[0]!.startsWith(`error: ${file}: `)).toBe(true);
  expect(lines[1]!).toMatch(fix);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

const testRows = await readSplitRows(TEST_FILE);

describe("bun data:export", () => {
  test("writes {digit}_{i}.wav with the original bytes of the first clips of each digit", () => {
    const out = join(tmp(), "samples");
    const r = run("ui/commands/data-export-command.ts", "--split", "test", "--per_class", "3", "--out", out);
    expect(r.code).toBe(0);
    const expected = Array.from({ length: 10 }, (_, d) => testRows.filter((row) => row.label === d).slice(0, 3));
    expect(readdirSync(out).sort()).toEqual(expected.flatMap((rows, d) => rows.map((_, i) => `${d}_${i}.wav`)).sort());
    for (let d = 0; d < 10; d++) {
      for (let i = 0; i < 3; i++) {
        const bytes: Uint8Array = new Uint8Array(readFileSync(join(out, `${d}_${i}.wav`)));
        expect(bytes).toEqual(expected[d]![i]!.wav);
        const audio = decodeWav(bytes, `${d}_${i}.wav`);
        expect(audio.sampleRate).toBe(8000);
        expect(audio.channels).toBe(1);
        expect(audio.samples.length).toBeGreaterThan(800);
      }
      expect(r.stdout).toContain(`${d}_2.wav  ← ${expected[d]![2]!.path}`);
    }
    expect(r.stdout).toContain("wrote 30 clips");
  });

  test("--all writes every clip of the split under its original name", () => {
    const out = tmp();
    const r = run("ui/commands/data-export-command.ts", "--all", "--split", "test", "--out", out);
    expect(r.code).toBe(0);
    const names = readdirSync(join(out, "test")).sort();
    expect(names).toEqual(testRows.map((row) => row.path).sort());
    expect(names).toContain("7_jackson_3.wav");
    for (const row of testRows) {
      const bytes: Uint8Array = new Uint8Array(readFileSync(join(out, "test", row.path)));
      expect(bytes).toEqual(row.wav);
    }
    expect(r.stdout).toContain("wrote 300 clips");
  });

  test("asking for more clips per digit than the split has is a one-line error", async () => {
    const err = await exportMain(["--per-class", "31", "--out", tmp()]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toStartWith("data/fsdd_parquet/test-00000-of-00001.parquet: ");
    expect((err as UserError).hint).toStartWith("ask for fewer");
  });
});

describe("bun data:inspect", () => {
  const r = run("ui/commands/data-inspect-command.ts", "--json");
  const reports = JSON.parse(r.stdout) as InspectReport[];

  test("- reads a parquet file from standard input: the same report, named -", () => {
    const piped = run("ui/commands/data-inspect-command.ts", "-", "--json", { stdin: new Uint8Array(readFileSync(TEST_FILE)) });
    expect(piped.code).toBe(0);
    const [report] = JSON.parse(piped.stdout) as InspectReport[];
    expect(report).toEqual({ ...reports[1]!, file: "-" });
  });

  test("reports schema, rows and the huggingface metadata of both splits", () => {
    expect(r.code).toBe(0);
    expect(reports.map((x) => [x.file, x.rows])).toEqual([
      ["data/fsdd_parquet/train-00000-of-00001.parquet", 2700],
      ["data/fsdd_parquet/test-00000-of-00001.parquet", 300],
    ]);
    for (const rep of reports) {
      expect(rep.columns.map((c) => [c.path, c.type])).toEqual([
        ["audio", "struct"],
        ["audio.bytes", "BYTE_ARRAY"],
        ["audio.path", "BYTE_ARRAY (UTF8)"],
        ["label", "INT64"],
      ]);
      expect(rep.huggingface).toMatchObject({ info: { features: { audio: { _type: "Audio", sampling_rate: 8000 } } } });
    }
  });

  test("the histogram has 5 test clips (45 train) per speaker and digit", () => {
    const [train, testSplit] = reports.map((x) => x.stats!);
    for (const [stats, perSpeaker] of [
      [testSplit!, 5],
      [train!, 45],
    ] as const) {
      expect(stats.digits).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(stats.speakers).toEqual([...SPEAKERS]);
      for (const sp of SPEAKERS) expect(stats.histogram[sp]).toEqual(new Array(10).fill(perSpeaker));
      expect(stats.perDigit).toEqual(new Array(10).fill(perSpeaker * 6));
      expect(stats.nameLabelMismatches).toBe(0);
    }
  });

  test("duration and sample-rate statistics come from the decoded clips", () => {
    const stats = reports[1]!.stats!;
    const seconds = testRows.map((row) => {
      const a = decodeWav(row.wav);
      return a.samples.length / a.sampleRate;
    });
    const d = stats.durationSeconds;
    expect(d.min).toBeCloseTo(Math.min(...seconds), 9);
    expect(d.max).toBeCloseTo(Math.max(...seconds), 9);
    expect(d.mean).toBeCloseTo(seconds.reduce((a, b) => a + b, 0) / seconds.length, 9);
    expect(d.min).toBeLessThan(d.median);
    expect(d.median).toBeLessThan(d.max);
    expect(stats.sampleRates).toEqual([{ rate: 8000, clips: 300 }]);
    expect(stats.channels).toEqual([{ channels: 1, clips: 300 }]);
  });

  test("the text report prints the speakers × digits table", () => {
    const text = run("ui/commands/data-inspect-command.ts", TEST_FILE);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ {2}speaker +0 +1 +2 +3 +4 +5 +6 +7 +8 +9 +total$/m);
    for (const sp of SPEAKERS) expect(text.stdout).toMatch(new RegExp(`^  ${sp} +(5 +){10}50$`, "m"));
    expect(text.stdout).toMatch(/^ {2}total +(30 +){10}300$/m);
    expect(text.stdout).toContain("sample rate:  8000 Hz × 300");
  });
});

describe("missing or corrupt parquet", () => {
  const real = readFileSync(TEST_FILE);
  const variants: [string, Uint8Array][] = [
    ["truncated", real.subarray(0, real.length >> 1)],
    ["garbage", new TextEncoder().encode("this is not a parquet file\n")],
    [
      "garbled pages",
      (() => {
        const b = new Uint8Array(real);
        for (let i = 4096; i < 200_000; i += 7) b[i] = (b[i]! * 31 + i) & 0xff;
        return b;
      })(),
    ],
  ];
  for (const [name, bytes] of variants) {
    test(`${name}: export and inspect fail with one line naming the file and the fix`, () => {
      const dir = tmp();
      const file = join(dir, "test-00000-of-00001.parquet");
      writeFileSync(file, bytes);
      expectOneLineError(run("ui/commands/data-export-command.ts", "--dir", dir, "--out", join(dir, "out")), file, /fix: .*bun data:fetch/);
      expectOneLineError(run("ui/commands/data-inspect-command.ts", file), file, /fix: .*bun data:fetch/);
      expect(readdirSync(dir)).toEqual(["test-00000-of-00001.parquet"]);
    });
  }

  test("a missing file is named with the fetch fix", () => {
    const dir = tmp();
    mkdirSync(join(dir, "empty"));
    expectOneLineError(
      run("ui/commands/data-export-command.ts", "--dir", join(dir, "empty")),
      join(dir, "empty/test-00000-of-00001.parquet"),
      /fix: run `bun data:fetch`/,
    );
    expectOneLineError(
      run("ui/commands/data-inspect-command.ts", "--dir", join(dir, "empty")),
      join(dir, "empty/train-00000-of-00001.parquet"),
      /fix: run `bun data:fetch`/,
    );
  });
});
