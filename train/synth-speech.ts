import type { Clip } from "../data/fsdd.ts";
import { cachedSpeak, prefetchSpeech } from "../data/synth/tts-cache.ts";
import type { TtsVoice } from "../data/synth/tts.ts";
import {
  DIGIT_SPOKEN,
  FESTIVAL_TRAIN_VOICES,
  ROOM_TRAIN_VOICES,
  TRAIN_SPEECH_SENTENCES,
  TRAIN_SPEECH_VOICES,
  TRAIN_SPEECH_WORDS,
  WIDE_TRAIN_VOICES,
} from "../data/synth/room-voices.ts";
import { trainListWords } from "../data/synth/train-word-list.ts";
import { applyGain, meanPower, seededRng, uniform } from "../data/synth/signals.ts";

/**
 * Synthetic speech in training (espeak-ng, the training voices of data/synth/room-voices.ts only):
 * digits as positives and non-digit words and sentences from the same voices as non-digits, so
 * that "synthetic" is no cue for rejection; zero also said "oh".
 */
export interface SynthSpeechOptions {
  /** Takes of each digit word per voice (each at its own rate and pitch); 0 turns synthetic speech off. */
  digitTakes: number;
  /** Takes of "oh" (class 0) per voice, said in turn as in `ohSayings` (default `OH_SAYINGS`). */
  ohTakes: number;
  ohSayings?: string[];
  /**
   * More takes of "four" per voice: "oh" is the vowel of "four" without its weak /f/, so the
   * "oh" takes would otherwise pull "four" towards zero.
   */
  fourTakes?: number;
  /** Voices each non-digit word is said by, and each sentence. */
  wordVoices: number;
  sentenceVoices: number;
  /**
   * Words of the common-English list (data/synth/train-words.txt) said as non-digits, each by one
   * voice (absent: none). They are many, so they get `listCopies` augmented copies each rather
   * than the recipe's count.
   */
  listWords?: number;
  listCopies?: number;
  /** The voices: all training voices (default), the 27 of the room recipe, or those and 16 more (`WIDE_TRAIN_VOICES`). */
  voices?: "all" | "room" | "wide";
  /** Whether festival's training voices (another synthesiser: FESTIVAL_TRAIN_VOICES) speak too, after the others. */
  festival?: boolean;
  /** Whether takes of a word end in `TAKE_MARKS` (default) or are all the plain word. */
  takeMarks?: boolean;
}

export const NO_SYNTH_SPEECH: SynthSpeechOptions = { digitTakes: 0, ohTakes: 0, wordVoices: 0, sentenceVoices: 0 };

/**
 * Take t of a word ends in `TAKE_MARKS[t % 4]`: said flat, as a question, as an exclamation, cut
 * short as in a list, so that a voice's takes differ in intonation and length too.
 */
export const TAKE_MARKS = ["", "?", "!", ","];

/**
 * How "oh" is put to espeak-ng: the word with the marks of `TAKE_MARKS`, then as phonemes (a
 * lengthened diphthong, a plain long /o:/), so that the takes are not all one rule's reading.
 */
export const OH_SAYINGS = ["oh", "oh?", "oh!", "oh,", "[['oU:]]", "[['o:]]"];

/** A take: the voice at a rate and pitch drawn around its own (festival: duration stretch and mean pitch). */
function take(v: TtsVoice, rng: () => number): TtsVoice {
  if (v.engine === "festival") {
    const stretch = Math.round(100 * (v.stretch ?? 1) * uniform(rng, 0.85, 1.2)) / 100;
    const f0 = Math.round(uniform(rng, -10, 10));
    // an HTS voice ignores both, so its takes are one clip (cached once)
    if (v.voice.endsWith("_hts")) return v;
    return { ...v, stretch, ...(v.f0 !== undefined && { f0: v.f0 + f0 }) };
  }
  return {
    ...v,
    rate: Math.round((v.rate ?? 175) * uniform(rng, 0.85, 1.15)),
    pitch: Math.max(0, Math.min(99, (v.pitch ?? 50) + Math.round(uniform(rng, -10, 10)))),
  };
}

