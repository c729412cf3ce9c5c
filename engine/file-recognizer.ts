import type { ClipPrediction, ClipRecognizer } from "./clip-recognizer.ts";
import type { EventOf } from "./events.ts";
import { sanitizeSamples } from "./sample-guard.ts";
import type { FileSource } from "./sources/file-source.ts";
import { WavFileReader } from "./audio/wav-reader.ts";

/** Files up to this long are one clip (one digit); longer ones are recordings of many. */
export const MAX_CLIP_SECONDS = 60;

export type FileRecognition =
  | {
      kind: "clip";
      prediction: ClipPrediction;
      sampleRate: number;
      channels: number;
      repairedSamples: number;
      /** Opening the file and reading its header; reading and decoding its samples. */
      loadMs: number;
      decodeMs: number;
    }
  | {
      kind: "stream";
      /** Every digit the engine heard, in order. */
      digits: string;
      predictions: EventOf<"prediction">[];
      utterances: number;
      seconds: number;
      repairedSamples: number;
    };

/**
 * Recognises a WAV file from disk in memory that does not grow with its length: a clip of up to
 * MAX_CLIP_SECONDS is read block by block into one mono buffer and classified whole; a longer
 * file is a recording of many digits and goes through the streaming engine, block by block, as
 * `bun listen --file --fast` does. Broken samples (NaN, ±∞, far beyond full scale) are zeroed and
 * counted in both cases.
 */
/**
 * The streaming engine and the whole-file source, loaded on first use: most files are clips, and
 * a cold `bun predict` of one should not pay for the modules it does not run.
 */
function streamingModules(): { FileSource: typeof FileSource; runEngine: typeof import("./stream-eval.ts").runEngine } {
  const { FileSource } = require("./sources/file-source.ts") as typeof import("./sources/file-source.ts");
  const { runEngine } = require("./stream-eval.ts") as typeof import("./stream-eval.ts");
  return { FileSource, runEngine };
}

/**
 * The samples of the clip being recognised: one buffer, grown to the longest clip so far, whose
 * samples do not outlive the call that fills them (recognize keeps none). A new array per file
 * touched fresh pages for every clip of a batch, the costliest kind of memory on this machine.
 */
let clipSamples = new Float32Array(0);

function clipBuffer(frames: number): Float32Array {
  // doubled while clips are short (their lengths vary), exact for a long one
  if (clipSamples.length < frames) clipSamples = new Float32Array(frames > 1 << 20 ? frames : Math.max(frames, 2 * clipSamples.length));
  return clipSamples.subarray(0, frames);
}

export async function recognizeWavFile(path: string, recognizer: ClipRecognizer, k = 3): Promise<FileRecognition> {
  const t0 = performance.now();
  // a folder is refused by the reader's own fstat: no stat of every file beforehand
  const reader = WavFileReader.open(path);
  const loadMs = performance.now() - t0;
  const short = reader ? reader.frames <= MAX_CLIP_SECONDS * reader.sampleRate : true;
  if (!short) {
    reader!.close();
    const { FileSource, runEngine } = streamingModules();
    const run = await runEngine(recognizer.classifier.model, new FileSource(path, { realtime: false }), { classifier: recognizer.classifier, topK: k });
    return {
      kind: "stream",
      digits: run.summary.digits,
      predictions: run.predictions,
      utterances: run.summary.utterances,
      seconds: run.summary.seconds,
      repairedSamples: run.summary.repairedSamples,
    };
  }
  let mono: Float32Array;
  let sampleRate: number;
  let channels: number;
  if (reader) {
    try {
      mono = clipBuffer(reader.frames);
      reader.decodeInto(mono, 0);
      ({ sampleRate, channels } = reader);
    } finally {
      reader.close();
    }
  } else {
    // RIFX and RF64: the source decodes those whole, within its size limit
    const { FileSource } = streamingModules();
    const source = new FileSource(path, { realtime: false });
    const info = await source.start();
    ({ sampleRate, channels } = info);
    const parts: Float32Array[] = [];
    const block = new Float32Array(65536);
    for (let n; (n = source.read(block)) > 0; ) parts.push(block.slice(0, n));
    mono = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      mono.set(p, at);
      at += p.length;
    }
  }
  const decodeMs = performance.now() - t0 - loadMs;
  const repairedSamples = sanitizeSamples(mono);
  return { kind: "clip", prediction: recognizer.recognize(mono, sampleRate, k), sampleRate, channels, repairedSamples, loadMs, decodeMs };
}
