import { type Rng, meanPower, padSilence, uniform } from "../data/synth/signals.ts";
import { babbleInto, colouredNoise, humNoiseInto, mixAtSnr } from "./augment-noise.ts";
import { babble } from "../data/synth/room-streams.ts";
import { changeSpeed, randomEq, reverberate, telephone } from "./augment.ts";
import type { BandMask } from "./band-mask.ts";

export type NoiseKind = "white" | "pink" | "brown" | "hum" | "babble";
export const NOISE_KINDS: readonly NoiseKind[] = ["white", "pink", "brown", "hum", "babble"];

/** Noise of `kind` into `out` (n samples); returns its mean square. */
function makeNoise(kind: NoiseKind, out: Float32Array, n: number, rate: number, rng: Rng, babblePool: readonly Float32Array[]): number {
  switch (kind) {
    case "white":
    case "pink":
    case "brown":
      return colouredNoise(out, n, kind, (rng() * 2 ** 32) >>> 0);
    case "hum":
      return humNoiseInto(out, n, rate, rng);
    case "babble":
      return babbleInto(out, n, babblePool, rng);
  }
}

/** Scratch for one copy's noise, reused: a copy's noise is mixed before the next is made. */
let noiseScratch = new Float32Array(0);
function noiseBuffer(n: number): Float32Array {
  if (noiseScratch.length < n) noiseScratch = new Float32Array(Math.max(n, 2 * noiseScratch.length));
  return noiseScratch;
}

/** The copies of `augmentCopy(…, reuse = true)`: each overwrites the last. */
let copyScratch = new Float32Array(0);
function copyBuffer(n: number): Float32Array {
  if (copyScratch.length < n) copyScratch = new Float32Array(Math.max(n, 2 * copyScratch.length));
  return copyScratch;
}

/** Babble of n samples: a drawn number of distinct talkers from `pool`, each a run of its own clips. */
function roomOfTalkers(n: number, rate: number, o: AugmentOptions, rng: Rng, pool: TalkerPool): Float32Array {
  const [lo, hi] = o.babbleTalkers ?? [4, 4];
  const count = Math.min(pool.length, lo + Math.floor(rng() * (hi - lo + 1)));
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(rng() * pool.length));
  return babble(
    n,
    [...chosen].map((i) => pool[i]!),
    rate,
    rng,
  );
}

/** How each augmented copy of a training clip is made. Probabilities are per copy. */
export interface AugmentOptions {
  /** Augmented copies per clip; the clean clip is always kept too. 0 turns augmentation off. */
  copies: number;
  /** Speed factor drawn uniformly from [1 − speed, 1 + speed] (duration, pitch and formants change). */
  speed: number;
  /**
   * Mel-filterbank warp (VTLP) drawn log-uniformly from this range (see `warpFrequency`): a
   * warp below 1 makes a voice look as if its vocal tract were shorter (formants higher, as in
   * women's and children's voices). [1, 1] turns it off.
   */
  warp: [number, number];
  /** Pitch shift in semitones drawn uniformly from this range: speed r with the filterbank warped by r, so formants stay put. */
  pitchSemitones: [number, number];
  /** Probability that a copy gets the warp and pitch shift at all (the others keep the voice as it is). */
  voiceProbability: number;
  /** Probability of additive noise, its SNR range in dB (against the clip's own power) and kinds. */
  noise: number;
  snrDb: [number, number];
  noiseKinds: NoiseKind[];
  /** Gain drawn uniformly from this range in dB. */
  gainDb: [number, number];
  /** Probability of silence padding, and the seconds added on each side. */
  pad: number;
  padSeconds: [number, number];
  /** Probability of synthetic room reverberation, and its RT60 range in seconds. */
  reverb: number;
  rt60: [number, number];
  /** Probability of a telephone channel (300-3400 Hz, 8-bit µ-law). */
  telephone: number;
  /** Probability of a random microphone colouring (high-pass, shelves, a peak), and its largest gain in dB. */
  eq: number;
  eqDb: number;
  /**
   * Probability of masking a run of mel bands (1 … maskBands wide) in a copy's features, as in
   * SpecAugment: the band is flattened to its frame's mean, so no one formant region can carry a
   * decision. Absent means 0.
   */
  bandMask?: number;
  maskBands?: number;
  /**
   * Probability that a copy's noise is a room of people talking instead of one of `noiseKinds`:
   * `babbleTalkers` talkers (drawn from the range), each saying clip after clip of one speaker
   * with short gaps, mixed at equal power at an SNR drawn from `babbleSnrDb`. Absent means 0
   * (and the random stream of the other settings stays as it was).
   */
  babble?: number;
  babbleSnrDb?: [number, number];
  babbleTalkers?: [number, number];
}

