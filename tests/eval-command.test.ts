import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSplitRows, splitPath } from "../data/fsdd.ts";
import { makeSound } from "../data/synth/sounds.ts";
import { encodeWav16 } from "../engine/audio/wav.ts";
import { applyGain, meanPower, seededRng } from "../data/synth/signals.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";

const ROOT = join(import.meta.dir, "..");
const STREAMS = STREAMS_DIR;
const work = mkdtempSync(join(tmpdir(), "eval-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function evalCmd(args: string[]) {
  const r = Bun.spawnSync(["bun", join(ROOT, "ui", "commands", "eval-command.ts"), "--artifacts-dir", join(work, "artifacts"), ...args], { cwd: ROOT });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

describe("bun eval", () => {
  test("the official test split: accuracy, per-class table, confusion matrix and test_metrics.json", () => {
    const r = evalCmd([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/accuracy (0\.9[89]\d\d|1\.0000) \(\d+\/300\)/);
    expect(r.stdout).toContain("class  precision  recall     f1  support");
    expect(r.stdout).toContain("confusion (rows: true digit, columns: predicted)");
    const m = JSON.parse(readFileSync(join(work, "artifacts", "test_metrics.json"), "utf8"));
    expect(m.count).toBe(300);
    expect(m.accuracy).toBeGreaterThanOrEqual(0.985);
    expect(m.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(300);
    expect(m.perClass).toHaveLength(10);
  });

  test("--nondigit: false accepts by confidence and through the engine, by category", async () => {
    const dir = join(work, "nondigit");
    mkdirSync(dir);
    const rng = seededRng(77);
    for (const kind of ["beep", "click", "breath"] as const) {
      for (let i = 0; i < 3; i++) {
        const x = makeSound(kind, 8000, rng);
        writeFileSync(join(dir, `x_sound_${kind}-${i}.wav`), encodeWav16(applyGain(x, -26 - 10 * Math.log10(meanPower(x))), 8000));
      }
    }
    // a real digit filed as a non-digit word: both figures must count it as accepted
    const rows = await readSplitRows(splitPath("test", join(ROOT, "data", "fsdd_parquet")));
    writeFileSync(join(dir, "x_words_seven.wav"), rows.find((r) => r.label === 7)!.wav);
    const r = evalCmd(["--nondigit", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("false accepts: 10.0% (9 clips rejected as not speech)");
    expect(r.stdout).toContain("through the engine (bun listen): 10.0% of clips give a digit: sound 0.0%, words 100.0%");
    const m = JSON.parse(readFileSync(join(work, "artifacts", "nondigit_metrics.json"), "utf8"));
    expect(m.byCategory).toEqual({ sound: 0, words: 1 });
    expect(m.engine.clips.find((c: { file: string }) => c.file === "x_words_seven.wav").digits).toBe("7");
  });

  test("--holdout: a folder of {digit}_*.wav files, and its bad files named", async () => {
    const dir = join(work, "holdout");
    mkdirSync(dir);
    const rows = await readSplitRows(splitPath("test", join(ROOT, "data", "fsdd_parquet")));
    for (const row of rows.filter((_, i) => i % 10 === 0)) writeFileSync(join(dir, row.path), row.wav);
    writeFileSync(join(dir, "4_broken.wav"), "RIFF....WAVEjunk");
    writeFileSync(join(dir, "README.txt"), "not a wav");
    const r = evalCmd(["--holdout", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("4_broken.wav");
    const m = JSON.parse(readFileSync(join(work, "artifacts", "holdout_metrics.json"), "utf8"));
    expect(m.count).toBe(30);
    expect(m.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(m.failures).toHaveLength(1);
  });

  test.skipIf(!existsSync(STREAMS))("--streams: the engine over streams with ground truth → stream_metrics.json", () => {
    const dir = join(work, "streams");
    mkdirSync(dir);
    for (const f of ["s11_48k_stereo_clean.wav", "s11_48k_stereo_clean.json"]) copyFileSync(join(STREAMS, f), join(dir, f));
    const r = evalCmd(["--streams", dir]);
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(join(work, "artifacts", "stream_metrics.json"), "utf8"));
    expect(m.streams).toHaveLength(1);
    expect(m.streams[0].accuracy).toBeGreaterThanOrEqual(0.97);
    expect(m.streams[0].segmentPrecision).toBe(1);
  });

  test("missing data: one line naming the file and the fix", () => {
    const r = evalCmd(["--data-dir", join(work, "nowhere")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not found");
    expect(r.stderr).toContain("bun data:fetch");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
