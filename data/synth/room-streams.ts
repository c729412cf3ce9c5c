import type { Clip } from "../fsdd.ts";
import type { StreamTruth, TruthSegment } from "../../engine/stream-eval.ts";
import { resampleTo } from "../../engine/resampler.ts";
import { type Rng, applyGain, brownNoise, meanPower, seededRng, uniform } from "./signals.ts";
import { makeMusic } from "./music.ts";
import { BABBLE_TEXT, BABBLE_VOICES, ROOM_REMARKS, ROOM_VOICES } from "./room-voices.ts";
import type { TtsVoice } from "./tts.ts";
import { DIGIT_WORDS } from "./voices.ts";

/** What the room streams are made from. */
export interface RoomSources {
  /** FSDD test split: every foreground digit of a real voice. */
  test: Clip[];
  /** FSDD train split: only ever the background babble. */
  train: Clip[];
  /** Text to speech at `rate` (a cache in front of it pays: voices repeat). */
  speak: (voice: TtsVoice, text: string) => Float32Array;
  rate: number;
}

/** A remark (non-digit speech) between the digits of a stream. */
export interface RemarkSegment {
  text: string;
  start_s: number;
  end_s: number;
  voice: string;
}

/** Ground truth of a room stream: the shared streams' format, plus the remarks and the "oh"s. */
export interface RoomTruth extends StreamTruth {
  encoding: "int16";
  segments: (TruthSegment & { source: string; kind: "digit"; word?: string })[];
  remarks: RemarkSegment[];
  seed: number;
  /** Group name: streams of one group are pooled (`babble-fsdd-snr10`). */
  group: string;
}

export interface RoomStream {
  name: string;
  samples: Float32Array;
  truth: RoomTruth;
}

/** Every foreground utterance is brought to this level before its own gain (dBFS), as in the shared streams. */
const LEVEL_DB = -26;

interface Item {
  samples: Float32Array;
  source: string;
  digit?: number;
  word?: string;
  remark?: string;
}

type Background = (n: number, rng: Rng) => Float32Array;

interface StreamPlan {
  group: string;
  items: Item[];
  /** Background and its SNR against the mean power of the digits (absent: clean). */
  background?: { name: string; make: Background; snrDb: number };
}

