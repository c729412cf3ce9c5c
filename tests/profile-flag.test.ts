/**
 * `--profile` in the recognizing commands: predict and listen run the adapted model and say so,
 * listen defaults to the last-enrolled profile and `--profile none` turns it off, an unknown name
 * is refused, and a profile made for another model is rebuilt from its kept takes (or refused
 * when it kept none). Real WAV takes of one FSDD speaker, a temporary XDG_CONFIG_HOME.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROFILE_VERSION, loadProfile, profilesDir } from "../engine/adaptation/profile-store.ts";
import { writeSpeakerTakes } from "./support/speaker-takes.ts";
import { tempDirs } from "./support/temp-dirs.ts";

const ROOT = join(import.meta.dir, "..");
const tempDir = tempDirs("profile-flag");
const config = tempDir();
const takes = join(tempDir(), "takes");
const dir = profilesDir({ XDG_CONFIG_HOME: config });

function run(command: string, ...args: string[]) {
  const r = Bun.spawnSync(["bun", `ui/commands/${command}`, ...args], {
    cwd: ROOT,
    env: { ...process.env, XDG_CONFIG_HOME: config },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
}

beforeAll(async () => {
  await writeSpeakerTakes(takes, "nicolas", 3);
  const r = run("enroll-command.tsx", "--from", takes, "--profile", "nico");
  if (r.code !== 0) throw new Error(`bun enroll --from failed: ${r.err}`);
}, 60_000);

describe("--profile", () => {
  test("predict runs the named profile and says so; an unknown profile is refused in one line", () => {
    const wav = join(takes, "4_2.wav");
    const r = run("predict-command.ts", "--profile", "nico", wav);
    expect(r.code).toBe(0);
    expect(r.err).toContain("profile: nico (--profile)");
    expect(r.out).toContain("Predicted digit: 4");
    const plain = run("predict-command.ts", wav);
    expect(plain.err).not.toContain("profile:");
    const unknown = run("predict-command.ts", "--profile", "nobody", wav);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no profile named "nobody"');
    expect(unknown.err).toContain("nico");
  }, 60_000);

  test("listen uses the last-enrolled profile unless --profile none", () => {
    const wav = join(takes, "9_1.wav");
    const r = run("listen-command.ts", "--file", wav, "--fast");
    expect(r.code).toBe(0);
    expect(r.err).toContain("profile: nico (the last enrolled; --profile none turns it off)");
    expect(r.out).toMatch(/\]\s+9\s+p=/);
    const off = run("listen-command.ts", "--file", wav, "--fast", "--profile", "none");
    expect(off.code).toBe(0);
    expect(off.err).not.toContain("profile:");
  }, 60_000);

  test("a profile made for another model is rebuilt from its kept takes, or refused without them", () => {
    const path = join(dir, "nico.json");
    const saved = JSON.parse(readFileSync(path, "utf8"));
    writeFileSync(path, JSON.stringify({ ...saved, model: { fingerprint: "0000000000000000" } }));
    const wav = join(takes, "2_1.wav");
    const r = run("predict-command.ts", "--profile", "nico", wav);
    expect(r.code).toBe(0);
    expect(r.err).toContain("rebuilt from its 30 kept takes");
    expect(loadProfile("nico", dir).model.fingerprint).toBe(saved.model.fingerprint);
    writeFileSync(path, JSON.stringify({ ...saved, keepsAudio: false, model: { fingerprint: "0000000000000000" } }));
    const refused = run("predict-command.ts", "--profile", "nico", wav);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("was made for another model");
    expect(refused.err).toContain("bun enroll --profile nico");
  }, 60_000);

  test("a profile of an older version (no templates) is rebuilt with them, or refused without its takes", () => {
    const path = join(dir, "nico.json");
    // the test above leaves the profile without its takes
    const saved = { ...JSON.parse(readFileSync(path, "utf8")), keepsAudio: true };
    expect(saved.version).toBe(PROFILE_VERSION);
    expect(saved.adaptation.templates.takes.length).toBeGreaterThanOrEqual(20);
    const { templates: _, ...old } = saved.adaptation;
    writeFileSync(path, JSON.stringify({ ...saved, version: 1, adaptation: old }));
    const wav = join(takes, "7_1.wav");
    const r = run("predict-command.ts", "--profile", "nico", wav);
    expect(r.code).toBe(0);
    expect(r.err).toContain("rebuilt from its 30 kept takes");
    const rebuilt = loadProfile("nico", dir);
    expect(rebuilt.version).toBe(PROFILE_VERSION);
    expect(rebuilt.adaptation.templates?.takes.length).toBe(saved.adaptation.templates.takes.length);
    writeFileSync(path, JSON.stringify({ ...saved, version: 1, adaptation: old, keepsAudio: false }));
    const refused = run("predict-command.ts", "--profile", "nico", wav);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("older version (profile version 1)");
    writeFileSync(path, JSON.stringify(saved));
  }, 60_000);
});
