import { describe, expect, test } from "bun:test";
import { loadSplit } from "../data/fsdd.ts";
import { meanPower, pinkNoise, seededRng } from "../data/synth/signals.ts";
import { babbleInto, colouredNoise, humNoiseInto, mixAtSnr } from "../train/augment-noise.ts";

const clips = (await loadSplit("test")).slice(0, 12);
const db = (p: number) => 10 * Math.log10(p);

/** Correlation of x with itself one sample later. */
function lag1(x: Float32Array): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += x[i]! * x[i - 1]!;
  return a / (x.length - 1) / meanPower(x);
}

describe("training noise", () => {
  test("white noise is standard normal: mean 0, variance 1, kurtosis 3, uncorrelated, reproducible by seed", () => {
    const n = 1 << 17;
    const x = new Float32Array(n);
    const power = colouredNoise(x, n, "white", 12345);
    let mean = 0;
    let m4 = 0;
    for (const v of x) {
      mean += v;
      m4 += v ** 4;
    }
    expect(Math.abs(mean / n)).toBeLessThan(0.01);
    expect(power).toBeCloseTo(meanPower(x), 6);
    expect(Math.abs(power - 1)).toBeLessThan(0.02);
    expect(Math.abs(m4 / n / power ** 2 - 3)).toBeLessThan(0.1);
    expect(Math.abs(lag1(x))).toBeLessThan(0.01);
    const again = new Float32Array(n);
    colouredNoise(again, n, "white", 12345);
    expect(again).toEqual(x);
    colouredNoise(again, n, "white", 12346);
    expect(again).not.toEqual(x);
  });

  test("pink and brown noise are as correlated as data/synth's, hum adds mains at 50 or 60 Hz", () => {
    const n = 32000;
    const pink = new Float32Array(n);
    colouredNoise(pink, n, "pink", 7);
    expect(Math.abs(lag1(pink) - lag1(pinkNoise(n, seededRng(7))))).toBeLessThan(0.05);
    const brown = new Float32Array(n);
    colouredNoise(brown, n, "brown", 7);
    expect(lag1(brown)).toBeGreaterThan(0.99);
    const hum = new Float32Array(n);
    const p = humNoiseInto(hum, n, 8000, seededRng(3));
    expect(p).toBeCloseTo(meanPower(hum), 6);
    // correlating at 50 and 60 Hz: one of them carries the hum (a fifth of the power, 1/h over seven harmonics)
    const at = (hz: number) => {
      let re = 0;
      let im = 0;
      for (let i = 0; i < n; i++) {
        re += hum[i]! * Math.cos((2 * Math.PI * hz * i) / 8000);
        im += hum[i]! * Math.sin((2 * Math.PI * hz * i) / 8000);
      }
      return (2 * (re * re + im * im)) / (n * n);
    };
    expect(Math.max(at(50), at(60)) / p).toBeGreaterThan(0.1);
  });

  test("babble is the pool's speech at its length; mixing pads, keeps the SNR against the speech and applies the gain", () => {
    const pool = clips.slice(4).map((c) => c.samples);
    const speech = clips[0]!.samples;
    const n = speech.length + 3000;
    const noise = new Float32Array(n + 100);
    const pb = babbleInto(noise, n, pool, seededRng(2));
    expect(pb).toBeGreaterThan(0.5);
    const y = mixAtSnr(speech, 1000, 2000, noise, pb, 10, meanPower(speech), 0.5);
    expect(y.length).toBe(n);
    const added = y.map((v, i) => v / 0.5 - (i >= 1000 && i < 1000 + speech.length ? speech[i - 1000]! : 0));
    expect(db(meanPower(speech) / meanPower(added))).toBeCloseTo(10, 3);
    const quiet = mixAtSnr(speech, 5, 5, null, 0, 0, meanPower(speech), 2, new Float32Array(speech.length + 20));
    expect(quiet.length).toBe(speech.length + 10);
    expect(quiet[0]).toBe(0);
    expect(quiet[5]).toBeCloseTo(2 * speech[0]!, 6);
  });
});
