/** Helpers for tests that check captured audio against what was played, and run commands. */
import { readFileSync } from "node:fs";
import { decodeWav, encodeWav16, type DecodedAudio } from "../../engine/audio/wav.ts";

export function readWav(path: string): DecodedAudio {
  return decodeWav(new Uint8Array(readFileSync(path)), path);
}

/** A clip of a WAV file, [fromSeconds, toSeconds), as a new 16-bit mono WAV's bytes. */
export function clipWav(path: string, fromSeconds: number, toSeconds: number): { bytes: Uint8Array; samples: Float32Array; sampleRate: number } {
  const audio = readWav(path);
  if (audio.channels !== 1) throw new Error(`${path}: expected mono`);
  const samples = audio.samples.slice(Math.round(fromSeconds * audio.sampleRate), Math.round(toSeconds * audio.sampleRate));
  return { bytes: encodeWav16(samples, audio.sampleRate), samples, sampleRate: audio.sampleRate };
}

function firstAbove(x: Float32Array, threshold: number): number {
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i]!) > threshold) return i;
  return -1;
}

/**
 * Finds where `source` appears in `recorded` (coarse guess from the first sample above 1 % of
 * the source's peak, refined over ±`search` samples) and returns the normalised
 * cross-correlation at the best lag, with the lag. 1 means identical up to a gain.
 */
export function alignedCorrelation(recorded: Float32Array, source: Float32Array, search = 400): { ncc: number; lag: number } {
  let peak = 0;
  for (const v of source) peak = Math.max(peak, Math.abs(v));
  const s0 = firstAbove(source, peak * 0.01);
  const r0 = firstAbove(recorded, peak * 0.01 * 0.1);
  if (s0 < 0 || r0 < 0) return { ncc: 0, lag: -1 };
  const guess = r0 - s0;
  let best = { ncc: -1, lag: guess };
  for (let lag = guess - search; lag <= guess + search; lag++) {
    let sr = 0;
    let ss = 0;
    let rr = 0;
    const from = Math.max(0, -lag);
    const to = Math.min(source.length, recorded.length - lag);
    for (let i = from; i < to; i++) {
      const s = source[i]!;
      const r = recorded[i + lag]!;
      sr += s * r;
      ss += s * s;
      rr += r * r;
    }
    const ncc = ss > 0 && rr > 0 ? sr / Math.sqrt(ss * rr) : 0;
    if (ncc > best.ncc) best = { ncc, lag };
  }
  return best;
}

/** Collects a child's stderr as text; `waitFor(re)` resolves once the text so far matches. */
export class OutputWatcher {
  text = "";
  private waiters: { re: RegExp; resolve: () => void }[] = [];
  readonly done: Promise<string>;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.done = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream) {
        this.text += decoder.decode(chunk, { stream: true });
        this.waiters = this.waiters.filter((w) => (w.re.test(this.text) ? (w.resolve(), false) : true));
      }
      for (const w of this.waiters) w.resolve();
      return this.text;
    })();
  }

  /** Resolves when the output matches `re`, or when the stream ends (check the text afterwards). */
  waitFor(re: RegExp): Promise<void> {
    if (re.test(this.text)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ re, resolve }));
  }
}
