import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { decodeWav, decodeWavMono, mixToMono, monoDecoder } from "../engine/audio/wav.ts";
import { UserError } from "../engine/errors.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";
import { tempDirs } from "./support/temp-dirs.ts";

const tempDir = tempDirs("decode-mono");
const haveStreams = existsSync(STREAMS_DIR);
const haveSox = Bun.spawnSync(["sh", "-c", "command -v sox"]).exitCode === 0;

function expectSameMono(bytes: Uint8Array, name: string): Float32Array {
  const ref = decodeWav(bytes, name);
  const mono = decodeWavMono(bytes, name);
  expect(mono.sampleRate).toBe(ref.sampleRate);
  expect(mono.channels).toBe(ref.channels);
  expect(mono.encoding).toBe(ref.encoding);
  const expected = mixToMono(ref.samples, ref.channels);
  expect(mono.samples.length).toBe(expected.length);
  let differing = 0;
  for (let i = 0; i < expected.length; i++) if (!Object.is(mono.samples[i], expected[i])) differing++;
  expect(differing).toBe(0);
  return mono.samples;
}

describe.skipIf(!haveStreams)("decodeWavMono: decodeWav then mixToMono in one pass", () => {
  test("every shared stream (8-48 kHz, mono and stereo, int16 and float32) decodes to the same samples, bit for bit", () => {
    const files = readdirSync(STREAMS_DIR).filter((f) => f.endsWith(".wav"));
    expect(files.length).toBe(12);
    for (const f of files) expectSameMono(readFileSync(join(STREAMS_DIR, f)), f);
  });

  test("monoDecoder read in blocks of any size gives the whole decode, and stops at the end", () => {
    for (const f of ["s11_48k_stereo_clean.wav", "s09_44k_f32_clean.wav", "s02_8k_white_snr30.wav"]) {
      const bytes = readFileSync(join(STREAMS_DIR, f));
      const whole = decodeWavMono(bytes, f).samples;
      for (const block of [37, 4096]) {
        const d = monoDecoder(bytes, f);
        expect(d.frames).toBe(whole.length);
        const got = new Float32Array(whole.length);
        const dst = new Float32Array(block);
        let at = 0;
        for (let n = d.decodeInto(dst, at); n > 0; n = d.decodeInto(dst, at)) {
          got.set(dst.subarray(0, n), at);
          at += n;
        }
        expect(at).toBe(whole.length);
        let differing = 0;
        for (let i = 0; i < whole.length; i++) if (!Object.is(got[i], whole[i])) differing++;
        expect(differing).toBe(0);
      }
    }
  });

  test.skipIf(!haveSox)("stereo float32 and 4-channel int16 made by sox from a stream decode the same way", () => {
    const dir = tempDir();
    const src = join(STREAMS_DIR, "s11_48k_stereo_clean.wav");
    const f32 = join(dir, "f32.wav");
    const quad = join(dir, "quad.wav");
    expect(Bun.spawnSync(["sox", src, "-e", "floating-point", "-b", "32", f32, "trim", "0", "3"]).exitCode).toBe(0);
    expect(Bun.spawnSync(["sox", "-M", src, src, quad, "trim", "0", "3"]).exitCode).toBe(0);
    const a = expectSameMono(readFileSync(f32), "f32.wav");
    const b = expectSameMono(readFileSync(quad), "quad.wav");
    expect(decodeWav(readFileSync(quad), "quad.wav").channels).toBe(4);
    expect(a.length).toBe(3 * 48000);
    expect(b.length).toBe(3 * 48000);
  });

  test.skipIf(!haveSox)("a NaN in one channel of a stereo float file is a UserError naming the file", () => {
    const dir = tempDir();
    const f32 = join(dir, "nan.wav");
    expect(Bun.spawnSync(["sox", join(STREAMS_DIR, "s11_48k_stereo_clean.wav"), "-e", "floating-point", "-b", "32", f32, "trim", "0", "0.5"]).exitCode).toBe(0);
    const bytes = new Uint8Array(readFileSync(f32));
    // the last sample of the file: the right channel of the last frame
    new DataView(bytes.buffer).setFloat32(bytes.length - 4, Number.NaN, true);
    expect(() => decodeWav(bytes, "nan.wav")).toThrow(UserError);
    expect(() => decodeWavMono(bytes, "nan.wav")).toThrow("nan.wav: the WAV holds non-finite float samples");
  });
});
