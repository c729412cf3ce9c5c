import { passFilter } from "../dsp/biquad.ts";

/**
 * Band-pass for the speech decision: 4th-order Butterworth high-pass (two biquads) and 2nd-order
 * Butterworth low-pass. The steep low side puts 50/60 Hz mains hum 40-50 dB down and DC at zero,
 * so hum, rumble and offsets do not read as speech. Sections from engine/dsp/biquad.ts, run in
 * transposed direct form II with state kept across calls.
 */
export class BandFilter {
  /** Per biquad: b0, b1, b2, a1, a2 (a0 normalised to 1). */
  private readonly coef = new Float64Array(15);
  /** Per biquad: two state variables. */
  private readonly state = new Float64Array(6);

  constructor(sampleRate: number, lowHz: number, highHz: number) {
    // Q of the two sections of a 4th-order Butterworth: 1 / (2 cos(π/8)), 1 / (2 cos(3π/8)).
    this.setSection(0, "high", sampleRate, lowHz, 0.5411961);
    this.setSection(1, "high", sampleRate, lowHz, 1.306563);
    this.setSection(2, "low", sampleRate, highHz, Math.SQRT1_2);
  }

  private setSection(i: number, kind: "high" | "low", rate: number, hz: number, q: number): void {
    const { b0, b1, b2, a1, a2 } = passFilter(kind, rate, hz, q);
    this.coef.set([b0, b1, b2, a1, a2], i * 5);
  }

  reset(): void {
    this.state.fill(0);
  }

  /**
   * Filters `input[from .. to)` and returns the sum of squares of the filtered samples (the
   * caller only needs the band energy, not the band signal).
   */
  energy(input: Float32Array, from: number, to: number): number {
    const c = this.coef;
    const s = this.state;
    let s0 = s[0];
    let s1 = s[1];
    let s2 = s[2];
    let s3 = s[3];
    let s4 = s[4];
    let s5 = s[5];
    let sum = 0;
    for (let i = from; i < to; i++) {
      const x = input[i];
      const y0 = c[0] * x + s0;
      s0 = c[1] * x - c[3] * y0 + s1;
      s1 = c[2] * x - c[4] * y0;
      const y1 = c[5] * y0 + s2;
      s2 = c[6] * y0 - c[8] * y1 + s3;
      s3 = c[7] * y0 - c[9] * y1;
      const y2 = c[10] * y1 + s4;
      s4 = c[11] * y1 - c[13] * y2 + s5;
      s5 = c[12] * y1 - c[14] * y2;
      sum += y2 * y2;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    s[4] = s4;
    s[5] = s5;
    // Decaying state in digital silence would reach subnormal numbers, which are slow.
    for (let k = 0; k < 6; k++) if (Math.abs(s[k]) < 1e-25) s[k] = 0;
    return sum;
  }
}
