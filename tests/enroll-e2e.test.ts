/**
 * The guided `bun enroll` in a real terminal through the real capture path: tmux runs it on the
 * PulseAudio virtual microphone; the test reads each prompt off the screen and plays the
 * prompted digit (an FSDD clip of one speaker) into the microphone, skips "oh", answers the
 * phrase prompt with a time-reversed clip and the room prompt with silence; then checks the
 * saved profile and that `bun listen --profile` uses it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DIGIT_WORDS } from "../data/synth/voices.ts";
import { encodeWav16 } from "../engine/audio/wav.ts";
import { loadProfile, profilesDir } from "../engine/adaptation/profile-store.ts";
import { splitClips } from "./support/speaker-takes.ts";
import { tempDirs } from "./support/temp-dirs.ts";
import { liveCaptureSkipReason, skipNote, startVirtualMic, type VirtualMic } from "./support/virtual-mic.ts";

const ROOT = join(import.meta.dir, "..");
const SPEAKER = "jackson";
const skip = (Bun.which("tmux") ? undefined : "tmux is not installed (apt-get install tmux)") ?? liveCaptureSkipReason();
const tempDir = tempDirs("enroll-e2e");
const session = `spoken-digits-enroll-${process.pid}`;

function tmux(...args: string[]): string {
  const r = Bun.spawnSync(["tmux", ...args], { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`tmux ${args.join(" ")}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

const screen = () => tmux("capture-pane", "-p", "-t", session);

async function waitFor(ready: (s: string) => boolean, timeoutMs: number, what: string): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let s = "";
  while (Date.now() < deadline) {
    s = screen();
    if (ready(s)) return s;
    await Bun.sleep(150);
  }
  throw new Error(`waited ${timeoutMs} ms for ${what}; last screen:\n${s}`);
}

/** The clip with 0.4 s of silence each side (PulseAudio may garble a playback's very start), as a WAV file. */
function padded(dir: string, name: string, samples: Float32Array, rate: number): string {
  const pad = Math.round(0.4 * rate);
  const x = new Float32Array(samples.length + 2 * pad);
  x.set(samples, pad);
  const path = join(dir, name);
  writeFileSync(path, encodeWav16(x, rate));
  return path;
}

