import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DemoTruth } from "../data/demo-recording.ts";
import { decodeWav } from "../engine/audio/wav.ts";
import { UserError } from "../engine/errors.ts";
import { editDistance } from "../engine/scoring.ts";
import { main } from "../ui/commands/data-demo-command.ts";

const ROOT = join(import.meta.dir, "..");
const work = mkdtempSync(join(tmpdir(), "demo-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[]) {
  const r = Bun.spawnSync(["bun", "run", ...args], { cwd: ROOT });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

test("bun data:demo makes a recording from the dataset whose truth matches its audio, and the engine hears its digits", () => {
  const wav = join(work, "demo.wav");
  const made = run(["data:demo", "--out", wav]);
  expect(made.code).toBe(0);
  const truth = JSON.parse(readFileSync(join(work, "demo.json"), "utf8")) as DemoTruth;
  const audio = decodeWav(new Uint8Array(readFileSync(wav)));
  expect(audio.sampleRate).toBe(truth.sample_rate);
  expect(audio.samples.length).toBe(truth.num_samples);
  expect(truth.digits).toBe(truth.segments.map((s) => s.digit).join(""));
  expect(truth.numbers.join("")).toBe(truth.digits);
  // Each segment holds sound, and the pause before it is silence.
  let lastEnd = 0;
  for (const s of truth.segments) {
    expect(s.start_s).toBeGreaterThan(lastEnd + 0.5);
    const slice = (a: number, b: number) => audio.samples.subarray(Math.round(a * truth.sample_rate), Math.round(b * truth.sample_rate));
    expect(Math.max(...slice(s.start_s, s.end_s).map(Math.abs))).toBeGreaterThan(0.01);
    expect(Math.max(0, ...slice(lastEnd, s.start_s).map(Math.abs))).toBe(0);
    lastEnd = s.end_s;
  }
  // A second run leaves the file alone unless --force.
  const again = run(["data:demo", "--out", wav]);
  expect(again.code).toBe(0);
  expect(again.stderr).toContain("already there");

  const heard = run(["listen", "--file", wav, "--fast"]);
  expect(heard.code).toBe(0);
  const digits = /^digits: (\d*)$/m.exec(heard.stdout)?.[1] ?? "";
  // FSDD test clips of the training speakers: a good model hears nearly all of them.
  expect(editDistance(digits, truth.digits)).toBeLessThanOrEqual(2);
}, 60_000);

test("bun data:demo refuses an output that is not a WAV name, with the fix", async () => {
  const err = await main(["--out", join(work, "demo.mp3")]).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).message).toBe(`--out ${join(work, "demo.mp3")}: not a .wav file name`);
  expect((err as UserError).hint).toBeTruthy();
  expect(existsSync(join(work, "demo.mp3"))).toBe(false);
});
