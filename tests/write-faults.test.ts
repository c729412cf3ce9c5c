/**
 * Writing commands against unwritable, full and booby-trapped places: one clear line, exit 3,
 * nothing half-written left behind, nobody's file overwritten or written through a symlink.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OutputWatcher, readWav } from "./support/audio-checks.ts";
import { canMountSmallDisk, mountSmallDisk } from "./support/small-disk.ts";
import { tempDirs } from "./support/temp-dirs.ts";
import { liveCaptureSkipReason, skipNote, startVirtualMic, type VirtualMic } from "./support/virtual-mic.ts";

const ROOT = join(import.meta.dir, "..");
const tempDir = tempDirs("write-faults");
const canMount = canMountSmallDisk();

function run(cmd: string, args: string[], cwd = ROOT) {
  const r = Bun.spawnSync(["bun", "run", "--cwd", ROOT, "--silent", cmd, ...args], { cwd });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}
const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

describe("bun data:export", () => {
  test.skipIf(!canMount)(
    "a disk that fills up: exit 3, one line, no empty or partial WAV left",
    () => {
      const disk = mountSmallDisk(48)!;
      try {
        const r = run("data:export", ["--per-class", "3", "--out", disk.dir]);
        expect(r.code).toBe(3);
        expect(r.stderr).toContain("no space left");
        noStackTrace(r.stderr);
        const files = readdirSync(disk.dir);
        expect(files.length).toBeGreaterThan(0);
        for (const f of files) {
          expect(f).toMatch(/^\d_\d\.wav$/); // no hidden temporary file
          const bytes = readFileSync(join(disk.dir, f));
          expect(bytes.length).toBeGreaterThan(44);
          expect(bytes.readUInt32LE(40) + 44).toBe(bytes.length); // whole: header and data agree
        }
      } finally {
        disk.unmount();
      }
    },
    60_000,
  );

  test("run again: the same files are kept; a changed one is not overwritten without --force; a symlink is not written through", () => {
    const out = tempDir();
    expect(run("data:export", ["--per-class", "1", "--out", out]).code).toBe(0);
    expect(run("data:export", ["--per-class", "1", "--out", out]).code).toBe(0);
    writeFileSync(join(out, "3_0.wav"), "mine");
    const outside = join(tempDir(), "precious.wav");
    writeFileSync(outside, "precious");
    rmSync(join(out, "5_0.wav"));
    symlinkSync(outside, join(out, "5_0.wav"), "file");
    const r = run("data:export", ["--per-class", "1", "--out", out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/3_0\.wav already exists with other contents\n\s+fix: add --force/);
    expect(readFileSync(join(out, "3_0.wav"), "utf8")).toBe("mine");
    const forced = run("data:export", ["--per-class", "1", "--out", out, "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(out, "3_0.wav")).subarray(0, 4).toString()).toBe("RIFF");
    expect(readFileSync(outside, "utf8")).toBe("precious"); // the link was replaced, not followed
  }, 60_000);
});

describe("bun eval and bun train check their outputs before the work", () => {
  test("an artifacts folder that cannot be made: exit 3 at once", () => {
    const blocker = join(tempDir(), "file");
    writeFileSync(blocker, "");
    const t0 = performance.now();
    const r = run("eval", ["--artifacts-dir", join(blocker, "artifacts")]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot write to .*ENOTDIR/);
    expect(r.stdout).toBe(""); // no evaluation ran
    noStackTrace(r.stderr);
    expect(performance.now() - t0).toBeLessThan(10_000);
    const t = run("train", ["--out", join(blocker, "m.json")]);
    expect(t.code).toBe(3);
    expect(t.stderr).toMatch(/cannot write to/);
  }, 60_000);
});

describe("bun record", () => {
  test("the default file is never replaced without --force, a symlink never followed; checked before any device is opened", () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "samples"));
    writeFileSync(join(cwd, "samples", "mic.wav"), "an earlier take");
    // no audio environment at all: the check comes first
    const r = Bun.spawnSync(["bun", join(ROOT, "ui/commands/record-command.ts")], { cwd, env: { ...process.env, SPOKEN_DIGITS_PORTAUDIO: "/nonexistent.so" } });
    expect(r.exitCode).toBe(3);
    expect(r.stderr.toString()).toMatch(/samples\/mic\.wav already exists\n\s+fix: .*--force/);
    expect(readFileSync(join(cwd, "samples", "mic.wav"), "utf8")).toBe("an earlier take");
    symlinkSync(join(cwd, "samples", "mic.wav"), join(cwd, "link.wav"));
    const l = Bun.spawnSync(["bun", join(ROOT, "ui/commands/record-command.ts"), "--out", "link.wav"], {
      cwd,
      env: { ...process.env, SPOKEN_DIGITS_PORTAUDIO: "/nonexistent.so" },
    });
    expect(l.exitCode).toBe(3);
    expect(l.stderr.toString()).toContain("is a symlink (not followed)");
  }, 30_000);

  const liveReason = liveCaptureSkipReason() ?? (canMount ? undefined : "cannot mount a small disk");
  describe.skipIf(liveReason !== undefined)(`through the virtual microphone${skipNote(liveReason)}`, () => {
    let mic: VirtualMic;
    beforeAll(async () => {
      mic = await startVirtualMic();
    });
    afterAll(() => mic?.stop());

    test("a disk that fills up: exit 3, one line, and the file is a valid WAV of what fitted", async () => {
      const disk = mountSmallDisk(64)!;
      try {
        const out = join(disk.dir, "rec.wav");
        const proc = Bun.spawn(["bun", "ui/commands/record-command.ts", "--out", out, "--duration", "0", "--samplerate", "16000"], {
          cwd: ROOT,
          env: mic.childEnv(),
          stderr: "pipe",
        });
        const stderr = new OutputWatcher(proc.stderr);
        expect(await proc.exited).toBe(3);
        const err = await stderr.done;
        expect(err).toMatch(/error: could not write .*rec\.wav \(ENOSPC\): the first \d+\.\d\d s are saved in it/);
        noStackTrace(err);
        const wav = readWav(out);
        expect(wav.sampleRate).toBe(16000);
        expect(wav.samples.length).toBeGreaterThan(8000);
      } finally {
        disk.unmount();
      }
    }, 30_000);
  });
});
