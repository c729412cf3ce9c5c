/**
 * Running minimum of a level over the last `windowFrames` frames, in O(subWindows) per frame:
 * the window is cut into sub-windows whose minima are kept in a ring (minimum statistics).
 * Drops at once with the level; rises only when the quiet frames have aged out of the window.
 */
export class NoiseFloor {
  private readonly mins: Float64Array;
  private readonly subFrames: number;
  private slot = 0;
  private inSlot = 0;
  private filled = 0;
  private current = Infinity;

  constructor(windowFrames: number, subWindows = 8) {
    this.subFrames = Math.max(1, Math.round(windowFrames / subWindows));
    this.mins = new Float64Array(subWindows);
    this.reset();
  }

  reset(): void {
    this.mins.fill(Infinity);
    this.slot = 0;
    this.inSlot = 0;
    this.filled = 0;
    this.current = Infinity;
  }

  /** Adds one frame's level and returns the floor (the frame itself for the very first frame). */
  push(levelDb: number): number {
    if (levelDb < this.current) this.current = levelDb;
    if (++this.inSlot === this.subFrames) {
      this.mins[this.slot] = this.current;
      this.slot = (this.slot + 1) % this.mins.length;
      this.inSlot = 0;
      this.current = Infinity;
      if (this.filled < this.mins.length) this.filled++;
    }
    return this.value;
  }

  /** The minimum over the completed sub-windows still in the window and the one being filled. */
  get value(): number {
    let m = this.current;
    const mins = this.mins;
    // The slot about to be overwritten has aged out once the ring is full.
    for (let i = 0; i < mins.length; i++) if (i !== this.slot || this.filled < mins.length) m = Math.min(m, mins[i]);
    return m;
  }
}
