/**
 * `bun enroll --from` on real FSDD clips of one speaker written as WAV takes, in a temporary
 * XDG_CONFIG_HOME: the profile, its kept takes, what it does to the model, the mistakes it
 * survives, and --list / --remove.
 */
import { describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { encodeWav16 } from "../engine/audio/wav.ts";
import { join } from "node:path";
import { adaptModel } from "../engine/adaptation/adapted-model.ts";
import { loadProfile, profilesDir } from "../engine/adaptation/profile-store.ts";
import { Classifier, argmax } from "../engine/classifier.ts";
import { loadModelFile } from "../engine/model-file.ts";
import { resampleTo } from "../engine/resampler.ts";
import { splitClips, writeSpeakerTakes } from "./support/speaker-takes.ts";
import { tempDirs } from "./support/temp-dirs.ts";

const ROOT = join(import.meta.dir, "..");
const tempDir = tempDirs("enroll");
const model = loadModelFile(join(ROOT, "models/default.json"));

function enroll(config: string, ...args: string[]) {
  const r = Bun.spawnSync(["bun", "ui/commands/enroll-command.tsx", ...args], {
    cwd: ROOT,
    env: { ...process.env, XDG_CONFIG_HOME: config },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
}

function accuracy(m: typeof model, clips: Awaited<ReturnType<typeof splitClips>>): number {
  const c = new Classifier(m);
  const rate = m.features.sampleRate;
  return clips.filter((clip) => argmax(c.classify(c.analyse(resampleTo(clip.samples, clip.sampleRate, rate)))) === clip.label).length / clips.length;
}

describe("bun enroll --from", () => {
  test("builds a profile from a speaker's takes that keeps the takes and does not cost that speaker's digits", async () => {
    const config = tempDir();
    const takes = join(tempDir(), "takes");
    await writeSpeakerTakes(takes, "lucas", 3);
    const r = enroll(config, "--from", takes, "--profile", "lucas");
    expect(r.err).not.toContain("error");
    expect(r.code).toBe(0);
    expect(r.out).toContain("profile lucas: 30 digit takes");
    expect(r.out).toMatch(/on 10 takes held back from adaptation: \d+ % before, \d+ % after/);
    const dir = profilesDir({ XDG_CONFIG_HOME: config });
    const profile = loadProfile("lucas", dir);
    expect(profile.takes.length).toBe(30);
    expect(readdirSync(join(dir, "lucas")).filter((f) => f.endsWith(".wav")).length).toBe(30);
    expect(profile.figures!.after).toBeGreaterThanOrEqual(0.8);
    // the speaker's other recordings (the train split: never enrolled)
    const others = (await splitClips("train")).filter((c) => c.speaker === "lucas" && c.index % 5 === 0);
    const plain = accuracy(model, others);
    const enrolled = accuracy(adaptModel(model, profile.adaptation), others);
    expect(enrolled).toBeGreaterThanOrEqual(plain - 0.03);
    expect(enrolled).toBeGreaterThanOrEqual(0.9);

    const list = enroll(config, "--list");
    expect(list.out).toMatch(/lucas\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+30 digit takes/);
    // nothing a user owns is overwritten without asking
    const again = enroll(config, "--from", takes, "--profile", "lucas");
    expect(again.code).toBe(2);
    expect(again.err).toContain('profile "lucas" exists already');
    const removed = enroll(config, "--remove", "lucas");
    expect(removed.code).toBe(0);
    expect(existsSync(join(dir, "lucas.json"))).toBe(false);
    expect(existsSync(join(dir, "lucas"))).toBe(false);
  }, 120_000);

  test("a take labelled as the wrong digit is left out, and the speaker's digits still come out right", async () => {
    const config = tempDir();
    const takes = join(tempDir(), "takes");
    const clips = await writeSpeakerTakes(takes, "theo", 3);
    // two takes filed under the wrong digit: a seven as a one, a three as an eight
    renameSync(join(takes, "7_1.wav"), join(takes, "1_9.wav"));
    renameSync(join(takes, "3_1.wav"), join(takes, "8_9.wav"));
    // "oh" as another way to say 0, and a non-digit (a take played backwards)
    copyFileSync(join(takes, "0_2.wav"), join(takes, "o_1.wav"));
    const back = clips[12]!;
    writeFileSync(join(takes, "n_1.wav"), encodeWav16(back.samples.slice().reverse(), back.sampleRate));
    const r = enroll(config, "--from", takes, "--profile", "theo", "--no-keep-audio");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/[12] takes? left out/);
    const profile = loadProfile("theo", profilesDir({ XDG_CONFIG_HOME: config }));
    expect(profile.keepsAudio).toBe(false);
    expect(profile.takes.filter((t) => t.kind === "oh").map((t) => t.label)).toEqual(["0"]);
    expect(profile.takes.filter((t) => t.kind === "phrase").map((t) => t.label)).toEqual([""]);
    expect(profile.adaptation.labels?.at(-1)).toBe("none");
    expect(accuracy(adaptModel(model, profile.adaptation), clips)).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  test("a folder without every digit, or no folder, is refused in one line", () => {
    const config = tempDir();
    const empty = tempDir();
    const r = enroll(config, "--from", empty, "--profile", "x");
    expect(r.code).toBe(2);
    expect(r.err).toContain("no takes of digits 0, 1, 2");
    const missing = enroll(config, "--from", join(empty, "nope"), "--profile", "x");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("no such folder");
  });
});
