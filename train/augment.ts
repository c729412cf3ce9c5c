import FFT from "fft.js";
import { applyBiquad, butterworth, peakingFilter, shelfFilter } from "../engine/dsp/biquad.ts";
import { type Rng, gaussian, meanPower, uniform } from "../data/synth/signals.ts";

/**
 * Signal-level data augmentation for training: every function is pure (returns a new array)
 * and every random choice comes from the `Rng` passed in, so a seed reproduces a training set.
 */

/**
 * Plays x `factor` times faster (length ÷ factor; pitch and formants × factor) by band-limited
 * interpolation: a Hann-windowed sinc whose cutoff drops to 1/factor when speeding up, so no
 * aliasing is folded into the band. The kernel is tabulated at `PHASES` fractional offsets.
 */
export function changeSpeed(x: Float32Array, factor: number, halfTaps = 8): Float32Array {
  if (factor === 1) return x.slice();
  const n = Math.max(1, Math.round(x.length / factor));
  const out = new Float32Array(n);
  // the cutoff is rounded down to 1/256 so that tables can be cached
  const cutoff = Math.min(1, Math.floor(256 / factor) / 256);
  const half = Math.ceil(halfTaps / cutoff);
  const taps = 2 * half;
  const key = `${cutoff}/${half}`;
  let table = sincTables.get(key);
  if (!table) sincTables.set(key, (table = sincTable(cutoff, half)));
  for (let i = 0; i < n; i++) {
    const t = i * factor;
    const centre = Math.floor(t);
    const row = Math.round((t - centre) * PHASES) * taps;
    const k0 = centre - half + 1;
    let s = 0;
    if (k0 >= 0 && k0 + taps <= x.length) {
      for (let m = 0; m < taps; m++) s += x[k0 + m]! * table[row + m]!;
    } else {
      for (let m = 0; m < taps; m++) {
        const k = k0 + m;
        if (k >= 0 && k < x.length) s += x[k]! * table[row + m]!;
      }
    }
    out[i] = s;
  }
  return out;
}

const PHASES = 512;

const sincTables = new Map<string, Float64Array>();

/** table[p·taps + m]: kernel weight of input k0 + m for an output at fractional offset p / PHASES. */
function sincTable(cutoff: number, half: number): Float64Array {
  const taps = 2 * half;
  const table = new Float64Array((PHASES + 1) * taps);
  for (let p = 0; p <= PHASES; p++) {
    const frac = p / PHASES;
    for (let m = 0; m < taps; m++) {
      const d = frac + half - 1 - m; // t − k for k = centre − half + 1 + m
      const arg = Math.PI * cutoff * d;
      const sinc = arg === 0 ? 1 : Math.sin(arg) / arg;
      const w = Math.abs(d) >= half ? 0 : 0.5 + 0.5 * Math.cos((Math.PI * d) / half);
      table[p * taps + m] = cutoff * sinc * w;
    }
  }
  return table;
}

/** Linear convolution of x with h (same-length output: the reverberant tail past x's end is cut), by FFT. */
export function convolve(x: Float32Array, h: Float32Array): Float32Array {
  let size = 1;
  while (size < x.length + h.length - 1) size *= 2;
  const fft = new FFT(size);
  const spectrumOf = (v: Float32Array) => {
    const a = new Float64Array(size);
    a.set(v);
    const spec = new Float64Array(2 * size);
    fft.realTransform(spec, a);
    fft.completeSpectrum(spec);
    return spec;
  };
  const X = spectrumOf(x);
  const H = spectrumOf(h);
  for (let k = 0; k < size; k++) {
    const re = X[2 * k]! * H[2 * k]! - X[2 * k + 1]! * H[2 * k + 1]!;
    const im = X[2 * k]! * H[2 * k + 1]! + X[2 * k + 1]! * H[2 * k]!;
    X[2 * k] = re;
    X[2 * k + 1] = im;
  }
  const y = new Float64Array(2 * size);
  fft.inverseTransform(y, X);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = y[2 * i]!;
  return out;
}

