import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../engine/errors.ts";
import { createMicrophone, type MicrophoneError } from "../native/microphone.ts";
import { paUnanticipatedHostError } from "../native/portaudio.ts";
import { encodeWav16 } from "../engine/audio/wav.ts";
import { alignedCorrelation } from "./support/audio-checks.ts";
import { liveCaptureSkipReason, skipNote, startVirtualMic, type VirtualMic } from "./support/virtual-mic.ts";

const skipReason = liveCaptureSkipReason();
const work = mkdtempSync(join(tmpdir(), "mic-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** 0.2 s silence, then a 0.6 s chirp 300 → 2000 Hz at 22050 Hz (not a rate the sink runs at). */
function chirpWav(rate: number): { path: string; samples: Float32Array } {
  const samples = new Float32Array(Math.round(rate * 0.8));
  const start = Math.round(rate * 0.2);
  const n = samples.length - start;
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const f = 300 + (1700 * i) / n;
    phase += (2 * Math.PI * f) / rate;
    samples[start + i] = 0.5 * Math.sin(phase) * Math.sin((Math.PI * i) / n);
  }
  const path = join(work, `chirp-${rate}.wav`);
  writeFileSync(path, encodeWav16(samples, rate));
  return { path, samples };
}

describe.skipIf(skipReason !== undefined)(`microphone source in this process${skipNote(skipReason)}`, () => {
  let vmic: VirtualMic;
  beforeAll(async () => {
    vmic = await startVirtualMic();
  });
  afterAll(() => vmic?.stop());

  test("opens at the device's own rate, fills the ring with the played audio, stops cleanly", async () => {
    const mic = createMicrophone({ env: vmic.env, device: "pulse" });
    const info = await mic.start();
    expect(await mic.ready).toBe(info);
    expect(info.device.name).toBe("pulse");
    expect(mic.deviceName).toBe("pulse");
    expect(info.sampleRate).toBe(info.device.defaultSampleRate);
    expect(mic.sampleRate).toBe(info.sampleRate);
    expect(info.channels).toBe(1);
    expect(mic.running).toBe(true);

    const chirp = chirpWav(info.sampleRate);
    const capture = new Float32Array(info.sampleRate * 2);
    let got = 0;
    const playing = vmic.play(chirp.path);
    let played = false;
    playing.then(() => (played = true));
    // Read until the playback is over and a further 0.2 s has been captured.
    let after = 0;
    while (got < capture.length && after < info.sampleRate * 0.2) {
      await mic.ring.waitForData(100);
      const n = mic.ring.read(capture, got);
      got += n;
      if (played) after += n;
    }
    await mic.stop();
    expect(mic.running).toBe(false);
    expect(mic.ring.closed).toBe(true);
    const readsAtStop = mic.reads;
    await Bun.sleep(50);
    expect(mic.reads).toBe(readsAtStop); // the capture thread is gone
    expect(mic.error).toBeUndefined();
    expect(mic.ring.droppedSamples).toBe(0);
    expect(mic.ring.framesWritten).toBeGreaterThanOrEqual(got);
    // The sink runs at 16 kHz, so the chirp went 22.05 kHz → 16 kHz → device rate: compare
    // against the source resampled by PulseAudio, i.e. loosely.
    const { ncc } = alignedCorrelation(capture.subarray(0, got), chirp.samples, 2000);
    expect(ncc).toBeGreaterThan(0.9);
  });

  test("several device channels are mixed to mono in the capture thread", async () => {
    // PulseAudio copies the mono sink to every channel asked for, so the mix equals the source.
    const mic = createMicrophone({ env: vmic.env, channels: 2, sampleRate: 16000 });
    const info = await mic.start();
    expect(info.channels).toBe(2);
    const chirp = chirpWav(16000);
    const capture = new Float32Array(16000 * 2);
    let got = 0;
    let played = false;
    const playing = vmic.play(chirp.path).then(() => (played = true));
    let after = 0;
    while (got < capture.length && after < 16000 * 0.2) {
      await mic.ring.waitForData(100);
      const n = mic.ring.read(capture, got);
      got += n;
      if (played) after += n;
    }
    await playing;
    await mic.stop();
    const captured = capture.subarray(0, got);
    expect(alignedCorrelation(captured, chirp.samples, 2000).ncc).toBeGreaterThan(0.9);
    let peak = 0;
    for (const v of captured) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeCloseTo(0.5, 1); // averaged, not summed
  });

  test("more channels than the device has is a UserError", async () => {
    await expect(createMicrophone({ env: vmic.env, channels: 64 }).start()).rejects.toThrow(/has 32 input channels, 64 were asked for/);
  });

  test("a device that disappears mid-capture is reported with the PortAudio code and a hint; stop() still returns", async () => {
    const dying = await startVirtualMic();
    const mic = createMicrophone({ env: dying.env, sampleRate: 16000 });
    await mic.start();
    const failed = new Promise<MicrophoneError>((resolve) => mic.onError(resolve));
    await dying.kill();
    const error = await failed;
    expect(error.code).toBe(paUnanticipatedHostError);
    expect(error.message).toMatch(/reading from the input device failed/);
    expect(error.hint).toMatch(/went away/);
    expect(mic.error).toEqual(error);
    await mic.ring.waitForData(2000);
    await mic.stop();
    expect(mic.ring.closed).toBe(true);
    await dying.stop();
  });

  test("a device that does not exist rejects start() with a UserError listing the inputs", async () => {
    const mic = createMicrophone({ env: vmic.env, device: "no-such-device" });
    const error = await mic.start().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/no input device matches "no-such-device" \(inputs: 0 "pulse", 1 "default"\)/);
    expect(mic.error?.message).toBe((error as UserError).message);
    await mic.stop();
    expect(mic.running).toBe(false);
  });

  test("a sample rate outside 1000-384000 Hz is refused before any device is opened", async () => {
    const mic = createMicrophone({ env: vmic.env, sampleRate: 500 });
    await expect(mic.start()).rejects.toThrow(/sample rate must be between 1000 and 384000 Hz, got 500/);
    await mic.stop();
  });
});
