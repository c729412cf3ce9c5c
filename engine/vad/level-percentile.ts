/**
 * A running percentile of a level (dB) over the last `windowFrames` frames: a histogram of
 * 0.5 dB bins from −120 to 0 dB and a ring of the bins the window holds. O(1) to push, O(bins)
 * to query; no allocation after construction.
 */
export class LevelPercentile {
  private static readonly LOW_DB = -120;
  private static readonly BIN_DB = 0.5;
  private readonly counts: Int32Array;
  private readonly ring: Int16Array;
  private next = 0;
  private filled = 0;

  constructor(windowFrames: number) {
    this.counts = new Int32Array(Math.round(-LevelPercentile.LOW_DB / LevelPercentile.BIN_DB) + 1);
    this.ring = new Int16Array(Math.max(1, windowFrames));
  }

  reset(): void {
    this.counts.fill(0);
    this.next = 0;
    this.filled = 0;
  }

  /** Frames in the window. */
  get count(): number {
    return this.filled;
  }

  push(levelDb: number): void {
    const last = this.counts.length - 1;
    const bin = Math.max(0, Math.min(last, Math.round((levelDb - LevelPercentile.LOW_DB) / LevelPercentile.BIN_DB)));
    if (this.filled === this.ring.length) this.counts[this.ring[this.next]!]!--;
    else this.filled++;
    this.ring[this.next] = bin;
    this.counts[bin]!++;
    this.next = (this.next + 1) % this.ring.length;
  }

  /** The level below which a fraction `q` of the window's frames lie (−120 when empty). */
  value(q: number): number {
    const target = Math.max(1, Math.ceil(q * this.filled));
    let acc = 0;
    for (let b = 0; b < this.counts.length; b++) {
      acc += this.counts[b]!;
      if (acc >= target) return LevelPercentile.LOW_DB + b * LevelPercentile.BIN_DB;
    }
    return LevelPercentile.LOW_DB;
  }
}