describe.skipIf(skip !== undefined)(`bun enroll, guided, through the virtual microphone${skipNote(skip)}`, () => {
  let vmic: VirtualMic;
  beforeAll(async () => {
    vmic = await startVirtualMic();
  });
  afterAll(async () => {
    try {
      tmux("kill-session", "-t", session);
    } catch {}
    await vmic?.stop();
  });

  test("prompts are answered with the prompted digits; the profile is saved with its takes and used by bun listen", async () => {
    const work = tempDir();
    const config = tempDir();
    const clips = (await splitClips("test")).filter((c) => c.speaker === SPEAKER);
    const used = new Map<number, number>();
    const clipFor = (digit: number) => {
      const mine = clips.filter((c) => c.label === digit);
      const k = used.get(digit) ?? 0;
      used.set(digit, k + 1);
      const c = mine[k % mine.length]!;
      return padded(work, `${digit}_${k}.wav`, c.samples, c.sampleRate);
    };
    const env = { ...vmic.env, XDG_CONFIG_HOME: config };
    const command = [
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      "bun ui/commands/enroll-command.tsx --profile e2e --takes 2 --phrases 1 --device pulse; echo EXIT=$?; sleep 60",
    ].join(" ");
    tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "30", "-c", ROOT, command);

    let prompts = 0;
    for (;;) {
      const s = await waitFor((x) => /▶ say|EXIT=|done: adapting/.test(x), 30_000, "a prompt");
      if (!/▶ say/.test(s)) break;
      const counter = /prompt (\d+)\/(\d+)/.exec(s)?.[1];
      const word = /▶ say (\w+)/.exec(s)![1]!;
      const digit = DIGIT_WORDS.indexOf(word.toLowerCase());
      if (digit >= 0) await vmic.play(clipFor(digit));
      else if (word === "OH") tmux("send-keys", "-t", session, "s");
      else if (word === "a") {
        const c = clips[3]!;
        await vmic.play(padded(work, "phrase.wav", c.samples.slice().reverse(), c.sampleRate));
      } else throw new Error(`unexpected prompt: ${word}`);
      prompts++;
      // the next prompt (the take was heard), or the end
      await waitFor((x) => /EXIT=|done: adapting/.test(x) || /prompt (\d+)\//.exec(x)?.[1] !== counter, 20_000, `the take of prompt ${counter}`);
    }
    expect(prompts).toBeGreaterThanOrEqual(21);
    // the enrolment screen itself shows before/after, and stays until a key closes it
    const shown = await waitFor((x) => /press any key to close|EXIT=/.test(x), 60_000, "the figures on the enrolment screen");
    expect(shown).toMatch(/profile "e2e" adapted in [\d.]+ s and saved/);
    expect(shown).toMatch(/on 10 takes held back from adaptation: \d+ % right before, \d+ % after/);
    expect(shown).not.toContain("EXIT=");
    tmux("send-keys", "-t", session, "Enter");
    const end = await waitFor((x) => /EXIT=\d/.test(x), 60_000, "the end");
    expect(end).toContain("EXIT=0");
    expect(end).toMatch(/on 10 takes held back from adaptation: \d+ % right before, \d+ % after/);
    expect(end).toContain("saved profile e2e");

    const dir = profilesDir({ XDG_CONFIG_HOME: config });
    const profile = loadProfile("e2e", dir);
    const digitTakes = profile.takes.filter((t) => t.label !== "");
    expect(digitTakes.length).toBe(20);
    for (let d = 0; d < 10; d++) expect(digitTakes.filter((t) => t.label === String(d)).length).toBe(2);
    expect(profile.takes.some((t) => t.kind === "phrase")).toBe(true);
    expect(profile.takes.some((t) => t.kind === "room")).toBe(true);
    expect(readdirSync(join(dir, "e2e")).filter((f) => f.endsWith(".wav")).length).toBe(profile.takes.length);
    expect(profile.figures!.after).toBeGreaterThanOrEqual(0.8);

    // bun listen picks the last-enrolled profile by default, says so, and recognises the speaker
    const wav = clipFor(7);
    const listen = Bun.spawnSync(["bun", "ui/commands/listen-command.ts", "--file", wav, "--fast"], {
      cwd: ROOT,
      env: { ...process.env, XDG_CONFIG_HOME: config },
      stdout: "pipe",
      stderr: "pipe",
    });
    const out = listen.stdout.toString() + listen.stderr.toString();
    expect(listen.exitCode).toBe(0);
    expect(out).toContain("profile: e2e (the last enrolled");
    expect(listen.stdout.toString()).toMatch(/\]\s+7\s+p=/);
    const off = Bun.spawnSync(["bun", "ui/commands/listen-command.ts", "--file", wav, "--fast", "--profile", "none"], {
      cwd: ROOT,
      env: { ...process.env, XDG_CONFIG_HOME: config },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(off.exitCode).toBe(0);
    expect(off.stdout.toString() + off.stderr.toString()).not.toContain("profile: e2e");
    expect(existsSync(join(dir, "e2e.json"))).toBe(true);
  }, 240_000);

  test("e in bun start opens the guided enrolment on the same microphone; quitting it brings the app back", async () => {
    const work = tempDir();
    const config = tempDir();
    const clip = (await splitClips("test")).find((c) => c.speaker === SPEAKER && c.label === 4)!;
    const env = { ...vmic.env, XDG_CONFIG_HOME: config };
    const command = [...Object.entries(env).map(([k, v]) => `${k}=${v}`), "bun ui/commands/start-command.tsx --device pulse; echo EXIT=$?; sleep 60"].join(" ");
    tmux("new-session", "-d", "-s", `${session}-start`, "-x", "110", "-y", "30", "-c", ROOT, command);
    const pane = () => tmux("capture-pane", "-p", "-t", `${session}-start`);
    const until = async (ready: (s: string) => boolean, ms: number, what: string) => {
      const deadline = Date.now() + ms;
      for (let s = pane(); ; s = pane()) {
        if (ready(s)) return s;
        if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}; last screen:\n${s}`);
        await Bun.sleep(150);
      }
    };
    try {
      await until((x) => /e enrol/.test(x), 30_000, "the app's key help");
      tmux("send-keys", "-t", `${session}-start`, "e");
      const first = await until((x) => /▶ say \w+/.test(x), 30_000, "the first enrolment prompt");
      expect(first).toMatch(/enrolling "[^"]+" · digits 0\/\d+ · prompt 1\//);
      // the enrolment hears the microphone the app let go of
      await vmic.play(padded(work, "take.wav", clip.samples, clip.sampleRate));
      const heard = await until((x) => /prompt 2\//.test(x), 20_000, "the first take");
      expect(heard).toMatch(/heard /);
      tmux("send-keys", "-t", `${session}-start`, "q");
      await until((x) => /e enrol/.test(x) && !/▶ say/.test(x), 30_000, "the app back after the enrolment");
      tmux("send-keys", "-t", `${session}-start`, "q");
      const end = await until((x) => /EXIT=\d/.test(x), 30_000, "the end");
      expect(end).toContain("EXIT=0");
      expect(end).toContain("enrolment cancelled: no profile saved");
      const dir = profilesDir({ XDG_CONFIG_HOME: config });
      expect(existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : []).toEqual([]);
    } finally {
      try {
        tmux("kill-session", "-t", `${session}-start`);
      } catch {}
    }
  }, 120_000);
});
