/** What the guided enrolment asks for, in order, and how it judges a take. */
import { DIGIT_WORDS } from "../../../data/synth/voices.ts";

export type PromptKind = "digit" | "oh" | "phrase" | "room";

export interface Prompt {
  kind: PromptKind;
  /** The digit the take says (0 for "oh"); −1 for phrases and the room. */
  label: number;
  /** What the screen asks for, e.g. "say SEVEN". */
  text: string;
  /** Prompts that may be skipped ("oh", phrases). */
  optional: boolean;
}

export const ROOM_SECONDS = 3;

/** A small seeded shuffle (the order differs between enrolments, not between renders). */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * Rounds of the ten digits, each round in its own shuffled order; then "oh" (0 as the letter O,
 * twice unless turned off), the non-digit phrases and a few seconds of the room.
 */
export function enrolmentPlan(o: { takes: number; oh: boolean; phrases: number }, random: () => number = Math.random): Prompt[] {
  const prompts: Prompt[] = [];
  for (let r = 0; r < o.takes; r++) {
    for (const d of shuffled([...Array(10).keys()], random))
      prompts.push({ kind: "digit", label: d, text: `say ${DIGIT_WORDS[d]!.toUpperCase()}`, optional: false });
  }
  if (o.oh) for (let i = 0; i < 2; i++) prompts.push({ kind: "oh", label: 0, text: 'say OH (zero as the letter O, as in "five oh two")', optional: true });
  for (let i = 0; i < o.phrases; i++)
    prompts.push({ kind: "phrase", label: -1, text: 'say a short phrase that is not a digit (e.g. "hello there", "what?", "okay")', optional: true });
  prompts.push({ kind: "room", label: -1, text: `stay quiet for ${ROOM_SECONDS} seconds: the room's own noise`, optional: true });
  return prompts;
}

/** What the current model made of a take. */
export interface Heard {
  digit?: number;
  confidence?: number;
  rejected?: string;
}

export type TakeFlag = "other-digit" | "clipped" | "too-quiet";

export const FLAG_TEXT: Record<TakeFlag, string> = {
  "other-digit": "heard confidently as another digit — press r to redo it if you said the prompted one",
  clipped: "clipped (too loud: move back from the microphone or turn its gain down), r to redo",
  "too-quiet": "too quiet (come closer or raise the microphone's gain), r to redo",
};

/** Peak (dBFS) at or above which a take counts as clipped, and below which as too quiet. */
export const CLIP_DBFS = -0.1;
export const QUIET_DBFS = -30;
/** Confidence with which the model hearing another digit flags a take. */
export const OTHER_DIGIT_CONFIDENCE = 0.8;

export function peakDbfs(x: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]!));
  return peak > 0 ? 20 * Math.log10(peak) : -Infinity;
}

/** What is wrong with a take of `prompt`, if anything. */
export function takeFlags(prompt: Prompt, samples: Float32Array, heard: Heard): TakeFlag[] {
  const flags: TakeFlag[] = [];
  if (prompt.label >= 0 && heard.digit !== undefined && heard.digit !== prompt.label && (heard.confidence ?? 0) >= OTHER_DIGIT_CONFIDENCE)
    flags.push("other-digit");
  if (prompt.kind === "room") return flags;
  const peak = peakDbfs(samples);
  if (peak >= CLIP_DBFS) flags.push("clipped");
  else if (peak < QUIET_DBFS) flags.push("too-quiet");
  return flags;
}