/**
 * A synthetic room impulse response: a unit direct path, then exponentially decaying Gaussian
 * noise (−60 dB after `rt60` s) starting `preDelay` s later, scaled so the direct-to-reverberant
 * energy ratio is `drrDb`.
 */
export function roomImpulse(rate: number, rt60: number, drrDb: number, rng: Rng, preDelay = 0.003): Float32Array {
  const n = Math.max(2, Math.round(rt60 * rate));
  const h = new Float32Array(n);
  const start = Math.max(1, Math.round(preDelay * rate));
  let energy = 0;
  for (let i = start; i < n; i++) {
    const v = gaussian(rng) * Math.exp((-6.9078 * (i - start)) / (rt60 * rate));
    h[i] = v;
    energy += v * v;
  }
  const g = energy > 0 ? Math.sqrt(10 ** (-drrDb / 10) / energy) : 0;
  for (let i = start; i < n; i++) h[i]! *= g;
  h[0] = 1;
  return h;
}

/** Reverberation with a synthetic room, level-matched to the dry signal. */
export function reverberate(x: Float32Array, rate: number, rt60: number, drrDb: number, rng: Rng): Float32Array {
  const y = convolve(x, roomImpulse(rate, rt60, drrDb, rng));
  const g = Math.sqrt(meanPower(x) / (meanPower(y) + 1e-20));
  for (let i = 0; i < y.length; i++) y[i]! *= g;
  return y;
}

/** Shelving filter: `gainDb` below (low) or above (high) `hz`, slope 1. */
export function shelf(x: Float32Array, rate: number, hz: number, gainDb: number, kind: "low" | "high"): Float32Array {
  return applyBiquad(x, shelfFilter(kind, rate, hz, gainDb));
}

/** Peaking filter: `gainDb` around `hz` with quality q. */
export function peaking(x: Float32Array, rate: number, hz: number, gainDb: number, q: number): Float32Array {
  return applyBiquad(x, peakingFilter(rate, hz, gainDb, q));
}

/**
 * A random microphone/room colouring: maybe a high-pass at 50-400 Hz, a low and a high shelf
 * of ±`maxDb`, and a peak or notch of ±`maxDb` somewhere in 300-3000 Hz.
 */
export function randomEq(x: Float32Array, rate: number, rng: Rng, maxDb = 10): Float32Array {
  let y = x;
  if (rng() < 0.5) y = butterworth(y, rate, Math.exp(uniform(rng, Math.log(50), Math.log(400))), "highpass");
  y = shelf(y, rate, uniform(rng, 150, 500), uniform(rng, -maxDb, maxDb), "low");
  y = shelf(y, rate, uniform(rng, 1500, 3000), uniform(rng, -maxDb, maxDb), "high");
  y = peaking(y, rate, Math.exp(uniform(rng, Math.log(300), Math.log(3000))), uniform(rng, -maxDb, maxDb), uniform(rng, 0.7, 2));
  return y;
}

/** G.711 µ-law: compress to 8 bits and expand again (the quantisation noise of a phone line). */
export function muLaw8(x: Float32Array): Float32Array {
  const mu = 255;
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]!));
  if (peak === 0) return x.slice();
  const levels = new Float64Array(256);
  for (let q = -127; q <= 127; q++) levels[q + 127] = (peak * Math.sign(q) * ((1 + mu) ** (Math.abs(q) / 127) - 1)) / mu;
  const k = 127 / Math.log1p(mu);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const s = x[i]! / peak;
    const q = Math.round(Math.sign(s) * Math.log1p(mu * Math.abs(s)) * k);
    out[i] = levels[q + 127]!;
  }
  return out;
}

/** Telephone channel: 300-3400 Hz band (4th-order edges) and 8-bit µ-law. */
export function telephone(x: Float32Array, rate: number): Float32Array {
  let y = butterworth(butterworth(x, rate, 300, "highpass"), rate, 300, "highpass");
  if (3400 < rate / 2) y = butterworth(butterworth(y, rate, 3400, "lowpass"), rate, 3400, "lowpass");
  return muLaw8(y);
}