function atLevel(x: Float32Array, db: number): Float32Array {
  const rms = Math.sqrt(meanPower(x));
  return rms > 0 ? applyGain(x, db - 20 * Math.log10(rms)) : x;
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

function voiceLabel(v: TtsVoice): string {
  return `${v.engine === "espeak-ng" ? "espeak" : "flite"}-${v.voice}`;
}

/** The voice with a little per-utterance variation (a person never says a word twice the same). */
function jitter(v: TtsVoice, rng: Rng): TtsVoice {
  if (v.engine === "espeak-ng")
    return {
      ...v,
      rate: Math.round((v.rate ?? 175) * uniform(rng, 0.85, 1.15)),
      pitch: Math.max(0, Math.min(99, (v.pitch ?? 50) + Math.round(uniform(rng, -8, 8)))),
    };
  return { ...v, stretch: Math.round((v.stretch ?? 1) * uniform(rng, 0.9, 1.15) * 100) / 100 };
}

/**
 * Talkers mixed at equal power, each saying clips from its own list one after another with short
 * gaps, from a random point on: continuous babble of `n` samples.
 */
export function babble(n: number, talkers: readonly (readonly Float32Array[])[], rate: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (const clips of talkers) {
    const track = new Float32Array(n);
    let at = -Math.floor(rng() * rate * 2);
    while (at < n) {
      const c = pick(rng, clips);
      for (let i = 0; i < c.length; i++) if (at + i >= 0 && at + i < n) track[at + i] = c[i]!;
      at += c.length + Math.round(uniform(rng, 0, 0.25) * rate);
    }
    const g = 1 / Math.sqrt(meanPower(track) + 1e-20);
    for (let i = 0; i < n; i++) out[i] += g * track[i]!;
  }
  return out;
}

/** Lays the items out with pauses, adds the background and writes the truth. */
function render(plan: StreamPlan, name: string, rate: number, rng: Rng, seed: number): RoomStream {
  const placed: { item: Item; at: number; gainDb: number; x: Float32Array }[] = [];
  let at = Math.round(uniform(rng, 0.8, 1.5) * rate);
  for (const item of plan.items) {
    const gainDb = item.remark === undefined ? uniform(rng, -6, 3) : uniform(rng, -3, 3);
    const x = atLevel(item.samples, LEVEL_DB + gainDb);
    placed.push({ item, at, gainDb, x });
    at += x.length + Math.round(uniform(rng, 0.3, 1.4) * rate);
  }
  const n = at + Math.round(uniform(rng, 0.5, 1) * rate);
  const signal = new Float32Array(n);
  for (const p of placed) signal.set(p.x, p.at);
  const digits = placed.filter((p) => p.item.digit !== undefined);
  let noise: Float32Array | undefined;
  if (plan.background) {
    const speechPower = digits.reduce((s, p) => s + meanPower(p.x) * p.x.length, 0) / digits.reduce((s, p) => s + p.x.length, 0);
    noise = plan.background.make(n, rng);
    const g = Math.sqrt(speechPower / ((meanPower(noise) + 1e-20) * 10 ** (plan.background.snrDb / 10)));
    for (let i = 0; i < n; i++) noise[i]! *= g;
    for (let i = 0; i < n; i++) signal[i] += noise[i]!;
  }
  let peak = 0;
  for (const v of signal) peak = Math.max(peak, Math.abs(v));
  const outGain = peak > 0.98 ? 0.98 / peak : 1;
  if (outGain < 1) for (let i = 0; i < n; i++) signal[i]! *= outGain;
  const sec = (s: number) => Math.round((s / rate) * 1e6) / 1e6;
  const segments = digits.map((p) => {
    const seg: RoomTruth["segments"][number] = {
      digit: p.item.digit!,
      start_s: sec(p.at),
      end_s: sec(p.at + p.x.length),
      gain_db: Math.round(p.gainDb * 1e3) / 1e3,
      source: p.item.source,
      kind: "digit",
    };
    if (p.item.word) seg.word = p.item.word;
    if (noise) seg.snr_local_db = Math.round(10 * Math.log10(meanPower(p.x) / (meanPower(noise.subarray(p.at, p.at + p.x.length)) + 1e-20)) * 100) / 100;
    return seg;
  });
  const remarks = placed
    .filter((p) => p.item.remark !== undefined)
    .map((p) => ({ text: p.item.remark!, start_s: sec(p.at), end_s: sec(p.at + p.x.length), voice: p.item.source }));
  const truth: RoomTruth = {
    file: `${name}.wav`,
    sample_rate: rate,
    channels: 1,
    encoding: "int16",
    duration_s: sec(n),
    digits: segments.map((s) => s.digit).join(""),
    segments,
    remarks,
    snr_db: plan.background ? plan.background.snrDb : null,
    noise: plan.background ? plan.background.name : "none",
    seed,
    group: plan.group,
  };
  return { name, samples: signal, truth };
}

/** The kinds of room stream, by group name prefix. */
export const ROOM_KINDS = ["babble-fsdd", "babble-synth", "music", "remarks-fsdd", "remarks-synth", "voices-synth", "voices-shifted", "oh-synth"] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];

export interface RoomOptions {
  seed: number;
  /** Streams per group. */
  perGroup: number;
  /** Digits per stream. */
  digits: number;
  kinds: readonly RoomKind[];
  onStream?: (name: string) => void;
}

/**
 * The room test streams: digits over babble (FSDD train speakers, or synthetic voices), over
 * music, with non-digit remarks between them, and in unfamiliar voices (held-out synthetic
 * voices, FSDD's men played faster: pitch and formants up like a woman's or a child's), and "oh"
 * for zero. Foreground digits come from the FSDD test split or the held-out voices only.
 * Deterministic for a seed.
 */
