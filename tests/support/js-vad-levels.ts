import { passFilter } from "../../engine/dsp/biquad.ts";

/**
 * The VAD's per-frame levels as its JavaScript loops computed them before the `vadlevels`
 * kernel (engine/wasm/kernels.wat): the oracle the kernel must match bit for bit. Frame f of
 * `frameSize` samples gives its mean square, peak and band energy (the band-pass of
 * engine/vad/band-filter.ts in transposed direct form II, state carried across frames, states
 * below 1e-25 set to 0 after each call).
 */
export function jsFrameLevels(
  x: Float32Array,
  sampleRate: number,
  lowHz: number,
  highHz: number,
  frameSize: number,
): { meanSquare: number[]; peak: number[]; band: number[] } {
  const c = new Float64Array(15);
  const sections: ["high" | "low", number, number][] = [
    ["high", lowHz, 0.5411961],
    ["high", lowHz, 1.306563],
    ["low", highHz, Math.SQRT1_2],
  ];
  sections.forEach(([kind, hz, q], i) => {
    const { b0, b1, b2, a1, a2 } = passFilter(kind, sampleRate, hz, q);
    c.set([b0, b1, b2, a1, a2], i * 5);
  });
  const s = new Float64Array(6);
  const out = { meanSquare: [] as number[], peak: [] as number[], band: [] as number[] };
  for (let from = 0; from + frameSize <= x.length; from += frameSize) {
    let sumSq = 0;
    let peak = 0;
    for (let k = from; k < from + frameSize; k++) {
      const v = x[k]!;
      sumSq += v * v;
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
    let [s0, s1, s2, s3, s4, s5] = s as unknown as number[];
    let sum = 0;
    for (let i = from; i < from + frameSize; i++) {
      const v = x[i]!;
      const y0 = c[0]! * v + s0!;
      s0 = c[1]! * v - c[3]! * y0 + s1!;
      s1 = c[2]! * v - c[4]! * y0;
      const y1 = c[5]! * y0 + s2!;
      s2 = c[6]! * y0 - c[8]! * y1 + s3!;
      s3 = c[7]! * y0 - c[9]! * y1;
      const y2 = c[10]! * y1 + s4!;
      s4 = c[11]! * y1 - c[13]! * y2 + s5!;
      s5 = c[12]! * y1 - c[14]! * y2;
      sum += y2 * y2;
    }
    s.set([s0!, s1!, s2!, s3!, s4!, s5!]);
    for (let k = 0; k < 6; k++) if (Math.abs(s[k]!) < 1e-25) s[k] = 0;
    out.meanSquare.push(sumSq / frameSize);
    out.peak.push(peak);
    out.band.push(0 + sum);
  }
  return out;
}
