import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSplitRows, splitPath } from "../data/fsdd.ts";
import { makeSound } from "../data/synth/sounds.ts";
import { encodeWav16 } from "../engine/audio/wav.ts";
import { applyGain, meanPower, seededRng } from "../data/synth/signals.ts";
import { UserError } from "../engine/errors.ts";
import { main } from "../ui/commands/predict-command.ts";

const ROOT = join(import.meta.dir, "..");
const work = mkdtempSync(join(tmpdir(), "predict-test-"));
const clips = join(work, "clips");
afterAll(() => rmSync(work, { recursive: true, force: true }));

function predict(args: string[]) {
  const r = Bun.spawnSync(["bun", join(ROOT, "ui", "commands", "predict-command.ts"), ...args], { cwd: ROOT });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const haveSox = Bun.spawnSync(["sh", "-c", "command -v sox"]).exitCode === 0;

beforeAll(async () => {
  mkdirSync(clips);
  // 40 real test-split WAVs (4 per digit), as files with their original names
  const rows = await readSplitRows(splitPath("test", join(ROOT, "data", "fsdd_parquet")));
  for (const d of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
    for (const row of rows.filter((r) => r.label === d).slice(0, 4)) writeFileSync(join(clips, row.path), row.wav);
  }
});

describe("bun predict", () => {
  test("one WAV prints the digit, the top-3 and the latency breakdown, as the seed did", () => {
    const r = predict([join(clips, "7_george_0.wav")]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe("Predicted digit: 7");
    expect(lines[1]).toMatch(/^Top-3 probs: 7:\d\.\d{3}, \d:\d\.\d{3}, \d:\d\.\d{3}$/);
    for (const stage of ["load", "decode", "resample", "trim", "features", "inference", "total"]) expect(lines[2]).toContain(stage);
  });

  test("the seed's flag spellings work", () => {
    const r = predict(["--model_path", join(ROOT, "models", "default.json"), "--wav_path", join(clips, "3_george_0.wav")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith("Predicted digit: 3");
  });

  test("a folder gives a line per file, labelled accuracy and a summary", () => {
    const r = predict([clips]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(41);
    expect(lines[0]).toMatch(/0_george_0\.wav {2}0 {2}p=/);
    const summary = lines.at(-1)!;
    expect(summary).toMatch(/^40 files, 40 predicted, 0 failed, accuracy (0\.9[5-9]|1\.0)/);
  });

  test("csv and jsonl are machine-readable and --out writes the file", () => {
    const csv = join(work, "out.csv");
    expect(predict([clips, "--format", "csv", "--out", csv]).code).toBe(0);
    const rows = readFileSync(csv, "utf8").trim().split("\n");
    expect(rows[0]).toBe("file,digit,confidence,top,label,error,digits");
    expect(rows).toHaveLength(41);
    const r = predict([clips, "--format", "jsonl", "--top", "2"]);
    const objs = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(objs).toHaveLength(40);
    expect(objs[0].top).toHaveLength(2);
    expect(objs.filter((o) => o.digit === o.label).length).toBeGreaterThanOrEqual(38);
  });

  test.skipIf(!haveSox)("any rate, depth and channel count: 44.1 kHz stereo float, µ-law and 24-bit with padding give the digit the original gives", () => {
    const src = join(clips, "8_george_1.wav");
    const original = predict([src]).stdout.split("\n")[0]!;
    expect(original).toMatch(/^Predicted digit: \d/);
    // [output options, effects]
    const variants: [string[], string[]][] = [
      [["-r", "44100", "-c", "2", "-e", "floating-point", "-b", "32"], []],
      [["-e", "mu-law"], []],
      [
        ["-r", "22050", "-b", "24"],
        ["pad", "0.5", "0.7"],
      ],
    ];
    variants.forEach(([options, effects], i) => {
      const out = join(work, `v${i}.wav`);
      expect(Bun.spawnSync(["sox", src, ...options, out, ...effects]).exitCode).toBe(0);
      const r = predict([out]);
      expect(r.code).toBe(0);
      expect(r.stdout.split("\n")[0]).toBe(original);
    });
  });

  test("a beep is flagged as no voiced speech; a spoken digit is not", () => {
    const beep = makeSound("beep", 8000, seededRng(12));
    const beepWav = join(work, "beep.wav");
    writeFileSync(beepWav, encodeWav16(applyGain(beep, -26 - 10 * Math.log10(meanPower(beep))), 8000));
    const text = predict([beepWav]);
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n")[0]).toMatch(/^Predicted digit: \d  \(no voiced speech: likely not a digit\)$/);
    const jsonl = predict(["--format", "jsonl", beepWav, join(clips, "5_george_0.wav")]);
    const rows = jsonl.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.file.split("/").pop(), r.speech])).toEqual([
      ["beep.wav", false],
      ["5_george_0.wav", true],
    ]);
  });

  test("a batch with bad files reports every good one, names each bad one and exits non-zero", () => {
    const mixed = join(work, "mixed");
    mkdirSync(mixed);
    for (const f of ["1_george_0.wav", "2_george_0.wav"]) writeFileSync(join(mixed, f), readFileSync(join(clips, f)));
    writeFileSync(join(mixed, "notes.wav"), "not audio at all");
    writeFileSync(join(mixed, "cut.wav"), readFileSync(join(clips, "5_george_0.wav")).subarray(0, 100));
    writeFileSync(join(mixed, "empty.wav"), "");
    const r = predict([mixed, join(work, "missing.wav")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1_george_0\.wav {2}1 /);
    expect(r.stdout).toMatch(/2_george_0\.wav {2}2 /);
    expect(r.stdout).toMatch(/notes\.wav {2}error: not a WAV file/);
    expect(r.stdout).toMatch(/cut\.wav {2}error: the data chunk claims/);
    expect(r.stdout).toMatch(/empty\.wav {2}error: the file is empty/);
    expect(r.stdout).toMatch(/missing\.wav {2}error: no such file/);
    expect(r.stdout).toContain("6 files, 2 predicted, 4 failed");
    expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /);
  });

  test("no input, an empty folder, a corrupt model: one line with the fix", async () => {
    await expect(main([])).rejects.toThrow("no input");
    const empty = join(work, "empty-dir");
    mkdirSync(empty);
    await expect(main([empty])).rejects.toThrow(`no .wav files in ${empty}`);
    const bad = join(work, "model.json");
    writeFileSync(bad, JSON.stringify({ format: "spoken-digits-model", version: 1, labels: ["0"] }));
    let err: unknown;
    try {
      await main([clips, "--model", bad]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain("not a valid model file");
    expect((err as UserError).hint).toContain("bun train");
  });
});

describe("bun doctor", () => {
  function doctor(args: string[]) {
    const r = Bun.spawnSync(["bun", join(ROOT, "ui", "commands", "doctor-command.ts"), ...args], { cwd: ROOT });
    return { code: r.exitCode, stdout: r.stdout.toString() };
  }

  test("passes the required checks on this checkout and names the model and data", () => {
    const r = doctor(["--json"]);
    const checks = JSON.parse(r.stdout) as { name: string; ok: boolean; required: boolean }[];
    expect(checks.filter((c) => c.required).every((c) => c.ok)).toBe(true);
    expect(r.code).toBe(0);
    expect(checks.map((c) => c.name)).toEqual(expect.arrayContaining(["bun", "model", "data (train)", "data (test)", "PortAudio"]));
  });

  test("a missing model and missing data fail with their fixes", () => {
    const r = doctor(["--model", join(work, "none.json"), "--data-dir", join(work, "nodata")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ model .*not found/);
    expect(r.stdout).toContain("bun train");
    expect(r.stdout).toContain("bun data:fetch");
  });
});