export function buildRoomStreams(src: RoomSources, o: RoomOptions): RoomStream[] {
  const rate = src.rate;
  const out: RoomStream[] = [];
  const speakers = [...new Set(src.train.map((c) => c.speaker))].sort();
  const trainBySpeaker = speakers.map((s) => src.train.filter((c) => c.speaker === s).map((c) => c.samples));
  let babbleSentences: Float32Array[][] | undefined;
  const synthBabble = () => (babbleSentences ??= BABBLE_VOICES.map((v) => BABBLE_TEXT.map((t) => src.speak(v, t))));

  const fsddDigits = (rng: Rng, count: number, speed = 1): Item[] =>
    Array.from({ length: count }, () => {
      const c = pick(rng, src.test);
      // played `speed` times faster: read as if recorded at rate × speed, resampled back to rate
      return { samples: speed === 1 ? c.samples : resampleTo(c.samples, Math.round(c.sampleRate * speed), c.sampleRate), digit: c.label, source: c.path };
    });
  const synthDigit = (rng: Rng, voice: TtsVoice, digit: number, oh = false): Item => {
    const word = digit === 0 && oh ? "oh" : DIGIT_WORDS[digit]!;
    return { samples: src.speak(jitter(voice, rng), word), digit, source: voiceLabel(voice), word };
  };
  const withRemarks = (rng: Rng, items: Item[], voices: TtsVoice[], count: number): Item[] => {
    const all = [...ROOM_REMARKS.words, ...ROOM_REMARKS.sentences];
    const result = [...items];
    for (let k = 0; k < count; k++) {
      const text = pick(rng, all);
      const voice = pick(rng, voices);
      const at = 1 + Math.floor(rng() * (result.length - 1));
      result.splice(at, 0, { samples: src.speak(jitter(voice, rng), text), source: voiceLabel(voice), remark: text });
    }
    return result;
  };

  for (const kind of o.kinds) {
    const plans: ((rng: Rng, i: number) => StreamPlan)[] = [];
    switch (kind) {
      case "babble-fsdd":
      case "babble-synth":
      case "music":
        for (const snrDb of [20, 10]) {
          plans.push((rng) => {
            const make: Background =
              kind === "music"
                ? (n, r) => makeMusic(n, rate, r)
                : kind === "babble-fsdd"
                  ? (n, r) => babble(n, shuffled(r, trainBySpeaker).slice(0, 4 + Math.floor(r() * 3)), rate, r)
                  : (n, r) => babble(n, shuffled(r, synthBabble()).slice(0, 4 + Math.floor(r() * 2)), rate, r);
            return {
              group: `${kind}-snr${snrDb}`,
              items: fsddDigits(rng, o.digits),
              background: { name: kind === "music" ? "music" : `babble-${kind.slice(7)}`, make, snrDb },
            };
          });
        }
        break;
      case "remarks-fsdd":
        plans.push((rng) => ({
          group: kind,
          items: withRemarks(rng, fsddDigits(rng, o.digits), ROOM_VOICES, Math.round(o.digits / 4)),
          background: { name: "brown", make: brownNoise, snrDb: 20 },
        }));
        break;
      case "remarks-synth":
        plans.push((rng, i) => {
          const voice = ROOM_VOICES[(2 * i + 1) % ROOM_VOICES.length]!;
          const digits = Array.from({ length: o.digits }, () => synthDigit(rng, voice, Math.floor(rng() * 10)));
          return {
            group: kind,
            items: withRemarks(rng, digits, [voice], Math.round(o.digits / 4)),
            background: { name: "brown", make: brownNoise, snrDb: 20 },
          };
        });
        break;
      case "voices-synth":
        plans.push((rng, i) => {
          const voice = ROOM_VOICES[(2 * i) % ROOM_VOICES.length]!;
          return { group: kind, items: Array.from({ length: o.digits }, () => synthDigit(rng, voice, Math.floor(rng() * 10))) };
        });
        break;
      case "voices-shifted":
        // One factor per stream: 1.15-1.25 like a woman's formants, 1.3-1.4 like a child's.
        plans.push((rng, i) => ({ group: kind, items: fsddDigits(rng, o.digits, i % 2 === 0 ? uniform(rng, 1.15, 1.25) : uniform(rng, 1.3, 1.4)) }));
        break;
      case "oh-synth":
        plans.push((rng, i) => {
          const voice = ROOM_VOICES[(2 * i + 3) % ROOM_VOICES.length]!;
          // Phone-number-like: many zeros, said "oh" four times in five.
          const items = Array.from({ length: o.digits }, () =>
            rng() < 0.35 ? synthDigit(rng, voice, 0, rng() < 0.8) : synthDigit(rng, voice, Math.floor(rng() * 10)),
          );
          return { group: kind, items };
        });
        break;
    }
    plans.forEach((plan, p) => {
      for (let i = 0; i < o.perGroup; i++) {
        const streamSeed = o.seed * 1000 + ROOM_KINDS.indexOf(kind) * 50 + p * 10 + i;
        const rng = seededRng(streamSeed);
        const built = plan(rng, i);
        const name = `${built.group}-${i + 1}`;
        o.onStream?.(name);
        out.push(render(built, name, rate, rng, streamSeed));
      }
    });
  }
  return out;
}

function shuffled<T>(rng: Rng, xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
