import { describe, expect, test } from "bun:test";
import { Resampler, resampleTo } from "../engine/resampler.ts";
import { streamAudio, streamTruth } from "../engine/shared-streams.ts";

const RATES = [11025, 16000, 22050, 32000, 44100, 48000, 96000, 12345];

function tone(rate: number, hz: number, seconds: number, amp = 0.5): Float32Array {
  const x = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) x[i] = amp * Math.sin((2 * Math.PI * hz * i) / rate + 0.3);
  return x;
}

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (to - from));
}

/** Output/input level in dB, measured away from both ends (filters ring there). */
function gainDb(rate: number, hz: number): number {
  const x = tone(rate, hz, 0.25);
  const y = resampleTo(x, rate, 8000);
  const edge = 160; // 20 ms at 8 kHz
  return 20 * Math.log10(rms(y, edge, y.length - edge) / rms(x));
}

function noise(n: number, seed = 1): Float32Array {
  const x = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    x[i] = s / 2147483648 - 0.5;
  }
  return x;
}

/** Streams `x` through a fresh resampler in blocks of `block` samples, flush included. */
function streamed(x: Float32Array, rate: number, block: number): Float32Array {
  const r = new Resampler(rate, { maxBlock: block });
  const out = new Float32Array(Math.ceil((x.length * 8000) / rate) + 64);
  let n = 0;
  for (let p = 0; p < x.length; p += block) {
    const y = r.process(x.subarray(p, Math.min(x.length, p + block)));
    out.set(y, n);
    n += y.length;
  }
  const tail = r.flush();
  out.set(tail, n);
  return out.subarray(0, n + tail.length);
}

describe("Resampler response", () => {
  for (const rate of RATES) {
    test(`${rate} Hz: 1 kHz and 3.4 kHz pass within 0.5 dB`, () => {
      for (const hz of [1000, 3400]) expect(Math.abs(gainDb(rate, hz))).toBeLessThan(0.5);
    });

    test(`${rate} Hz: 4.4, 6, 10 and 20 kHz are at least 60 dB down`, () => {
      for (const hz of [4400, 6000, 10000, 20000]) {
        if (hz < rate / 2) expect(gainDb(rate, hz)).toBeLessThan(-60);
      }
    });
  }

  test("every tone from 4 kHz to the input Nyquist is at least 60 dB down, at every rate", () => {
    for (const rate of RATES) {
      let worst = -Infinity;
      for (let hz = 4000; hz < rate / 2; hz += 173) worst = Math.max(worst, gainDb(rate, hz));
      expect(worst).toBeLessThan(-60);
    }
  });

  test("the passband is flat to 3.4 kHz within 0.5 dB (48 k, 11.025 k)", () => {
    for (const rate of [48000, 11025]) {
      for (let hz = 100; hz <= 3400; hz += 150) expect(Math.abs(gainDb(rate, hz))).toBeLessThan(0.5);
    }
  });

  test("the target rate is a parameter: 48 kHz to 16 kHz keeps 6 kHz and stops 9 kHz", () => {
    const x6 = tone(48000, 6000, 0.2);
    const y6 = resampleTo(x6, 48000, 16000);
    expect(Math.abs(20 * Math.log10(rms(y6, 320, y6.length - 320) / rms(x6)))).toBeLessThan(0.5);
    const x9 = tone(48000, 9000, 0.2);
    const y9 = resampleTo(x9, 48000, 16000);
    expect(20 * Math.log10(rms(y9, 320, y9.length - 320) / rms(x9))).toBeLessThan(-60);
    expect(y6.length).toBe(x6.length / 3);
  });

  test("upsampling 6 kHz to 8 kHz keeps 1 kHz and adds no images", () => {
    const x = tone(6000, 1000, 0.25);
    const y = resampleTo(x, 6000, 8000);
    expect(y.length).toBe(2000);
    expect(Math.abs(20 * Math.log10(rms(y, 160, y.length - 160) / rms(x)))).toBeLessThan(0.5);
  });
});

