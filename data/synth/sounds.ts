import { type Rng, pinkNoise, uniform, whiteNoise } from "./signals.ts";
import { butterworth } from "../../engine/dsp/biquad.ts";

/** Kinds of non-speech sound the synthetic non-digit set holds. */
export const SOUND_KINDS = ["click", "burst", "cough", "knock", "clap", "beep", "breath"] as const;
export type SoundKind = (typeof SOUND_KINDS)[number];

function silence(rate: number, seconds: number): Float32Array {
  return new Float32Array(Math.round(rate * seconds));
}

/** Adds `src` into `dst` from sample `at` (clipped at the end). */
function mixAt(dst: Float32Array, src: Float32Array, at: number, gain = 1): void {
  for (let i = 0; i < src.length && at + i < dst.length; i++) if (at + i >= 0) dst[at + i] += gain * src[i]!;
}

/** Noise with an attack of `attack` s and an exponential decay of time constant `decay` s. */
function envelopedNoise(rate: number, seconds: number, attack: number, decay: number, rng: Rng, pink = false): Float32Array {
  const n = Math.max(1, Math.round(rate * seconds));
  const x = pink ? pinkNoise(n, rng) : whiteNoise(n, rng);
  const a = Math.max(1, Math.round(rate * attack));
  for (let i = 0; i < n; i++) x[i]! *= (i < a ? i / a : 1) * Math.exp(-i / (rate * decay));
  return x;
}

function bandpass(x: Float32Array, rate: number, lo: number, hi: number): Float32Array {
  return butterworth(butterworth(x, rate, lo, "highpass"), rate, Math.min(hi, rate * 0.45), "lowpass");
}

/** Events placed one after another with gaps, inside a clip of lead-in and tail silence. */
function sequence(rate: number, events: Float32Array[], gap: [number, number], rng: Rng): Float32Array {
  const lead = Math.round(rate * uniform(rng, 0.05, 0.2));
  let total = lead;
  const starts: number[] = [];
  for (const e of events) {
    starts.push(total);
    total += e.length + Math.round(rate * uniform(rng, gap[0], gap[1]));
  }
  const out = silence(rate, (total + Math.round(rate * uniform(rng, 0.05, 0.2))) / rate);
  events.forEach((e, i) => mixAt(out, e, starts[i]!));
  return out;
}

function count(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** A damped resonance at `hz` (a knock on wood or a table), with a short noise transient. */
function knock(rate: number, rng: Rng): Float32Array {
  const hz = uniform(rng, 80, 400);
  const decay = uniform(rng, 0.015, 0.06);
  const n = Math.round(rate * decay * 6);
  const x = envelopedNoise(rate, n / rate, 0.0005, 0.003, rng);
  const second = hz * uniform(rng, 1.5, 2.8);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    x[i] = 0.3 * x[i]! + Math.exp(-t / decay) * (Math.sin(2 * Math.PI * hz * t) + 0.4 * Math.sin(2 * Math.PI * second * t));
  }
  return x;
}

/** A cough: a sharp, band-limited noise burst with a voiced onset, sometimes repeated. */
function cough(rate: number, rng: Rng): Float32Array {
  const seconds = uniform(rng, 0.12, 0.35);
  const lo = uniform(rng, 200, 600);
  const x = bandpass(envelopedNoise(rate, seconds, 0.005, seconds / 3, rng, true), rate, lo, uniform(rng, 2000, 3800));
  const f0 = uniform(rng, 100, 250);
  const voiced = Math.round(rate * uniform(rng, 0.03, 0.08));
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  for (let i = 0; i < voiced && i < x.length; i++) {
    const t = i / rate;
    let buzz = 0;
    for (let h = 1; h * f0 < 2000; h++) buzz += Math.sin(2 * Math.PI * h * f0 * t) / h;
    x[i] += 0.5 * peak * buzz * Math.sin((Math.PI * i) / voiced);
  }
  return x;
}

function tone(rate: number, rng: Rng): Float32Array {
  const seconds = uniform(rng, 0.1, 0.6);
  const n = Math.round(rate * seconds);
  const f0 = uniform(rng, 400, 3000);
  const f1 = rng() < 0.5 ? f0 : uniform(rng, 400, 3000); // a whistle glides
  const x = new Float32Array(n);
  let phase = 0;
  const ramp = Math.round(rate * 0.01);
  for (let i = 0; i < n; i++) {
    phase += (2 * Math.PI * (f0 + ((f1 - f0) * i) / n)) / rate;
    x[i] = Math.sin(phase) * Math.min(1, i / ramp, (n - i) / ramp);
  }
  return x;
}

function breath(rate: number, rng: Rng): Float32Array {
  const seconds = uniform(rng, 0.3, 0.9);
  const x = bandpass(pinkNoise(Math.round(rate * seconds), rng), rate, uniform(rng, 300, 800), 3800);
  for (let i = 0; i < x.length; i++) x[i]! *= Math.sin((Math.PI * i) / x.length) ** 2;
  return x;
}

/** One non-speech sound of `kind`, as mono samples at `rate`, with a little silence around it. */
export function makeSound(kind: SoundKind, rate: number, rng: Rng): Float32Array {
  switch (kind) {
    case "click":
      return sequence(
        rate,
        Array.from({ length: count(rng, 1, 4) }, () => envelopedNoise(rate, 0.004, 0.0002, uniform(rng, 0.0005, 0.002), rng)),
        [0.05, 0.3],
        rng,
      );
    case "burst": {
      const seconds = uniform(rng, 0.05, 0.5);
      return sequence(rate, [envelopedNoise(rate, seconds, uniform(rng, 0.001, 0.03), uniform(rng, seconds / 4, seconds), rng, rng() < 0.5)], [0, 0], rng);
    }
    case "cough":
      return sequence(
        rate,
        Array.from({ length: count(rng, 1, 3) }, () => cough(rate, rng)),
        [0.08, 0.3],
        rng,
      );
    case "knock":
      return sequence(
        rate,
        Array.from({ length: count(rng, 1, 4) }, () => knock(rate, rng)),
        [0.1, 0.3],
        rng,
      );
    case "clap":
      return sequence(
        rate,
        Array.from({ length: count(rng, 1, 3) }, () => butterworth(envelopedNoise(rate, 0.06, 0.001, uniform(rng, 0.008, 0.02), rng), rate, 1000, "highpass")),
        [0.2, 0.5],
        rng,
      );
    case "beep":
      return sequence(rate, [tone(rate, rng)], [0, 0], rng);
    case "breath":
      return sequence(rate, [breath(rate, rng)], [0, 0], rng);
  }
}
