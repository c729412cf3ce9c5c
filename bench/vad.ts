/**
 * VAD segmenter speed: milliseconds to segment one second of 8 kHz audio (a noisy test stream),
 * median of repeats, in 80-sample blocks.
 *   bun bench/vad.ts
 */
import { percentile } from "../engine/scoring.ts";
import { VadSegmenter } from "../engine/vad/index.ts";
import { streamAt8k } from "../engine/shared-streams.ts";

const x = streamAt8k("s04_8k_pinkhum50_snr10");
const BLOCK = 80;
const times: number[] = [];
let events = 0;
for (let rep = 0; rep < 30; rep++) {
  const vad = new VadSegmenter();
  const t0 = performance.now();
  for (let p = 0; p < x.length; p += BLOCK) vad.process(x.subarray(p, Math.min(x.length, p + BLOCK)), () => events++);
  times.push((performance.now() - t0) / (x.length / 8000));
}
times.sort((a, b) => a - b);
const median = percentile(times, 0.5);
console.log(`VAD: ${median.toFixed(4)} ms per second of 8 kHz audio (${Math.round(1000 / median)}x real time), ${events / 30} events per pass`);
