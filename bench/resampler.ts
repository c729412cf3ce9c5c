/**
 * Resampler speed: milliseconds to resample one second of mono audio to 8 kHz, median of repeats,
 * in blocks of 480 samples (10 ms at 48 kHz) as a capture callback would deliver them.
 *   bun bench/resampler.ts [rate...]
 */
import { Resampler } from "../engine/resampler.ts";

const rates = process.argv.slice(2).map(Number);
const BLOCK = 480;
const REPEATS = 300;

for (const rate of rates.length ? rates : [11025, 16000, 22050, 32000, 44100, 48000, 96000]) {
  const r = new Resampler(rate, { maxBlock: BLOCK });
  const x = new Float32Array(rate);
  for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin(i * 0.05) + 0.1 * (Math.random() - 0.5);
  const out = new Float32Array(r.maxOutputLength(BLOCK));
  const times: number[] = [];
  for (let rep = 0; rep < REPEATS; rep++) {
    const t0 = performance.now();
    for (let p = 0; p < x.length; p += BLOCK) r.processInto(x.subarray(p, Math.min(x.length, p + BLOCK)), out);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[REPEATS >> 1]!;
  console.log(
    `${r.describe().padEnd(58)} ${median.toFixed(3)} ms per second of audio (${Math.round(1000 / median)}x real time), look-ahead ${(r.latencySeconds * 1000).toFixed(2)} ms`,
  );
}
