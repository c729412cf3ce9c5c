/**
 * Settings kept between runs of `bun start` (device, hangover, commit pause, threshold): checked on
 * load, saved from the flags, reset on request; and the --out file that undo can take a number from.
 */
import { describe, expect, test } from "bun:test";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UserError } from "../engine/errors.ts";
import { NumberLog } from "../ui/app/number-log.ts";
import { loadSettings, saveSettings, settingsPath, validateSettings } from "../ui/app/settings.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";
import { tempDirs } from "./support/temp-dirs.ts";

const ROOT = join(import.meta.dir, "..");
const tempDir = tempDirs("ui-settings");

describe("settings file", () => {
  test("lives under $XDG_CONFIG_HOME, else ~/.config", () => {
    expect(settingsPath({ XDG_CONFIG_HOME: "/x/cfg" })).toBe("/x/cfg/spoken-digits/settings.json");
    expect(settingsPath({})).toBe(join(homedir(), ".config/spoken-digits/settings.json"));
    // the XDG spec ignores a relative path
    expect(settingsPath({ XDG_CONFIG_HOME: "cfg" })).toBe(join(homedir(), ".config/spoken-digits/settings.json"));
  });

  test("every field is checked: type, range, unknown names", () => {
    expect(validateSettings({ device: "pulse", hangoverMs: 200, commitAfterS: 1.5, rejectBelow: 0.5 })).toEqual({
      device: "pulse",
      hangoverMs: 200,
      commitAfterS: 1.5,
      rejectBelow: 0.5,
    });
    expect(validateSettings({})).toEqual({});
    expect(validateSettings([])).toBe("not a JSON object");
    expect(validateSettings({ hangoverMs: "200" })).toContain('"hangoverMs" must be a number between 10 and 5000');
    expect(validateSettings({ commitAfterS: 0 })).toContain('"commitAfterS" must be a number between 0.2 and 60');
    expect(validateSettings({ rejectBelow: 1.5 })).toContain('"rejectBelow"');
    expect(validateSettings({ device: "" })).toContain('"device"');
    expect(validateSettings({ hangover: 200 })).toContain('unknown setting "hangover"');
  });

  test("saved whole and read back; a bad file is refused with the way out, and left as it is", () => {
    const path = join(tempDir(), "deep/er/settings.json");
    expect(loadSettings(path)).toEqual({});
    saveSettings(path, { device: "pulse", hangoverMs: 250 });
    expect(loadSettings(path)).toEqual({ device: "pulse", hangoverMs: 250 });
    writeFileSync(path, '{"hangoverMs": 250,');
    expect(() => loadSettings(path)).toThrow(UserError);
    try {
      loadSettings(path);
    } catch (err) {
      expect((err as UserError).hint).toContain("bun start --reset-settings");
    }
    expect(readFileSync(path, "utf8")).toBe('{"hangoverMs": 250,');
  });
});

describe("NumberLog (--out)", () => {
  test("appends each number at once; undo takes back only this run's last line", () => {
    const path = join(tempDir(), "numbers.txt");
    writeFileSync(path, "111\n");
    const log = new NumberLog(path);
    log.append("0435");
    log.append("12");
    expect(readFileSync(path, "utf8")).toBe("111\n0435\n12\n");
    expect(log.undo("12")).toBe(true);
    expect(readFileSync(path, "utf8")).toBe("111\n0435\n");
    // someone else wrote to the file since: it is left alone
    appendFileSync(path, "note\n");
    expect(log.undo("0435")).toBe(false);
    expect(readFileSync(path, "utf8")).toBe("111\n0435\nnote\n");
    expect(log.undo("111")).toBe(false);
  });

  test("an unwritable path is a user error", () => {
    const path = join(tempDir(), "missing/dir/numbers.txt");
    expect(() => new NumberLog(path)).toThrow(UserError);
    expect(() => new NumberLog(path)).toThrow(`cannot write ${path}`);
  });
});

const WAV = join(STREAMS_DIR, "s01_8k_clean.wav");

/** `bun start` without a terminal (its text mode) on a real stream, with its own config folder. */
function start(config: string, ...args: string[]) {
  const r = Bun.spawnSync(["bun", "start", "--file", WAV, "--speed", "50", ...args], {
    cwd: ROOT,
    env: { ...process.env, XDG_CONFIG_HOME: config },
    stdout: "pipe",
    stderr: "pipe",
  });
  const stdout = r.stdout.toString();
  const summary = stdout.match(/(\d+) digits, (\d+) rejected of (\d+) utterances/);
  return { code: r.exitCode, stdout, stderr: r.stderr.toString(), utterances: summary ? Number(summary[3]) : -1 };
}

describe.skipIf(!existsSync(WAV))("bun start flags and settings", () => {
  test("--hangover and --commit-after reach the engine and are remembered; --reset-settings forgets them", () => {
    const config = tempDir();
    const file = join(config, "spoken-digits/settings.json");
    const out = join(config, "numbers.txt");
    const plain = start(config, "--out", out);
    expect(plain.code).toBe(0);
    // text mode: each number the pause commits is printed and appended to --out
    const printed = [...plain.stdout.matchAll(/^number: (\d+)$/gm)].map((m) => m[1]);
    expect(printed.length).toBeGreaterThan(1);
    expect(readFileSync(out, "utf8")).toBe(printed.map((n) => `${n}\n`).join(""));
    expect(existsSync(file)).toBe(false);
    // a hangover longer than most pauses in the stream merges digits into fewer utterances
    const long = start(config, "--hangover", "1000", "--commit-after", "1.5");
    expect(long.code).toBe(0);
    expect(long.utterances).toBeLessThan(plain.utterances * 0.8);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ hangoverMs: 1000, commitAfterS: 1.5 });
    // the next run without flags uses them
    expect(start(config).utterances).toBe(long.utterances);
    const reset = start(config, "--reset-settings");
    expect(reset.stderr).toContain(`settings reset: removed ${file}`);
    expect(reset.utterances).toBe(plain.utterances);
    expect(existsSync(file)).toBe(false);
  }, 60_000);

  test("--reject-below: no digit below the threshold gets through", () => {
    const config = tempDir();
    const run = start(config, "--reject-below", "0.999");
    expect(run.code).toBe(0);
    const kept = [...run.stdout.matchAll(/ \d   p=([\d.]+)/g)].map((m) => Number(m[1]));
    const refused = [...run.stdout.matchAll(/rejected \(low-confidence, p=([\d.]+)/g)].map((m) => Number(m[1]));
    expect(kept.length + refused.length).toBeGreaterThan(20);
    for (const p of kept) expect(p).toBeGreaterThanOrEqual(1.0); // 0.999 and above print as 1.00
    expect(loadSettings(join(config, "spoken-digits/settings.json"))).toEqual({ rejectBelow: 0.999 });
  }, 60_000);

  test("a settings file gone bad stops the app with one line and the fix", () => {
    const config = tempDir();
    saveSettings(join(config, "spoken-digits/settings.json"), { hangoverMs: 250 });
    writeFileSync(join(config, "spoken-digits/settings.json"), '{"hangoverMs": -3}');
    const r = start(config);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"hangoverMs" must be a number between 10 and 5000, got -3');
    expect(r.stderr).toContain("bun start --reset-settings");
  });
});
