import type { Clip } from "../data/fsdd.ts";
import { SOUND_KINDS, makeSound } from "../data/synth/sounds.ts";
import { applyGain, meanPower, seededRng, uniform } from "../data/synth/signals.ts";

/** What non-digit clips training may use to teach rejection (none of it is synthetic speech). */
export interface NonDigitOptions {
  /** Synthesised non-speech sounds per kind (click, burst, cough, knock, clap, beep, breath). */
  soundsPerKind: number;
  /** Fraction of the training clips also used time-reversed (speech-like, but no digit). */
  reversed: number;
  /**
   * Chimeras per training clip: the start of one digit joined to the end of another digit
   * (e.g. "fi-" + "-ine"), made-up words in the training speakers' own voices.
   */
  chimeras: number;
  /** Fragments per training clip: the first or last 30-55 % of a digit alone ("sev", "ive"). */
  fragments: number;
  seed: number;
}

export const NO_NONDIGITS: NonDigitOptions = { soundsPerKind: 0, reversed: 0, chimeras: 0, fragments: 0, seed: 0 };

/** Sample index where the middle `at` fraction of a clip's energy is reached (cuts fall inside the word, not its silences). */
function energyPoint(x: Float32Array, at: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) total += x[i]! * x[i]!;
  let acc = 0;
  for (let i = 0; i < x.length; i++) {
    acc += x[i]! * x[i]!;
    if (acc >= at * total) return i;
  }
  return x.length;
}

/** a then b with a 10 ms crossfade, b scaled to a's level. */
function join(a: Float32Array, b: Float32Array, rate: number): Float32Array {
  const fade = Math.min(Math.round(0.01 * rate), a.length, b.length);
  const gain = Math.sqrt((meanPower(a) + 1e-20) / (meanPower(b) + 1e-20));
  const out = new Float32Array(a.length + b.length - fade);
  out.set(a);
  for (let i = 0; i < b.length; i++) {
    const j = a.length - fade + i;
    const w = i < fade ? i / fade : 1;
    out[j] = (i < fade ? out[j]! * (1 - w) : 0) + b[i]! * gain * w;
  }
  return out;
}

/**
 * Non-digit training clips, labelled −1: synthesised sounds at random levels, and time-reversed
 * training clips. Deterministic for a seed and clip list.
 */
export function nonDigitClips(clips: Clip[], rate: number, o: NonDigitOptions): Clip[] {
  const rng = seededRng(o.seed * 65537 + 101);
  const out: Clip[] = [];
  for (const kind of SOUND_KINDS) {
    for (let i = 0; i < o.soundsPerKind; i++) {
      const x = makeSound(kind, rate, rng);
      const level = uniform(rng, -40, -15) - 10 * Math.log10(meanPower(x) + 1e-20);
      out.push({ path: `x_sound_${kind}_${i}`, label: -1, speaker: "sound", index: i, sampleRate: rate, samples: applyGain(x, level) });
    }
  }
  const bySpeaker = new Map<string, Clip[]>();
  for (const c of clips) bySpeaker.set(c.speaker, [...(bySpeaker.get(c.speaker) ?? []), c]);
  const count = (rate: number) => Math.floor(rate) + (rng() < rate - Math.floor(rate) ? 1 : 0);
  for (const c of clips) {
    if (o.reversed > 0 && rng() < o.reversed) {
      out.push({ ...c, path: `x_reversed_${c.path}`, label: -1, samples: c.samples.slice().reverse() });
    }
    const same = bySpeaker.get(c.speaker)!;
    for (let k = count(o.chimeras); k > 0; k--) {
      const other = same[Math.floor(rng() * same.length)]!;
      if (other.label === c.label) continue;
      const head = c.samples.subarray(0, energyPoint(c.samples, uniform(rng, 0.3, 0.6)));
      const tail = other.samples.subarray(energyPoint(other.samples, uniform(rng, 0.4, 0.7)));
      out.push({ ...c, path: `x_chimera_${c.path}+${other.path}`, label: -1, samples: join(head, tail, rate) });
    }
    for (let k = count(o.fragments); k > 0; k--) {
      const first = rng() < 0.5;
      const cut = energyPoint(c.samples, first ? uniform(rng, 0.3, 0.55) : uniform(rng, 0.45, 0.7));
      const samples = first ? c.samples.slice(0, cut) : c.samples.slice(cut);
      out.push({ ...c, path: `x_fragment_${c.path}`, label: -1, samples });
    }
  }
  return out;
}
