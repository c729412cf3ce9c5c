import type { Clip } from "../data/fsdd.ts";
import { cachedSpeak } from "../data/synth/tts-cache.ts";
import type { TtsVoice } from "../data/synth/tts.ts";
import { DIGIT_SPOKEN, TRAIN_SPEECH_SENTENCES, TRAIN_SPEECH_VOICES, TRAIN_SPEECH_WORDS } from "../data/synth/room-voices.ts";
import { applyGain, meanPower, seededRng, uniform } from "../data/synth/signals.ts";

/**
 * Synthetic speech in training (espeak-ng, the training voices of data/synth/room-voices.ts only):
 * digits as positives and non-digit words and sentences from the same voices as non-digits, so
 * that "synthetic" is no cue for rejection; zero also said "oh".
 */
export interface SynthSpeechOptions {
  /** Takes of each digit word per voice (each at its own rate and pitch); 0 turns synthetic speech off. */
  digitTakes: number;
  /** Takes of "oh" (class 0) per voice. */
  ohTakes: number;
  /** Voices each non-digit word is said by, and each sentence. */
  wordVoices: number;
  sentenceVoices: number;
}

export const NO_SYNTH_SPEECH: SynthSpeechOptions = { digitTakes: 0, ohTakes: 0, wordVoices: 0, sentenceVoices: 0 };

/** A take: the voice at a rate and pitch drawn around its own. */
function take(v: TtsVoice, rng: () => number): TtsVoice {
  return {
    ...v,
    rate: Math.round((v.rate ?? 175) * uniform(rng, 0.85, 1.15)),
    pitch: Math.max(0, Math.min(99, (v.pitch ?? 50) + Math.round(uniform(rng, -10, 10)))),
  };
}

/**
 * Digit clips (labels 0-9) and non-digit clips (label −1) of synthetic speech at `rate`, each at a
 * level drawn from −32…−20 dBFS. The same for every member and fold: a fixed seed, not the recipe's.
 */
export function synthSpeechClips(o: SynthSpeechOptions, rate: number, speak = cachedSpeak): { digits: Clip[]; nondigits: Clip[] } {
  const digits: Clip[] = [];
  const nondigits: Clip[] = [];
  if (o.digitTakes + o.ohTakes + o.wordVoices + o.sentenceVoices === 0) return { digits, nondigits };
  const rng = seededRng(7919);
  const clip = (v: TtsVoice, text: string, label: number, index: number): Clip => {
    const x = speak(v, text, rate);
    const level = uniform(rng, -32, -20) - 10 * Math.log10(meanPower(x) + 1e-20);
    return { path: `${label < 0 ? "x" : label}_${text}_${v.voice}`, label, speaker: `synth-${v.voice}`, index, sampleRate: rate, samples: applyGain(x, level) };
  };
  for (const voice of TRAIN_SPEECH_VOICES) {
    for (let d = 0; d < 10; d++) for (let t = 0; t < o.digitTakes; t++) digits.push(clip(take(voice, rng), DIGIT_SPOKEN[d]![0]!, d, t));
    for (let t = 0; t < o.ohTakes; t++) digits.push(clip(take(voice, rng), "oh", 0, t));
  }
  const voices = TRAIN_SPEECH_VOICES;
  TRAIN_SPEECH_WORDS.forEach((w, i) => {
    for (let k = 0; k < o.wordVoices; k++) nondigits.push(clip(take(voices[(i * 7 + k * 11) % voices.length]!, rng), w, -1, k));
  });
  TRAIN_SPEECH_SENTENCES.forEach((s, i) => {
    for (let k = 0; k < o.sentenceVoices; k++) nondigits.push(clip(take(voices[(i * 5 + k * 13) % voices.length]!, rng), s, -1, k));
  });
  return { digits, nondigits };
}
