import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { WASM_PATH, compileKernels } from "../engine/wasm/build-wasm.ts";
import { type AxpyRows32, KERNELS, type LagDots } from "../engine/wasm/kernels.ts";
import { seededRng } from "../data/synth/signals.ts";

describe("the WebAssembly kernels", () => {
  test("the committed kernels.wasm is what kernels.wat compiles to", async () => {
    expect(Buffer.from(await compileKernels()).equals(readFileSync(WASM_PATH))).toBe(true);
  });

  test("lagdots agrees with float64 dot products at every lag, for window lengths with and without a tail, at unaligned offsets", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const lagDots = new WebAssembly.Instance(KERNELS, { env: { memory } }).exports.lagdots as LagDots;
    const heap = new Float32Array(memory.buffer);
    const rng = seededRng(11);
    const xAt = 64; // floats; the output goes at 0
    for (let i = xAt; i < xAt + 400; i++) heap[i] = rng() * 2 - 1;
    for (const [offset, n, minLag, maxLag] of [
      [0, 128, 10, 64],
      [3, 13, 1, 20],
      [5, 7, 0, 3],
      [1, 64, 5, 5],
    ] as const) {
      const x = xAt + offset;
      lagDots(4 * x, 0, minLag, maxLag, n);
      for (let lag = minLag; lag <= maxLag; lag++) {
        let want = 0;
        let scale = 0;
        for (let i = 0; i < n; i++) {
          want += heap[x + i]! * heap[x + i + lag]!;
          scale += Math.abs(heap[x + i]! * heap[x + i + lag]!);
        }
        expect(Math.abs(heap[lag - minLag]! - want)).toBeLessThan(1e-6 * scale + 1e-12);
      }
    }
  });

  test("log and exp are within one unit in the last place of Math.log and Math.exp", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const k = new WebAssembly.Instance(KERNELS, { env: { memory } }).exports as unknown as { log(x: number): number; exp(x: number): number };
    const ulp = (x: number) => {
      const b = new Float64Array([Math.abs(x)]);
      const i = new BigUint64Array(b.buffer);
      i[0]! += 1n;
      return b[0]! - Math.abs(x);
    };
    const rng = seededRng(5);
    for (let n = 0; n < 20000; n++) {
      // log over 1e-300 … 1e300 (and the reduction's edges near 1), exp over −740 … 709
      const x = n % 4 === 0 ? 1 + (rng() - 0.5) * 1e-3 : 10 ** (600 * rng() - 300);
      expect(Math.abs(k.log(x) - Math.log(x))).toBeLessThanOrEqual(ulp(Math.log(x)));
      const y = n % 4 === 0 ? (rng() - 0.5) * 2 : 1449 * rng() - 740;
      expect(Math.abs(k.exp(y) - Math.exp(y))).toBeLessThanOrEqual(ulp(Math.exp(y)));
    }
    expect(k.log(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(k.log(1)).toBe(0);
    expect(Number.isNaN(k.log(-1))).toBe(true);
    expect(Math.abs(k.log(5e-324) - Math.log(5e-324))).toBeLessThanOrEqual(ulp(Math.log(5e-324)));
    expect(k.exp(0)).toBe(1);
    expect(k.exp(710)).toBe(Number.POSITIVE_INFINITY);
    expect(k.exp(-746)).toBe(0);
  });

  test("axpyrows32 gives float32 arithmetic's sums in order of r, skipping zero terms, for widths with and without a tail", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const axpy = new WebAssembly.Instance(KERNELS, { env: { memory } }).exports.axpyrows32 as AxpyRows32;
    const heap = new Float32Array(memory.buffer);
    const rng = seededRng(5);
    for (const [m, k, n] of [
      [3, 9, 8],
      [2, 5, 7],
      [4, 6, 1],
      [1, 11, 13],
    ] as const) {
      const [c, a, b] = [0, 1024, 2048];
      for (let i = 0; i < m * k; i++) heap[a + i] = rng() < 0.3 ? 0 : rng() * 2 - 1;
      for (let i = 0; i < k * n; i++) heap[b + i] = rng() * 2 - 1;
      for (let i = 0; i < m * n; i++) heap[c + i] = rng();
      const want = heap.slice(c, c + m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++)
          for (let r = 0; r < k; r++) {
            const v = heap[a + i * k + r]!;
            if (v !== 0) want[i * n + j] = Math.fround(want[i * n + j]! + Math.fround(v * heap[b + r * n + j]!));
          }
      axpy(4 * c, 4 * a, 4 * b, m, k, n, k, 1);
      expect(heap.slice(c, c + m * n)).toEqual(want);
    }
  });
});
