import { type Rng, uniform, whiteNoise } from "./signals.ts";

/** Semitone steps of a major and a minor triad on a root. */
const TRIADS = [
  [0, 4, 7],
  [0, 3, 7],
];

/**
 * Music-like background: a bass line, sustained chords and a plucked melody (harmonic tones with
 * decaying envelopes, in a key, on a beat), and a soft hi-hat. Harmonic, pitched and changing
 * like speech's vowels, which is what makes music hard for a level-based VAD.
 */
export function makeMusic(n: number, rate: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  const bpm = uniform(rng, 80, 140);
  const beat = Math.round((60 / bpm) * rate);
  const key = 45 + Math.floor(rng() * 12); // MIDI note of the key's root (A2 up to G#3)
  const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);
  const progression = [0, 5, 7, 9].map((d) => ({ root: key + (d === 9 ? 9 : d), triad: TRIADS[d === 9 ? 1 : 0]! }));
  const scale = [0, 2, 4, 5, 7, 9, 11, 12];
  const noise = whiteNoise(Math.round(0.04 * rate), rng);
  for (let b = 0, at = 0; at < n; b++, at += beat) {
    const chord = progression[Math.floor(b / 4) % progression.length]!;
    if (b % 2 === 0) tone(out, at, rate, hz(chord.root - 12), 2 * beat, 0.5, 0.5, 6);
    if (b % 4 === 0) for (const s of chord.triad) tone(out, at, rate, hz(chord.root + 12 + s), 4 * beat, 1.5, 0.18, 8);
    const notes = rng() < 0.7 ? 2 : 1;
    for (let k = 0; k < notes; k++) {
      const pitch = key + 24 + scale[Math.floor(rng() * scale.length)]!;
      tone(out, at + Math.round((k * beat) / notes), rate, hz(pitch), Math.round(beat / notes), 0.25, 0.3, 5);
    }
    // hi-hat on every beat
    for (let i = 0; i < noise.length && at + i < n; i++) out[at + i] += 0.04 * noise[i]! * Math.exp(-i / (0.008 * rate)) * (i % 2 ? -1 : 1);
  }
  return out;
}

/** A harmonic tone (harmonics falling as 1/h) with a 5 ms attack and an exponential decay of `decay` s. */
function tone(out: Float32Array, at: number, rate: number, f0: number, length: number, decay: number, gain: number, harmonics: number): void {
  const attack = Math.round(0.005 * rate);
  for (let i = 0; i < length && at + i < out.length; i++) {
    const t = i / rate;
    let s = 0;
    for (let h = 1; h <= harmonics && h * f0 < rate / 2; h++) s += Math.sin(2 * Math.PI * h * f0 * t) / h;
    const env = Math.min(1, i / attack) * Math.exp(-t / decay) * Math.min(1, (length - i) / attack);
    out[at + i] += gain * env * s;
  }
}
