import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import FFT from "fft.js";
import { decodeWavMono } from "../data/wav.ts";
import { hannWindow } from "../engine/features/mel-filterbank.ts";
import { RealFft } from "../engine/features/real-fft.ts";
import { STREAMS_DIR } from "./support/streams.ts";

const stream = join(STREAMS_DIR, "s01_8k_clean.wav");

describe.skipIf(!existsSync(stream))("RealFft.powerSpectrum", () => {
  test("matches fft.js on windowed speech frames for every size 8..2048 (all stage layouts)", () => {
    const audio = decodeWavMono(readFileSync(stream), stream).samples;
    for (const n of [8, 16, 32, 64, 128, 256, 512, 1024, 2048]) {
      const ours = new RealFft(n);
      const ref = new FFT(n);
      const spectrum = new Float64Array(2 * n);
      const frame = new Float64Array(n);
      const power = new Float64Array(n / 2 + 1 + 3);
      const window = hannWindow(n);
      // frames spread over the stream: speech, pauses, onsets
      for (let start = 4000; start + n < audio.length; start += 37_003) {
        for (let i = 0; i < n; i++) frame[i] = audio[start + i]! * window[i]!;
        ref.realTransform(spectrum, frame);
        ours.powerSpectrum(frame, power, 3);
        let peak = 0;
        for (let k = 0; k <= n / 2; k++) peak = Math.max(peak, spectrum[2 * k]! ** 2 + spectrum[2 * k + 1]! ** 2);
        for (let k = 0; k <= n / 2; k++) {
          const expected = spectrum[2 * k]! ** 2 + spectrum[2 * k + 1]! ** 2;
          expect(Math.abs(power[3 + k]! - expected)).toBeLessThanOrEqual(1e-12 * peak + 1e-300);
        }
      }
    }
  });

  test("a pure tone lands in its bin; the signal's energy is conserved (Parseval)", () => {
    const n = 256;
    const fft = new RealFft(n);
    const x = Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * 20 * i) / n));
    const p = new Float64Array(n / 2 + 1);
    fft.powerSpectrum(x, p, 0);
    expect(p[20]).toBeCloseTo((n / 2) ** 2, 6);
    let others = 0;
    for (let k = 0; k <= n / 2; k++) if (k !== 20) others += p[k]!;
    expect(others).toBeLessThan(1e-12);
    // Parseval for a real signal: Σx² = (P0 + 2·Σ_{0<k<n/2} Pk + P_{n/2}) / n
    let time = 0;
    for (const v of x) time += v * v;
    let freq = p[0]! + p[n / 2]!;
    for (let k = 1; k < n / 2; k++) freq += 2 * p[k]!;
    expect(freq / n).toBeCloseTo(time, 9);
  });

  test("sizes that are not powers of two ≥ 8 are refused", () => {
    expect(() => new RealFft(200)).toThrow(RangeError);
    expect(() => new RealFft(4)).toThrow(RangeError);
  });
});
