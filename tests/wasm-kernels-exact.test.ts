import { describe, expect, test } from "bun:test";
import { loadSplit } from "../data/fsdd.ts";
import { seededRng } from "../data/synth/signals.ts";
import { passFilter } from "../engine/dsp/biquad.ts";
import { FeatureExtractor } from "../engine/features/extractor.ts";
import { matrixInMatvecOrder, matvecLength, matvecOrder, paddedCols, paddedRows } from "../engine/matvec-order.ts";
import { loadModelFile } from "../engine/model-file.ts";
import { JsFeatureExtractor } from "./support/js-features.ts";
import { type LagDots, type MatVec, type VoicingKernels, instantiateKernels } from "../engine/wasm/kernels.ts";

/**
 * The kernels that work on several rows, lags, frames or segments at once give, bit for bit,
 * what the same arithmetic gives one at a time: every speed-up of the issue-15 kernel round
 * kept each value's operations and their order, so predictions are unchanged. The one
 * exception in precision, the float32 FFT of `spectra`, is held to a float64 reference.
 */
describe("the WebAssembly kernels, several at a time against one at a time", () => {
  const rng = seededRng(15);

  test("matvec: each row's float32 sums in two accumulators of four lanes, as one row alone", () => {
    const { memory, exports } = instantiateKernels(1 << 20);
    const matvec = exports.matvec as MatVec;
    const heap = new Float32Array(memory.buffer);
    for (const [rows, cols] of [
      [12, 40],
      [8, 8],
      [4, 280],
      [10, 21],
    ] as const) {
      heap.fill(0);
      const data = Float32Array.from({ length: rows * cols }, () => rng() * 2 - 1);
      const stride = paddedCols(cols);
      const [w, x, out] = [0, matvecLength(rows, cols), matvecLength(rows, cols) + stride];
      heap.set(matvecOrder({ rows, cols, data }), w);
      for (let c = 0; c < cols; c++) heap[x + c] = rng() * 2 - 1;
      matvec(4 * w, 4 * x, 4 * out, rows, stride);
      const weight = (r: number, c: number) => (c < cols ? data[r * cols + c]! : 0);
      for (let r = 0; r < rows; r++) {
        const a = [0, 0, 0, 0];
        const b = [0, 0, 0, 0];
        for (let c = 0; c < stride; c += 8)
          for (let l = 0; l < 4; l++) {
            a[l] = Math.fround(a[l]! + Math.fround(weight(r, c + l) * heap[x + c + l]!));
            b[l] = Math.fround(b[l]! + Math.fround(weight(r, c + 4 + l) * heap[x + c + 4 + l]!));
          }
        const s = a.map((v, l) => Math.fround(v + b[l]!));
        expect(heap[out + r]).toBe(Math.fround(Math.fround(s[0]! + s[1]!) + Math.fround(s[2]! + s[3]!)));
      }
      // the padding rows of the last block of four come out as zeros
      for (let r = rows; r < paddedRows(rows); r++) expect(heap[out + r]).toBe(0);
    }
  });

  test("matvec order: every weight in its place, and back to row-major as it was", () => {
    for (const [rows, cols] of [
      [9, 13],
      [4, 8],
    ] as const) {
      const data = Float32Array.from({ length: rows * cols }, (_, i) => i + 1);
      const ordered = matvecOrder({ rows, cols, data });
      expect(ordered.length).toBe(paddedRows(rows) * paddedCols(cols));
      // block of four rows, step of eight columns, row within the block, column within the step
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) {
          const at = Math.floor(r / 4) * 4 * paddedCols(cols) + Math.floor(c / 8) * 32 + (r % 4) * 8 + (c % 8);
          expect(ordered[at]).toBe(data[r * cols + c]!);
        }
      expect(ordered.reduce((n, v) => n + (v === 0 ? 1 : 0), 0)).toBe(ordered.length - rows * cols);
      const back = matrixInMatvecOrder(rows, cols, ordered);
      expect(back.data).toEqual(data);
      expect(matvecOrder(back)).toBe(ordered);
    }
  });

  test("lagdots: each lag's sum is the same among four lags as alone, with and without a tail", () => {
    const { memory, exports } = instantiateKernels();
    const lagDots = exports.lagdots as LagDots;
    const heap = new Float32Array(memory.buffer);
    const xAt = 256;
    for (let i = xAt; i < xAt + 600; i++) heap[i] = rng() * 2 - 1;
    for (const [n, minLag, maxLag] of [
      [128, 10, 64],
      [13, 1, 20],
      [29, 3, 9],
    ] as const) {
      lagDots(4 * (xAt + 1), 0, minLag, maxLag, n);
      const together = heap.slice(0, maxLag - minLag + 1);
      for (let lag = minLag; lag <= maxLag; lag++) {
        lagDots(4 * (xAt + 1), 0, lag, lag, n);
        expect(heap[0]).toBe(together[lag - minLag]!);
      }
    }
  });

  test("logv, expv and their two-vector forms give log's and exp's bits, edge cases included", () => {
    const { memory, exports } = instantiateKernels(1 << 20);
    const k = exports as unknown as { log(x: number): number; exp(x: number): number; mathv(x: number, n: number, op: number): void };
    const f = new Float64Array(memory.buffer);
    const edges = [0, -0, 1, 5e-324, 1e-310, -1, Number.NaN, Infinity, -Infinity, 1e-300, 0.3465, 0.3466, 1.0397, 1.0398, -1.0398, 708, 709.8, 710, -745, -746];
    for (const op of [0, 1, 2, 3]) {
      const exp = op % 2 === 1;
      const xs: number[] = [...edges];
      for (let i = 0; i < 4000; i++) {
        const r = rng();
        xs.push(exp ? (i % 3 === 0 ? (r - 0.5) * 4 : i % 3 === 1 ? (r - 0.5) * 30 : 1449 * r - 740) : i % 2 ? 10 ** (40 * r - 20) : 10 ** (600 * r - 300));
      }
      f.set(xs);
      k.mathv(0, xs.length, op);
      for (let i = 0; i < xs.length; i++) expect(Object.is(f[i], exp ? k.exp(xs[i]!) : k.log(xs[i]!))).toBe(true);
    }
  });

  test("decimate4's four segments give decimate's low band and energies, on speech and on noise", async () => {
    const speech = (await loadSplit("test")).slice(0, 12).flatMap((c) => Array.from(c.samples));
    const noise = Array.from({ length: 6000 }, () => rng() * 2 - 1);
    const lp = passFilter("low", 8000, 1800);
    const factor = 2;
    const warm = 64 * factor;
    for (const [signal, n, segmented] of [
      [speech, 9000, 1],
      [noise, 2900, 1],
      [speech, 200, 0],
    ] as const) {
      const { memory, exports } = instantiateKernels(1 << 22);
      const k = exports as unknown as VoicingKernels;
      const f32 = new Float32Array(memory.buffer);
      const f64 = new Float64Array(memory.buffer);
      const x = 4 * warm + 64;
      const avail = Math.min(signal.length, (n - 1) * factor + 1);
      const low = x + 4 * (n + 8) * factor + 4 * warm;
      const energy = low + 4 * (n + 16);
      const lowRef = energy + 8 * (n + 8);
      const energyRef = lowRef + 4 * (n + 8);
      f32.set(signal.slice(0, avail), x / 4);
      expect(k.decimate4(x, avail, n, factor, lp.b0, lp.b1, lp.a1, lp.a2, low, energy, warm)).toBe(segmented);
      k.decimate(x, avail, n, factor, lp.b0, lp.b1, lp.a1, lp.a2, lowRef, energyRef);
      expect(f32.slice(low / 4, low / 4 + n)).toEqual(f32.slice(lowRef / 4, lowRef / 4 + n));
      expect(f64.slice(energy / 8, energy / 8 + n + 1)).toEqual(f64.slice(energyRef / 8, energyRef / 8 + n + 1));
    }
  });

  test("spectra, melbands and plp of several frames at a time give each frame's own values", async () => {
    const clip = (await loadSplit("test"))[3]!.samples;
    const fx = new FeatureExtractor(loadModelFile().features);
    const u = fx.analyse(clip);
    fx.logMel(u, 1, 0, u.frames);
    // The extractor's memory and kernels (private: this test reaches past the class to call them frame by frame).
    const {
      at,
      k,
      config: c,
    } = fx as unknown as {
      at: Record<string, number>;
      k: Record<string, (...a: number[]) => number>;
      config: typeof fx.config;
    };
    const f64 = () => new Float64Array((fx as unknown as { memory: WebAssembly.Memory }).memory.buffer);
    const bins = u.bins;
    const frames = u.frames;
    expect(frames % 4).not.toBe(0); // spectra: the last frames go in a part-filled group of four
    expect(frames % 2).toBe(1); // melbands and plp: the last frame goes alone, the others in pairs
    const spectra = (x: number, n: number) =>
      k.spectra!(
        x,
        n,
        c.hopLength,
        c.frameLength,
        c.preEmphasis,
        at.win!,
        at.frame!,
        at.rev!,
        at.buf!,
        at.tw!,
        at.post!,
        bins - 1,
        at.power!,
        at.band!,
        8,
        112,
        at.emph!,
      );
    spectra(at.samples! + 4, frames);
    const together = f64().slice(at.power! / 8, at.power! / 8 + frames * bins);
    // The float32 FFT against the float64 JavaScript pipeline: within 1e-6 of the frame's power
    // (float32 keeps 24 bits, the FFT's 8 stages and the split add a few roundings each).
    const reference = new JsFeatureExtractor(c).analyse(clip);
    for (let f = 0; f < frames; f++) {
      const want = reference.powerFrame(f);
      const scale = want.reduce((s, p) => s + p, 0);
      for (let b = 0; b < bins; b++) expect(Math.abs(together[f * bins + b]! - want[b]!)).toBeLessThanOrEqual(1e-6 * scale);
    }
    const bands = f64().slice(at.band! / 8, at.band! / 8 + frames);
    for (let f = 0; f < frames; f += 7) {
      spectra(at.samples! + 4 + 4 * f * c.hopLength, 1);
      expect(f64().slice(at.power! / 8, at.power! / 8 + bins)).toEqual(together.subarray(f * bins, (f + 1) * bins));
      expect(f64()[at.band! / 8]).toBe(bands[f]!);
    }
    // melbands and plp on the whole utterance, then row by row (the one-frame plp is the scalar kernel)
    f64().set(u.power.subarray(0, frames * bins), at.power! / 8);
    k.melbands!(at.power!, frames, bins, at.ownBank!, at.ownRange!, c.nMels, at.logMel!);
    const mel = f64().slice(at.logMel! / 8, at.logMel! / 8 + frames * c.nMels);
    k.plp!(at.logMel!, frames, c.nMels, at.loud!, at.cos!, c.lpcOrder!, c.nCepstra, at.ratios!, at.cepstra!, at.tmp!);
    const ceps = f64().slice(at.cepstra! / 8, at.cepstra! / 8 + frames * c.nCepstra);
    for (let f = 0; f < frames; f += 5) {
      k.melbands!(at.power! + 8 * f * bins, 1, bins, at.ownBank!, at.ownRange!, c.nMels, at.deltas!);
      expect(f64().slice(at.deltas! / 8, at.deltas! / 8 + c.nMels)).toEqual(mel.subarray(f * c.nMels, (f + 1) * c.nMels));
      k.plp!(at.logMel! + 8 * f * c.nMels, 1, c.nMels, at.loud!, at.cos!, c.lpcOrder!, c.nCepstra, at.ratios!, at.deltas!, at.tmp!);
      expect(f64().slice(at.deltas! / 8, at.deltas! / 8 + c.nCepstra)).toEqual(ceps.subarray(f * c.nCepstra, (f + 1) * c.nCepstra));
    }
  });
});
