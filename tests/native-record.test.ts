import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alignedCorrelation, clipWav, OutputWatcher, readWav } from "./support/audio-checks.ts";
import { liveCaptureSkipReason, portAudioMissingReason, skipNote, startVirtualMic, type VirtualMic } from "./support/virtual-mic.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";
import { main } from "../ui/commands/record-command.ts";

const ROOT = join(import.meta.dir, "..");
const STREAM = join(STREAMS_DIR, "s05_16k_clean.wav");
const work = mkdtempSync(join(tmpdir(), "record-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function startRecord(args: string[], env: Record<string, string | undefined>) {
  const proc = Bun.spawn(["bun", "ui/commands/record-command.ts", ...args], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
  return { proc, stderr: new OutputWatcher(proc.stderr) };
}

const missingPa = portAudioMissingReason();
const liveReason = liveCaptureSkipReason() ?? (existsSync(STREAM) ? undefined : `${STREAM} missing`);

describe.skipIf(liveReason !== undefined)(`bun record through the virtual microphone${skipNote(liveReason)}`, () => {
  let mic: VirtualMic;
  beforeAll(async () => {
    mic = await startVirtualMic();
  });
  afterAll(() => mic?.stop());

  test("captures a played speech clip: 16-bit WAV, asked rate and length, correlation > 0.9 with the source", async () => {
    // 0.3-1.1 s of the stream: 0.29 s of digital silence, then the digit "3" (FSDD test split).
    const clip = clipWav(STREAM, 0.3, 1.1);
    const clipPath = join(work, "clip.wav");
    writeFileSync(clipPath, clip.bytes);
    const out = join(work, "nested", "folder", "mic.wav"); // the folder does not exist yet
    // 4 s leaves room for paplay to start late on a loaded machine (the clip is 0.8 s)
    const { proc, stderr } = startRecord(["--out", out, "--duration", "4", "--sample_rate", "16000", "--device", "default"], mic.childEnv());
    await stderr.waitFor(/^recording /m);
    expect(stderr.text).toContain(`recording 4 s from "default" (ALSA) at 16000 Hz to ${out}`);
    await mic.play(clipPath);
    expect(await proc.exited).toBe(0);
    const log = await stderr.done;
    expect(log).toMatch(/saved .*mic\.wav: 4\.00 s at 16000 Hz mono/);

    const bytes = readFileSync(out);
    expect(bytes.readUInt16LE(34)).toBe(16); // bits per sample
    const recorded = readWav(out);
    expect(recorded.sampleRate).toBe(16000);
    expect(recorded.channels).toBe(1);
    expect(recorded.samples.length).toBe(64000);
    const { ncc, lag } = alignedCorrelation(recorded.samples, clip.samples);
    // PulseAudio may drop a few samples at the start of a playback: the clip's 0.29 s of leading
    // silence absorbs that (a lag of a few samples below zero), speech itself must not be lost
    expect(lag).toBeGreaterThan(-0.25 * 16000);
    expect(ncc).toBeGreaterThan(0.9);
  });

  test("Ctrl+C (SIGINT) mid-recording still leaves a valid WAV whose header sizes match its data", async () => {
    const out = join(work, "interrupted.wav");
    const { proc, stderr } = startRecord(["--out", out, "--duration", "0", "--samplerate", "8000"], mic.childEnv());
    await stderr.waitFor(/^recording until Ctrl\+C/m);
    // Wait until some audio is on disk (the header is rewritten after every block).
    while (proc.exitCode === null && (!existsSync(out) || statSync(out).size < 44 + 8000 * 2 * 0.3)) await Bun.sleep(20);
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(0);
    expect(await stderr.done).toMatch(/saved .*interrupted\.wav: \d+\.\d\d s at 8000 Hz mono.*stopped by Ctrl\+C/);

    const bytes = readFileSync(out);
    expect(bytes.toString("ascii", 0, 4)).toBe("RIFF");
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(bytes.toString("ascii", 36, 40)).toBe("data");
    expect(bytes.readUInt32LE(40)).toBe(bytes.length - 44);
    expect(bytes.readUInt32LE(24)).toBe(8000);
    const recorded = readWav(out);
    expect(recorded.samples.length).toBe((bytes.length - 44) / 2);
    expect(recorded.samples.length).toBeGreaterThanOrEqual(8000 * 0.3);
  });

  test("an unknown --device fails before recording, listing the devices", async () => {
    const out = join(work, "never.wav");
    const { proc, stderr } = startRecord(["--out", out, "--device", "no-such-mic"], mic.childEnv());
    expect(await proc.exited).toBe(2);
    const log = await stderr.done;
    expect(log).toMatch(/^error: no input device matches "no-such-mic" \(inputs: 0 "pulse", 1 "default"\)\n  fix: /);
    expect(existsSync(out)).toBe(false);
  });
});

describe.skipIf(missingPa !== undefined)(`bun record with no audio device${skipNote(missingPa)}`, () => {
  test("one clear error with the fix, exit 2, no stack trace, no file", async () => {
    const env = {
      ...process.env,
      PULSE_SERVER: "unix:/nonexistent/pulse/native",
      ALSA_CONFIG_PATH: join(ROOT, "tests/support/virtual-mic/asound-pulse.conf"),
    };
    const out = join(work, "nodevice.wav");
    const { proc, stderr } = startRecord(["--out", out, "--duration", "1"], env);
    expect(await proc.exited).toBe(2);
    const log = await stderr.done;
    expect(log).toMatch(/^error: no audio input device found\n  fix: connect a microphone/);
    expect(log).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
  });
});

test("bun record without the PortAudio library: one clear error naming the package, exit 2", async () => {
  const { proc, stderr } = startRecord(["--out", join(work, "nolib.wav")], {
    ...process.env,
    SPOKEN_DIGITS_PORTAUDIO: "/nonexistent/libportaudio.so.2",
  });
  expect(await proc.exited).toBe(2);
  const log = await stderr.done;
  expect(log).toMatch(/^error: PortAudio library not found .*\n  fix: install it with .*(libportaudio2|portaudio)/);
  expect(log).not.toMatch(/^\s+at /m);
});

test("bun record refuses a bad --duration before it opens the device", async () => {
  // in-process: the flag is checked before PortAudio is loaded, so no device is touched
  await expect(main(["--duration", "soon"])).rejects.toThrow('--duration must be a number between 0 and 86400, got "soon"');
  await expect(main(["-t", "-1"])).rejects.toThrow(`-t needs a value; one that starts with "-" is written --duration=-XYZ or -t-XYZ`);
  await expect(main(["-t-1"])).rejects.toThrow("--duration must be a number between 0 and 86400");
});
