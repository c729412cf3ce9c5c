/**
 * Seeded random numbers and the signal basics that synthesis (data/synth) and training
 * augmentation (train/augment.ts) share: gain, padding, coloured noise, mixing at an SNR. Every
 * function is pure (returns a new array) and every random choice comes from the `Rng` passed in,
 * so a seed reproduces its output.
 */

/** Uniform random numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: a small, fast, seedable generator (32-bit state). */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/** Standard normal deviate (Box-Muller). */
export function gaussian(rng: Rng): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Mean square of x. */
export function meanPower(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return x.length ? s / x.length : 0;
}

export function applyGain(x: Float32Array, db: number): Float32Array {
  const g = 10 ** (db / 20);
  // a loop, not x.map: map calls a closure per sample and costs several times as much
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * g;
  return out;
}

/** Silence before and after: with noise added afterwards and the trim run again, it jitters alignment. */
export function padSilence(x: Float32Array, before: number, after: number): Float32Array {
  const out = new Float32Array(x.length + before + after);
  out.set(x, before);
  return out;
}

export function whiteNoise(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    // Box-Muller gives two independent deviates per pair of uniforms
    const r = Math.sqrt(-2 * Math.log(1 - rng()));
    const a = 2 * Math.PI * rng();
    out[i] = r * Math.cos(a);
    if (i + 1 < n) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/** 1/f noise by Paul Kellet's filter of white noise (accurate to ±0.05 dB above 9 Hz at 44.1 kHz). */
export function pinkNoise(n: number, rng: Rng): Float32Array {
  const out = whiteNoise(n, rng);
  pinkInPlace(out, n);
  return out;
}

/** Brown (1/f²) noise: integrated white noise with a slow leak, so it does not wander off. */
export function brownNoise(n: number, rng: Rng): Float32Array {
  const out = whiteNoise(n, rng);
  brownInPlace(out, n);
  return out;
}

/** Paul Kellet's pink filter over the white noise in out[0…n), in place; returns the mean power. */
export function pinkInPlace(out: Float32Array, n: number): number {
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let b4 = 0;
  let b5 = 0;
  let b6 = 0;
  let power = 0;
  for (let i = 0; i < n; i++) {
    const w = out[i]!;
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    const v = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
    out[i] = v;
    power += v * v;
  }
  return n ? power / n : 0;
}

/** The brown filter (a slowly leaking integrator) over the white noise in out[0…n), in place; returns the mean power. */
export function brownInPlace(out: Float32Array, n: number): number {
  let s = 0;
  let power = 0;
  for (let i = 0; i < n; i++) {
    s = 0.995 * s + out[i]!;
    out[i] = s;
    power += s * s;
  }
  return n ? power / n : 0;
}

/**
 * Pink noise with mains hum (50 or 60 Hz and harmonics to the 7th, falling as 1/h); the hum has
 * 20 % of the power, as in the developer streams.
 */
export function humNoise(n: number, rate: number, rng: Rng): Float32Array {
  const out = pinkNoise(n, rng);
  const p = meanPower(out);
  const f = rng() < 0.5 ? 50 : 60;
  const phase = rng() * 2 * Math.PI;
  const hum = new Float64Array(n);
  // each harmonic's sine by rotating a unit phasor one sample's angle per step (equal to Math.sin
  // to about 1e-12 over a minute; seven sines per sample were most of the augmentation's time)
  for (let h = 1; h <= 7; h++) {
    const step = (2 * Math.PI * f * h) / rate;
    const cs = Math.cos(step);
    const sn = Math.sin(step);
    let re = Math.cos(h * phase);
    let im = Math.sin(h * phase);
    for (let i = 0; i < n; i++) {
      hum[i] += im / h;
      const t = re * cs - im * sn;
      im = im * cs + re * sn;
      re = t;
    }
  }
  let hp = 0;
  for (let i = 0; i < n; i++) hp += hum[i]! * hum[i]!;
  const g = Math.sqrt((0.25 * p) / (n ? hp / n : 0));
  for (let i = 0; i < n; i++) out[i] += g * hum[i]!;
  return out;
}

/**
 * Babble: `talkers` clips from `pool`, each at equal power, looped from a random offset to
 * length n and summed. The pool should not hold the clip being augmented (nor, in
 * cross-validation, the held-out speaker).
 */
export function babbleNoise(n: number, pool: readonly Float32Array[], rng: Rng, talkers = 4): Float32Array {
  const out = new Float32Array(n);
  if (pool.length === 0) return out;
  for (let t = 0; t < talkers; t++) {
    const src = pool[Math.floor(rng() * pool.length)]!;
    const g = 1 / Math.sqrt(meanPower(src) + 1e-20);
    let j = Math.floor(rng() * src.length);
    for (let i = 0; i < n; i++) {
      out[i] += src[j]! * g;
      if (++j === src.length) j = 0;
    }
  }
  return out;
}

/**
 * x + noise scaled so that signal power / noise power is `snrDb`. The signal power is x's mean
 * square unless given (pass the unpadded speech's power when x holds added silence).
 */
export function addNoise(x: Float32Array, noise: Float32Array, snrDb: number, signalPower = meanPower(x)): Float32Array {
  const px = signalPower;
  const pn = meanPower(noise.length === x.length ? noise : noise.subarray(0, x.length));
  const g = pn > 0 ? Math.sqrt(px / (pn * 10 ** (snrDb / 10))) : 0;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! + g * (noise[i] ?? 0);
  return out;
}