export const NO_AUGMENTATION: AugmentOptions = {
  copies: 0,
  speed: 0,
  warp: [1, 1],
  pitchSemitones: [0, 0],
  voiceProbability: 1,
  noise: 0,
  snrDb: [10, 30],
  noiseKinds: ["white", "pink", "babble"],
  gainDb: [0, 0],
  pad: 0,
  padSeconds: [0.2, 0.5],
  reverb: 0,
  rt60: [0.15, 0.6],
  telephone: 0,
  eq: 0,
  eqDb: 10,
};

/** One augmented copy: the signal, and the filterbank warp its features are taken with. */
export interface AugmentedCopy {
  samples: Float32Array;
  warp: number;
  /** Mel bands to flatten, if any (see band-mask.ts). */
  mask?: BandMask;
}

/** Clips grouped by speaker: each list is what one talker of a babble copy says. */
export type TalkerPool = readonly (readonly Float32Array[])[];

/**
 * Makes one augmented copy of `x` (mono at `rate`). Order: speed/pitch → padding → colouring → room →
 * telephone → noise → gain. `babblePool` holds the clips the `babble` noise kind is mixed from,
 * `talkers` the speakers of `o.babble` (default: each clip of `babblePool` a talker of its own).
 * With `reuse` the copy's samples are a buffer that the next call with `reuse` overwrites (for
 * callers that read each copy once, as training does), else a new array.
 */
export function augmentCopy(
  x: Float32Array,
  rate: number,
  o: AugmentOptions,
  rng: Rng,
  babblePool: readonly Float32Array[],
  talkers?: TalkerPool,
  reuse = false,
): AugmentedCopy {
  const [p0, p1] = o.pitchSemitones;
  const [w0, w1] = o.warp;
  const changesVoice = (p0 !== 0 || p1 !== 0 || w0 !== 1 || w1 !== 1) && rng() < o.voiceProbability;
  const pitchFactor = changesVoice && (p0 !== 0 || p1 !== 0) ? 2 ** (uniform(rng, p0, p1) / 12) : 1;
  const vtlp = changesVoice && (w0 !== 1 || w1 !== 1) ? Math.exp(uniform(rng, Math.log(w0), Math.log(w1))) : 1;
  const speed = o.speed > 0 ? uniform(rng, 1 - o.speed, 1 + o.speed) : 1;
  let y = speed * pitchFactor === 1 ? x : changeSpeed(x, speed * pitchFactor);
  const speechPower = meanPower(y);
  // The padding is written with the noise and gain in one pass (mixAtSnr), unless a filter comes between.
  let before = 0;
  let after = 0;
  if (o.pad > 0 && rng() < o.pad) {
    const [lo, hi] = o.padSeconds;
    before = Math.round(uniform(rng, lo, hi) * rate);
    after = Math.round(uniform(rng, lo, hi) * rate);
  }
  const padded = () => {
    if (before || after) y = padSilence(y, before, after);
    before = after = 0;
    return y;
  };
  if (o.eq > 0 && rng() < o.eq) y = randomEq(padded(), rate, rng, o.eqDb);
  if (o.reverb > 0 && rng() < o.reverb) y = reverberate(padded(), rate, uniform(rng, o.rt60[0], o.rt60[1]), uniform(rng, 0, 10), rng);
  if (o.telephone > 0 && rng() < o.telephone) y = telephone(padded(), rate);
  const n = before + y.length + after;
  let noise: Float32Array | null = null;
  let noisePower = 0;
  let snrDb = 0;
  if (o.babble !== undefined && o.babble > 0 && rng() < o.babble) {
    noise = roomOfTalkers(n, rate, o, rng, talkers ?? babblePool.map((c) => [c]));
    noisePower = meanPower(noise);
    snrDb = uniform(rng, ...(o.babbleSnrDb ?? o.snrDb));
  } else if (o.noise > 0 && o.noiseKinds.length > 0 && rng() < o.noise) {
    const kind = o.noiseKinds[Math.floor(rng() * o.noiseKinds.length)]!;
    noise = noiseBuffer(n);
    noisePower = makeNoise(kind, noise, n, rate, rng, babblePool);
    snrDb = uniform(rng, o.snrDb[0], o.snrDb[1]);
  }
  const [g0, g1] = o.gainDb;
  const gain = g0 !== 0 || g1 !== 0 ? 10 ** (uniform(rng, g0, g1) / 20) : 1;
  y = mixAtSnr(y, before, after, noise, noisePower, snrDb, speechPower, gain, reuse ? copyBuffer(before + y.length + after) : undefined);
  // Warps are rounded so the extractor's filterbank cache stays small.
  const warp = Math.round(pitchFactor * vtlp * 400) / 400;
  // Drawn last and only when asked for, so recipes without it keep their exact random stream.
  if (o.bandMask !== undefined && o.bandMask > 0 && rng() < o.bandMask) {
    return { samples: y, warp, mask: { position: rng(), width: 1 + Math.floor(rng() * (o.maskBands ?? 2)) } };
  }
  return { samples: y, warp };
}