/** Synthetic training clips: digits (labels 0-9), non-digits (−1), and the list's non-digit words (−1). */
export interface SynthSpeechClips {
  digits: Clip[];
  nondigits: Clip[];
  listWords: Clip[];
}

/**
 * Synthetic speech at `rate`, each clip at a level drawn from −32…−20 dBFS. The same for every
 * member and fold: fixed seeds, not the recipe's.
 */
export function synthSpeechClips(o: SynthSpeechOptions, rate: number, speak = cachedSpeak): SynthSpeechClips {
  if (o.festival && speak === cachedSpeak) {
    // the clips festival must say, found by a dry run, are said in a few festival processes
    const wanted: { voice: TtsVoice; text: string }[] = [];
    synthSpeechClips(o, rate, (voice, text) => (wanted.push({ voice, text }), new Float32Array(1)));
    prefetchSpeech(wanted, rate);
  }
  const out: SynthSpeechClips = { digits: [], nondigits: [], listWords: [] };
  if (o.digitTakes + o.ohTakes + o.wordVoices + o.sentenceVoices + (o.listWords ?? 0) === 0) return out;
  const rng = seededRng(7919);
  const clip = (v: TtsVoice, text: string, label: number, index: number, r = rng): Clip => {
    const x = speak(v, text, rate);
    const level = uniform(r, -32, -20) - 10 * Math.log10(meanPower(x) + 1e-20);
    return { path: `${label < 0 ? "x" : label}_${text}_${v.voice}`, label, speaker: `synth-${v.voice}`, index, sampleRate: rate, samples: applyGain(x, level) };
  };
  const own = o.voices === "room" ? ROOM_TRAIN_VOICES : o.voices === "wide" ? WIDE_TRAIN_VOICES : TRAIN_SPEECH_VOICES;
  const voices = [...own, ...(o.festival ? FESTIVAL_TRAIN_VOICES : [])];
  const marks = o.takeMarks === false ? [""] : TAKE_MARKS;
  for (const voice of voices) {
    const say = (word: string, label: number, takes: number, first = 0) => {
      for (let t = first; t < first + takes; t++) out.digits.push(clip(take(voice, rng), `${word}${marks[t % marks.length]}`, label, t));
    };
    for (let d = 0; d < 10; d++) say(DIGIT_SPOKEN[d]![0]!, d, o.digitTakes);
    const oh = o.ohSayings ?? OH_SAYINGS;
    for (let t = 0; t < o.ohTakes; t++) out.digits.push(clip(take(voice, rng), oh[t % oh.length]!, 0, t));
    say("four", 4, o.fourTakes ?? 0, o.digitTakes);
  }
  TRAIN_SPEECH_WORDS.forEach((w, i) => {
    for (let k = 0; k < o.wordVoices; k++) out.nondigits.push(clip(take(voices[(i * 7 + k * 11) % voices.length]!, rng), w, -1, k));
  });
  TRAIN_SPEECH_SENTENCES.forEach((s, i) => {
    for (let k = 0; k < o.sentenceVoices; k++) out.nondigits.push(clip(take(voices[(i * 5 + k * 13) % voices.length]!, rng), s, -1, k));
  });
  // its own stream, so the count asked for leaves the clips above as they are
  const listRng = seededRng(104729);
  const list = trainListWords();
  const n = Math.min(o.listWords ?? 0, list.length);
  for (let i = 0; i < n; i++) {
    // spread over the whole list, whatever the count
    const w = list[Math.floor((i * list.length) / n)]!;
    out.listWords.push(clip(take(voices[(i * 13) % voices.length]!, listRng), w, -1, i, listRng));
  }
  return out;
}
