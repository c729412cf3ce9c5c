import { streamAt8k, streamTruth, type StreamTruth } from "../../engine/shared-streams.ts";

/**
 * A shared stream with babble under it made of four other stretches of itself (the same voices
 * saying the same words: the hardest kind), `snrDb` below the digits' mean power; at 8 kHz.
 */
export function selfBabble(name: string, snrDb: number): { x: Float32Array; truth: StreamTruth } {
  const rate = 8000;
  const truth = streamTruth(name);
  const clean = streamAt8k(name);
  const babble = new Float32Array(clean.length);
  for (const shift of [3.1, 7.7, 13.3, 21.9]) {
    const k = Math.round(shift * rate);
    for (let i = 0; i < clean.length; i++) babble[i] += clean[(i + k) % clean.length]!;
  }
  let speech = 0;
  let n = 0;
  for (const s of truth.segments) for (let i = Math.round(s.start_s * rate); i < Math.round(s.end_s * rate); i++, n++) speech += clean[i]! ** 2;
  let bp = 0;
  for (const v of babble) bp += v * v;
  const g = Math.sqrt(speech / n / (bp / babble.length) / 10 ** (snrDb / 10));
  return { x: clean.map((v, i) => v + g * babble[i]!), truth };
}
