import { describe, expect, test } from "bun:test";
import { type Biquad, applyBiquad, passFilter, peakingFilter, shelfFilter } from "../engine/dsp/biquad.ts";

/** Gain in dB of a section at `hz`, from its transfer function on the unit circle. */
function gainDb(c: Biquad, rate: number, hz: number): number {
  const w = (2 * Math.PI * hz) / rate;
  const re = (a: number[]) => a[0]! + a[1]! * Math.cos(w) + a[2]! * Math.cos(2 * w);
  const im = (a: number[]) => -a[1]! * Math.sin(w) - a[2]! * Math.sin(2 * w);
  const num = [c.b0, c.b1, c.b2];
  const den = [1, c.a1, c.a2];
  return 10 * Math.log10((re(num) ** 2 + im(num) ** 2) / (re(den) ** 2 + im(den) ** 2));
}

/** Gain in dB of a filtered tone, measured on its second half (past the start-up transient). */
function measuredDb(c: Biquad, rate: number, hz: number): number {
  const x = Float32Array.from({ length: rate }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));
  const y = applyBiquad(x, c);
  let px = 0;
  let py = 0;
  for (let i = rate / 2; i < rate; i++) {
    px += x[i]! ** 2;
    py += y[i]! ** 2;
  }
  return 10 * Math.log10(py / px);
}

describe("biquad design", () => {
  test("Butterworth low- and high-pass: 0 dB in the pass band, −3 dB at the cutoff, −12 dB an octave into the stop band", () => {
    for (const rate of [8000, 16000, 48000]) {
      const low = passFilter("low", rate, 1000);
      const high = passFilter("high", rate, 1000);
      expect(gainDb(low, rate, 1000)).toBeCloseTo(-3.01, 1);
      expect(gainDb(high, rate, 1000)).toBeCloseTo(-3.01, 1);
      expect(Math.abs(gainDb(low, rate, 50))).toBeLessThan(0.01);
      expect(Math.abs(gainDb(high, rate, rate / 2 - 1))).toBeLessThan(0.01);
      expect(gainDb(low, rate, 2000)).toBeLessThan(-11);
      expect(gainDb(high, rate, 500)).toBeLessThan(-11);
    }
  });

  test("shelves and peaks give the gain asked for where they act, and none far away", () => {
    const rate = 8000;
    expect(gainDb(shelfFilter("low", rate, 300, 8), rate, 20)).toBeCloseTo(8, 1);
    expect(Math.abs(gainDb(shelfFilter("low", rate, 300, 8), rate, 3500))).toBeLessThan(0.5);
    expect(gainDb(shelfFilter("high", rate, 2000, -6), rate, 3990)).toBeCloseTo(-6, 1);
    expect(gainDb(peakingFilter(rate, 1000, -9, 1.2), rate, 1000)).toBeCloseTo(-9, 6);
    expect(Math.abs(gainDb(peakingFilter(rate, 1000, -9, 1.2), rate, 30))).toBeLessThan(0.1);
  });

  test("running a section on a tone gives the gain its design promises", () => {
    const rate = 8000;
    for (const [c, hz] of [
      [passFilter("low", rate, 500), 1000],
      [passFilter("high", rate, 500, 1.3), 300],
      [peakingFilter(rate, 700, 6, 2), 700],
    ] as const) {
      expect(measuredDb(c, rate, hz)).toBeCloseTo(gainDb(c, rate, hz), 1);
    }
  });
});
