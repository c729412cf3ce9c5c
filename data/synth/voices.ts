import type { Rng } from "./signals.ts";
import type { TtsVoice } from "./tts.ts";

/** How FSDD's labels are spoken. */
export const DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

/** A grid of synthetic digit voices. */
interface VoiceGrid {
  espeakAccents: string[];
  espeakVariants: string[];
  flite: { voice: string; stretch?: number; f0?: number }[];
}

const FLITE_VOICES = ["kal", "kal16", "awb", "rms", "slt"];

/**
 * `standard`: the set recipes were compared on. `fresh`: other accents, other (named) espeak
 * variants and flite voices at other pitches, kept for an unbiased final figure.
 */
export const VOICE_GRIDS: Record<"standard" | "fresh", VoiceGrid> = {
  standard: {
    espeakAccents: ["en-us", "en-gb", "en-gb-scotland", "en-029"],
    espeakVariants: ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5"],
    flite: FLITE_VOICES.flatMap((voice) => [0.9, 1, 1.2].map((stretch) => ({ voice, stretch }))),
  },
  fresh: {
    espeakAccents: ["en-us-nyc", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd"],
    espeakVariants: ["m8", "Alex", "Andy", "david", "john", "Michael", "Annie", "Alicia", "belinda", "linda", "steph", "anika"],
    flite: [
      ...["kal", "kal16", "awb", "rms"].flatMap((voice) => [95, 140].map((f0) => ({ voice, f0, stretch: 1.1 }))),
      { voice: "slt", f0: 160, stretch: 1.1 },
      { voice: "slt", f0: 230, stretch: 1.1 },
    ],
  },
};

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

/**
 * The voices of a synthetic digit set: espeak-ng accents × male and female variants, each
 * utterance at a rate and pitch drawn from the seed, and flite voices at set speeds or pitches.
 * Returns one voice per (voice, digit) pair so each clip has its own settings.
 */
export function digitVoices(rng: Rng, grid: VoiceGrid = VOICE_GRIDS.standard): { voice: TtsVoice; digit: number }[] {
  const out: { voice: TtsVoice; digit: number }[] = [];
  for (const accent of grid.espeakAccents) {
    for (const variant of grid.espeakVariants) {
      for (let digit = 0; digit < 10; digit++) {
        out.push({
          digit,
          voice: { engine: "espeak-ng", voice: `${accent}+${variant}`, rate: pick(rng, [130, 150, 175, 200]), pitch: pick(rng, [35, 50, 65]) },
        });
      }
    }
  }
  for (const f of grid.flite) {
    for (let digit = 0; digit < 10; digit++) out.push({ digit, voice: { engine: "flite", ...f } });
  }
  return out;
}

/**
 * Non-digit speech, in two disjoint halves (words and voices alike): `train` may teach a model
 * what to reject, `eval` measures false accepts. Rhymes of digit words are kept apart so their
 * (harder) false-accept rate can be reported on its own. No digit word or homophone appears.
 */
export const NONDIGIT_TEXT = {
  eval: {
    words: [
      "hello",
      "yes",
      "no",
      "stop",
      "go",
      "left",
      "right",
      "up",
      "down",
      "start",
      "cancel",
      "okay",
      "please",
      "thanks",
      "sorry",
      "coffee",
      "water",
      "music",
      "morning",
      "evening",
      "weather",
      "table",
      "window",
      "garden",
      "yellow",
      "purple",
      "orange",
      "banana",
      "pizza",
      "doctor",
      "mountain",
      "river",
      "city",
      "happy",
      "quickly",
      "tomorrow",
      "computer",
      "telephone",
      "kitchen",
      "blue",
    ],
    rhymes: ["hero", "shoe", "tree", "door", "hive", "sticks", "heaven", "late", "line", "fun"],
    sentences: [
      "what time is it",
      "turn on the lights",
      "I would like a cup of tea",
      "the weather is nice today",
      "can you hear me",
      "please call me back later",
      "where is the station",
      "this is a test",
      "good morning everyone",
      "open the door please",
      "how are you doing",
      "let me think about it",
    ],
  },
  train: {
    words: [
      "apple",
      "house",
      "car",
      "dog",
      "cat",
      "green",
      "red",
      "black",
      "white",
      "small",
      "big",
      "fast",
      "slow",
      "book",
      "paper",
      "pencil",
      "chair",
      "light",
      "dark",
      "night",
      "day",
      "sun",
      "moon",
      "star",
      "bread",
      "cheese",
      "milk",
      "hand",
      "foot",
      "head",
      "again",
      "maybe",
      "never",
      "always",
      "hurry",
      "answer",
      "question",
      "problem",
      "office",
      "money",
    ],
    rhymes: ["gun", "you", "free", "more", "drive", "mix", "eleven", "gate", "mine", "wait"],
    sentences: [
      "send the message now",
      "I am not sure",
      "see you tomorrow",
      "the train is late again",
      "do you want some water",
      "that sounds like a good idea",
      "my phone is ringing",
      "close the window",
      "it is very cold outside",
      "thank you very much",
      "where did you put my keys",
      "I will be there soon",
    ],
  },
} as const;

/** Voices of the two non-digit halves (disjoint from each other). */
export const NONDIGIT_VOICES: Record<"eval" | "train", TtsVoice[]> = {
  eval: [
    { engine: "espeak-ng", voice: "en-us+m3", rate: 160 },
    { engine: "espeak-ng", voice: "en-gb+f2", rate: 170 },
    { engine: "espeak-ng", voice: "en-029+m5", rate: 150 },
    { engine: "espeak-ng", voice: "en-gb-scotland+f4", rate: 180 },
    { engine: "flite", voice: "slt" },
    { engine: "flite", voice: "rms" },
  ],
  train: [
    { engine: "espeak-ng", voice: "en-us-nyc+m2", rate: 165 },
    { engine: "espeak-ng", voice: "en-gb-x-rp+f1", rate: 155 },
    { engine: "espeak-ng", voice: "en-gb-x-gbclan+m6", rate: 175 },
    { engine: "flite", voice: "kal" },
    { engine: "flite", voice: "awb" },
  ],
};
