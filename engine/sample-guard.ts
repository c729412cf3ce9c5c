/**
 * The limit of a sane sample: full scale with room for float sources that overshoot a little.
 * No converter delivers more, so a value beyond it (or NaN, or ±∞) is corruption, not sound.
 */
export const SAMPLE_LIMIT = 2;

/**
 * Repairs `samples` in place: NaN, ±∞ and values beyond ±SAMPLE_LIMIT become 0; returns how
 * many it changed. Zeroed rather than clipped: clipped, a 1e30 sample becomes a full-scale click,
 * and one click between two digits can merge or hide one of them. One pass, no allocation: it
 * runs on every engine block.
 */
export function sanitizeSamples(samples: Float32Array, limit = SAMPLE_LIMIT): number {
  let fixed = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]!;
    // NaN fails both comparisons
    if (x >= -limit && x <= limit) continue;
    samples[i] = 0;
    fixed++;
  }
  return fixed;
}
