import { type Rng, brownInPlace, pinkInPlace } from "../data/synth/signals.ts";

/**
 * The noises of training augmentation (white, pink, brown, hum, babble), written into one
 * reusable buffer with their mean power, for mixing under speech at an SNR (`mixAtSnr`).
 *
 * Augmentation draws about a billion noise samples per `bun train`: Box-Muller (a log, a square
 * root, a sine and a cosine per pair, through a closure) was most of its time. Here each copy
 * draws one seed from the recipe's random stream, and its samples come from a mulberry32 stream
 * inlined in the loop, each 32-bit draw giving two standard normal deviates by a 65,536-entry
 * inverse-CDF table (equiprobable quantiles: the normal distribution to ±4.3σ). The colouring
 * filters are those of data/synth/signals.ts, run in the same loop.
 */

const TABLE_BITS = 16;

/** Φ⁻¹((i + ½) / 2^16) for every i: a normal deviate per 16 random bits. */
const NORMAL_QUANTILES: Float32Array = (() => {
  const n = 1 << TABLE_BITS;
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) t[i] = inverseNormal((i + 0.5) / n);
  return t;
})();

/** Acklam's rational approximation of the standard normal quantile (relative error below 1.2e-9). */
function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

export type ColouredNoise = "white" | "pink" | "brown";

/** n samples of white, pink (Paul Kellet's filter) or brown (leaky integral) Gaussian noise into `out`; returns their mean square. */
export function colouredNoise(out: Float32Array, n: number, kind: ColouredNoise, seed: number): number {
  whiteInto(out, n, seed);
  if (kind === "pink") return pinkInPlace(out, n);
  if (kind === "brown") return brownInPlace(out, n);
  return meanSquare(out, n);
}

/** Standard normal deviates: mulberry32 (as seededRng, inlined), 16 bits per deviate through the quantile table. */
function whiteInto(out: Float32Array, n: number, seed: number): void {
  const table = NORMAL_QUANTILES;
  let a = seed | 0;
  const pairs = n >> 1;
  for (let i = 0; i < pairs; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    t ^= t >>> 14;
    out[2 * i] = table[t >>> TABLE_BITS]!;
    out[2 * i + 1] = table[t & 0xffff]!;
  }
  if (n & 1) out[n - 1] = table[(seed ^ n) & 0xffff]!;
}

function meanSquare(x: Float32Array, n: number): number {
  let power = 0;
  for (let i = 0; i < n; i++) power += x[i]! * x[i]!;
  return n ? power / n : 0;
}

/** One period of mains hum (harmonics 1-7 at 1/h) at `hz`, sampled at `rate`, of a whole number of samples. */
const humPeriods = new Map<string, Float64Array>();
function humPeriod(hz: number, rate: number): Float64Array {
  const key = `${hz}/${rate}`;
  let p = humPeriods.get(key);
  if (!p) {
    // the shortest run of samples holding whole cycles (rate / gcd(rate, hz))
    const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
    const len = rate / gcd(rate, hz);
    p = new Float64Array(len);
    for (let i = 0; i < len; i++) for (let h = 1; h <= 7; h++) p[i] += Math.sin((2 * Math.PI * hz * h * i) / rate) / h;
    humPeriods.set(key, p);
  }
  return p;
}

/**
 * Pink noise with mains hum (50 or 60 Hz and harmonics to the 7th, falling as 1/h) of 20 % of the
 * power, as `humNoise` in data/synth/signals.ts; the hum starts at a drawn point of its period.
 */
export function humNoiseInto(out: Float32Array, n: number, rate: number, rng: Rng): number {
  const p = colouredNoise(out, n, "pink", (rng() * 2 ** 32) >>> 0);
  const hz = rng() < 0.5 ? 50 : 60;
  const period = humPeriod(hz, rate);
  let j = Math.floor(rng() * period.length);
  let hp = 0;
  for (let i = 0; i < n; i++) {
    hp += period[j]! * period[j]!;
    if (++j === period.length) j = 0;
  }
  const g = n && hp > 0 ? Math.sqrt((0.25 * p) / (hp / n)) : 0;
  j -= n % period.length;
  if (j < 0) j += period.length;
  let power = 0;
  for (let i = 0; i < n; i++) {
    const v = out[i]! + g * period[j]!;
    out[i] = v;
    power += v * v;
    if (++j === period.length) j = 0;
  }
  return n ? power / n : 0;
}

/** Mean square of each clip of a babble pool, computed once per clip. */
const clipPower = new WeakMap<Float32Array, number>();
function powerOf(x: Float32Array): number {
  let p = clipPower.get(x);
  if (p === undefined) {
    p = meanSquare(x, x.length);
    clipPower.set(x, p);
  }
  return p;
}

/** Babble as `babbleNoise` in data/synth/signals.ts (`talkers` clips of `pool` at equal power, each looped from a drawn offset), into `out`. */
export function babbleInto(out: Float32Array, n: number, pool: readonly Float32Array[], rng: Rng, talkers = 4): number {
  out.fill(0, 0, n);
  if (pool.length === 0) return 0;
  for (let t = 0; t < talkers; t++) {
    const src = pool[Math.floor(rng() * pool.length)]!;
    const g = 1 / Math.sqrt(powerOf(src) + 1e-20);
    let j = Math.floor(rng() * src.length);
    for (let i = 0; i < n; i++) {
      out[i] += src[j]! * g;
      if (++j === src.length) j = 0;
    }
  }
  return meanSquare(out, n);
}

/**
 * `before` zeros, `speech`, `after` zeros, plus `noise` (mean square `noisePower`) scaled to
 * `snrDb` below `speechPower`, all times `gain`: padding, noise and gain of an augmented copy
 * in one pass, into `into` when it is long enough (a view of its start is returned), else a new array.
 */
export function mixAtSnr(
  speech: Float32Array,
  before: number,
  after: number,
  noise: Float32Array | null,
  noisePower: number,
  snrDb: number,
  speechPower: number,
  gain: number,
  into?: Float32Array,
): Float32Array {
  const n = before + speech.length + after;
  const out = into && into.length >= n ? into.subarray(0, n) : new Float32Array(n);
  const g = noise && noisePower > 0 ? gain * Math.sqrt(speechPower / (noisePower * 10 ** (snrDb / 10))) : 0;
  if (g === 0) {
    out.fill(0, 0, before);
    for (let i = 0; i < speech.length; i++) out[before + i] = speech[i]! * gain;
    out.fill(0, before + speech.length, n);
    return out;
  }
  const z = noise!;
  for (let i = 0; i < before; i++) out[i] = g * z[i]!;
  for (let i = 0, k = before; i < speech.length; i++, k++) out[k] = gain * speech[i]! + g * z[k]!;
  for (let k = before + speech.length; k < n; k++) out[k] = g * z[k]!;
  return out;
}
