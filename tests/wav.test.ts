import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeWav, encodeWav16, mixToMono } from "../engine/audio/wav.ts";
import { UserError } from "../engine/errors.ts";

const dir = mkdtempSync(join(tmpdir(), "wav-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tone(n: number, rate: number, hz = 440, amp = 0.5): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));
}

/** Converts with sox (a real encoder), so the decoder is checked against files it did not write. */
function sox(src: string, out: string, args: string[]): Uint8Array {
  const r = Bun.spawnSync(["sox", src, ...args, out]);
  if (r.exitCode !== 0) throw new Error(`sox failed: ${r.stderr.toString()}`);
  return readFileSync(out);
}

const haveSox = Bun.spawnSync(["sh", "-c", "command -v sox"]).exitCode === 0;

describe("decodeWav", () => {
  const rate = 16000;
  const signal = tone(1600, rate);
  const base = join(dir, "base.wav");
  Bun.write(base, encodeWav16(signal, rate));

  test("16-bit PCM round-trips through encodeWav16", () => {
    const d = decodeWav(encodeWav16(signal, rate), "x.wav");
    expect(d.sampleRate).toBe(rate);
    expect(d.channels).toBe(1);
    expect(d.encoding).toBe("int16");
    for (let i = 0; i < signal.length; i++) expect(Math.abs(d.samples[i]! - signal[i]!)).toBeLessThan(1 / 16000);
  });

  test.skipIf(!haveSox)("every depth and codec sox writes decodes to the same signal", async () => {
    await Bun.write(base, encodeWav16(signal, rate));
    const cases: [string[], string, number][] = [
      [["-b", "8", "-e", "unsigned-integer"], "uint8", 1 / 64],
      [["-b", "24"], "int24", 1e-4],
      [["-b", "32", "-e", "signed-integer"], "int32", 1e-4],
      [["-b", "32", "-e", "floating-point"], "float32", 1e-4],
      [["-b", "64", "-e", "floating-point"], "float64", 1e-4],
      [["-e", "mu-law"], "mulaw", 0.02],
      [["-e", "a-law"], "alaw", 0.02],
    ];
    for (const [args, encoding, tol] of cases) {
      const d = decodeWav(sox(base, join(dir, `${encoding}.wav`), args), encoding);
      expect(d.encoding).toBe(encoding);
      expect(d.samples.length).toBe(signal.length);
      let worst = 0;
      for (let i = 0; i < signal.length; i++) worst = Math.max(worst, Math.abs(d.samples[i]! - signal[i]!));
      expect(worst).toBeLessThan(tol);
    }
  });

  test.skipIf(!haveSox)("stereo is kept interleaved and mixes to mono", async () => {
    await Bun.write(base, encodeWav16(signal, rate));
    const d = decodeWav(sox(base, join(dir, "stereo.wav"), ["-c", "2"]), "stereo");
    expect(d.channels).toBe(2);
    const mono = mixToMono(d.samples, 2);
    expect(mono.length).toBe(signal.length);
    expect(Math.abs(mono[100]! - signal[100]!)).toBeLessThan(1e-3);
  });

  test("a streaming writer's zero data size means: the rest of the file", () => {
    const bytes = encodeWav16(signal, rate);
    new DataView(bytes.buffer).setUint32(40, 0, true);
    expect(decodeWav(bytes, "x").samples.length).toBe(signal.length);
  });

  const bad: [string, () => Uint8Array, RegExp][] = [
    ["empty", () => new Uint8Array(0), /empty/],
    ["text", () => new TextEncoder().encode("this is not a wav file at all"), /not a WAV/],
    ["truncated header", () => encodeWav16(signal, rate).slice(0, 30), /truncated/],
    ["lying data size", () => encodeWav16(signal, rate).slice(0, 2000), /claims \d+ bytes but only \d+ follow/],
    ["no samples", () => encodeWav16(new Float32Array(0), rate), /no (complete sample frames|samples)/],
    [
      "unsupported codec",
      () => {
        const b = encodeWav16(signal, rate);
        new DataView(b.buffer).setUint16(20, 2, true); // ADPCM
        return b;
      },
      /unsupported codec/,
    ],
    [
      "absurd rate",
      () => {
        const b = encodeWav16(signal, rate);
        new DataView(b.buffer).setUint32(24, 7, true);
        return b;
      },
      /sample rate/,
    ],
  ];
  for (const [what, make, message] of bad) {
    test(`${what}: one UserError naming the file`, () => {
      let err: unknown;
      try {
        decodeWav(make(), "clip.wav");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toStartWith("clip.wav: ");
      expect((err as Error).message).toMatch(message);
    });
  }
});
