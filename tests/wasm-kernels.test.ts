import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { WASM_PATH, compileKernels } from "../engine/wasm/build-wasm.ts";
import { KERNELS, type LagDots } from "../engine/wasm/kernels.ts";
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
});