describe("Resampler streaming", () => {
  test("output is bit-identical for blocks of 1, 37, 160 and 4096 samples", () => {
    for (const rate of [44100, 48000, 11025]) {
      const x = noise(rate);
      const ref = streamed(x, rate, 4096);
      expect(ref.length).toBe(Math.ceil((x.length * 8000) / rate));
      for (const block of [1, 37, 160]) expect(streamed(x, rate, block)).toEqual(ref);
      expect(resampleTo(x, rate)).toEqual(ref);
    }
  });

  test("an impulse lands at its own time: output n is input time n / 8000", () => {
    for (const rate of [48000, 44100, 16000, 22050]) {
      const x = new Float32Array(rate / 2);
      const k = Math.round(rate * 0.2) + 1; // not on an 8 kHz sample
      x[k] = 1;
      const y = resampleTo(x, rate);
      const expected = (k * 8000) / rate;
      let peak = 0;
      let sumE = 0;
      let sumEn = 0;
      for (let n = 0; n < y.length; n++) {
        if (Math.abs(y[n]!) > Math.abs(y[peak]!)) peak = n;
        sumE += y[n]! * y[n]!;
        sumEn += n * y[n]! * y[n]!;
      }
      expect(Math.abs(peak - expected)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(sumEn / sumE - expected)).toBeLessThan(0.05);
    }
  });

  test("a tone burst comes out as the same burst sampled at 8 kHz (timing within a twentieth of a sample)", () => {
    // 1 kHz with 5 ms raised-cosine ramps, starting between 8 kHz samples: band-limited well
    // inside the passband, so the ideal output is the burst itself evaluated at n / 8000.
    const burst = (t: number) => {
      const t0 = 0.1003;
      const t1 = 0.2003;
      if (t <= t0 || t >= t1) return 0;
      const ramp = Math.min(1, (t - t0) / 0.005, (t1 - t) / 0.005);
      return 0.5 * (0.5 - 0.5 * Math.cos(Math.PI * ramp)) * Math.sin(2 * Math.PI * 1000 * (t - t0));
    };
    for (const rate of [48000, 44100, 16000]) {
      const x = Float32Array.from({ length: Math.round(rate * 0.3) }, (_, i) => burst(i / rate));
      const y = resampleTo(x, rate);
      let worst = 0;
      for (let n = 0; n < y.length; n++) worst = Math.max(worst, Math.abs(y[n]! - burst(n / 8000)));
      // A 0.05-sample shift of a 1 kHz tone at amplitude 0.5 alone would give 0.5·2π/160 ≈ 0.02.
      expect(worst).toBeLessThan(0.02);
    }
  });

  test("8 kHz to 8 kHz is the identity", () => {
    const x = noise(8000);
    const r = new Resampler(8000);
    expect(r.describe()).toContain("identity");
    expect(r.latencySeconds).toBe(0);
    expect(r.process(x)).toEqual(x);
    const out: Float32Array = new Float32Array(8000);
    expect(r.processInto(x, out)).toBe(8000);
    expect(out).toEqual(x);
    expect(r.flush().length).toBe(0);
    expect(resampleTo(x, 8000)).toEqual(x);
  });

  test("reports its look-ahead and refuses a too-small output buffer", () => {
    const r = new Resampler(48000);
    expect(r.latencySeconds).toBeGreaterThan(0.001);
    expect(r.latencySeconds).toBeLessThan(0.004);
    expect(() => r.processInto(new Float32Array(480), new Float32Array(10))).toThrow(RangeError);
    expect(() => new Resampler(0)).toThrow(RangeError);
    expect(() => new Resampler(44100.5)).toThrow(RangeError);
  });
});

describe("Resampler on the real streams", () => {
  // Clean streams are digital silence between clips: after resampling, everything outside the
  // ground-truth segments (give or take the filters' few-ms reach) must still be near silent, and
  // every segment must carry its energy.
  for (const name of ["s05_16k_clean", "s09_44k_f32_clean", "s11_48k_stereo_clean"]) {
    test(`${name}: speech stays inside its ground-truth segments`, () => {
      const { samples, sampleRate } = streamAudio(name);
      const y = resampleTo(samples, sampleRate);
      expect(y.length).toBe(Math.ceil((samples.length * 8000) / sampleRate));
      const truth = streamTruth(name);
      const inside = new Uint8Array(y.length);
      const reach = 0.004; // filter half-span plus the clips' sub-sample placement
      for (const s of truth.segments) {
        inside.fill(1, Math.floor((s.start_s - reach) * 8000), Math.ceil((s.end_s + reach) * 8000));
        expect(rms(y, Math.round(s.start_s * 8000), Math.round(s.end_s * 8000))).toBeGreaterThan(0.002);
      }
      let leak = 0;
      for (let n = 0; n < y.length; n++) if (!inside[n]) leak = Math.max(leak, Math.abs(y[n]!));
      expect(leak).toBeLessThan(1e-3);
    });
  }
});
