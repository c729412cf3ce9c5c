import { passFilter } from "../dsp/biquad.ts";

/**
 * Band-pass for the speech decision: 4th-order Butterworth high-pass (two biquads) and 2nd-order
 * Butterworth low-pass. The steep low side puts 50/60 Hz mains hum 40-50 dB down and DC at zero,
 * so hum, rumble and offsets do not read as speech. Sections from engine/dsp/biquad.ts, run in
 * transposed direct form II with state kept across calls by the `vadlevels` kernel
 * (engine/wasm/kernels.wat), which returns the band energy (the caller needs no band signal).
 * The coefficients and state live in the segmenter's WebAssembly memory.
 */
export class BandFilter {
  /**
   * @param coef 15 values: per biquad b0, b1, b2, a1, a2 (a0 normalised to 1).
   * @param state 6 values: per biquad two state variables.
   */
  constructor(
    sampleRate: number,
    lowHz: number,
    highHz: number,
    private readonly coef: Float64Array,
    private readonly state: Float64Array,
  ) {
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
}
