import { describe, expect, test } from "bun:test";
import { Matrix } from "ml-matrix";
import { gaussian, seededRng } from "../data/synth/signals.ts";
import { MlpWorkspace, trainMlp } from "../train/mlp-trainer.ts";
import { Float32Mlp } from "../train/mlp-float32.ts";
import type { Dataset } from "../train/training-set.ts";

/** Three Gaussian blobs in 6 dimensions, and some rows of class −1 between them. */
function blobs(perClass: number, seed: number): Dataset {
  const rng = seededRng(seed);
  const d = 6;
  const centres = [0, 1, 2].map(() => Array.from({ length: d }, () => 2 * gaussian(rng)));
  const labels = [0, 1, 2, -1].flatMap((c) => Array<number>(perClass).fill(c));
  const X = new Float64Array(labels.length * d);
  labels.forEach((c, i) => {
    for (let j = 0; j < d; j++) X[i * d + j] = (c < 0 ? 0 : centres[c]![j]!) + 0.7 * gaussian(rng);
  });
  return { X, rows: labels.length, cols: d, y: Int32Array.from(labels) };
}

describe("MLP trainer", () => {
  test("the float32 trainer's loss and gradient agree with the float64 reference to float32 precision, padded sizes included", () => {
    const rng = seededRng(13);
    const [d, h, k, rows] = [37, 26, 10, 19];
    const ref = new MlpWorkspace(d, h, k, rows);
    const f32 = new Float32Mlp(d, h, k, rows);
    const { stride, units } = f32;
    for (let u = 0; u < h; u++) for (let j = 0; j < d; j++) f32.params.w1[u * stride + j] = ref.params.w1t[j * h + u] = Math.fround(0.3 * gaussian(rng));
    for (let u = 0; u < h; u++) f32.params.b1[u] = ref.params.b1[u] = Math.fround(0.3 * gaussian(rng));
    for (let c = 0; c < k; c++) for (let u = 0; u < h; u++) f32.params.w2[c * units + u] = ref.params.w2[c * h + u] = Math.fround(0.3 * gaussian(rng));
    for (let c = 0; c < k; c++) f32.params.b2[c] = ref.params.b2[c] = Math.fround(0.3 * gaussian(rng));
    for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) f32.xb[i * stride + j] = ref.xb[i * d + j] = rng() < 0.2 ? 0 : Math.fround(gaussian(rng));
    const labels = Array.from({ length: rows }, (_, i) => (i % 11) - 1);
    const scales = Array<number>(rows).fill(1 / rows);
    const l64 = ref.batch(rows, labels, scales);
    const l32 = f32.batch(rows, labels, scales);
    expect(Math.abs(l32 - l64)).toBeLessThan(1e-5 * l64);
    const pairs: [ArrayLike<number>, (i: number) => number][] = [
      [ref.grad.w1t, (i) => f32.grad.w1[(i % h) * stride + Math.floor(i / h)]!],
      [ref.grad.b1, (i) => f32.grad.b1[i]!],
      [ref.grad.w2, (i) => f32.grad.w2[Math.floor(i / h) * units + (i % h)]!],
      [ref.grad.b2, (i) => f32.grad.b2[i]!],
    ];
    for (const [g, at] of pairs) {
      const scale = Math.max(...Array.from(g, Math.abs));
      let worst = 0;
      for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(at(i) - g[i]!));
      expect(worst).toBeLessThan(1e-5 * scale);
    }
    // the padding units and columns get no gradient
    for (let u = h; u < units; u++) expect(f32.grad.b1[u]).toBe(0);
    for (let u = 0; u < units; u++) for (let j = d; j < stride; j++) expect(f32.grad.w1[u * stride + j]).toBe(0);
  });

  test("the batch gradient matches finite differences of the batch loss, uniform-target rows included", () => {
    const rng = seededRng(11);
    const fill = (a: Float64Array) => a.forEach((_, i) => (a[i] = gaussian(rng)));
    const work = new MlpWorkspace(4, 5, 3, 6);
    const p = work.params;
    for (const a of [p.w1t, p.b1, p.w2, p.b2, work.xb]) fill(a);
    const labels = [0, 2, -1, 1, -1, 2];
    const scales = [0.1, 0.2, 0.3, 0.1, 0.2, 0.1];
    work.batch(6, labels, scales);
    const grad = { w1t: work.grad.w1t.slice(), b1: work.grad.b1.slice(), w2: work.grad.w2.slice(), b2: work.grad.b2.slice() };
    const eps = 1e-6;
    let checked = 0;
    for (const key of ["w1t", "b1", "w2", "b2"] as const) {
      const m = p[key];
      for (let i = 0; i < m.length; i++) {
        const v = m[i]!;
        m[i] = v + eps;
        const up = work.batch(6, labels, scales);
        m[i] = v - eps;
        const down = work.batch(6, labels, scales);
        m[i] = v;
        expect(grad[key][i]!).toBeCloseTo((up - down) / (2 * eps), 6);
        checked++;
      }
    }
    expect(checked).toBe(20 + 5 + 15 + 3);
    // some hidden units are inactive for some rows, so the ReLU mask is exercised
    work.batch(6, labels, scales);
    expect(Array.from(work.act.subarray(0, 6 * 5)).filter((v) => v === 0).length).toBeGreaterThan(5);
  });

  test("with dropout, training is deterministic for a seed, differs across seeds, and separates the classes", () => {
    const data = blobs(40, 5);
    const options = { hidden: 16, epochs: 30, batchSize: 16, learningRate: 0.01, inputDropout: 0.1, hiddenDropout: 0.3 };
    const a = trainMlp(data, 3, { ...options, seed: 1 });
    const b = trainMlp(data, 3, { ...options, seed: 1 });
    const c = trainMlp(data, 3, { ...options, seed: 2 });
    expect(Array.from(a.w1)).toEqual(Array.from(b.w1));
    expect(Array.from(a.w2)).toEqual(Array.from(b.w2));
    expect(a.loss).toBe(b.loss);
    expect(Array.from(a.w1)).not.toEqual(Array.from(c.w1));
    expect([a.w1.length, a.b1.length, a.w2.length, a.b2.length]).toEqual([16 * 6, 16, 3 * 16, 3]);

    // forward pass of the returned flat weights on fresh rows of the same blobs
    const test = blobs(20, 5);
    const w1 = Matrix.from1DArray(16, 6, a.w1);
    const w2 = Matrix.from1DArray(3, 16, a.w2);
    const x = Matrix.from1DArray(test.rows, 6, test.X);
    const hidden = x
      .mmul(w1.transpose())
      .addRowVector(a.b1)
      .apply(function (this: Matrix, i, j) {
        this.set(i, j, Math.max(0, this.get(i, j)));
      });
    const z = hidden.mmul(w2.transpose()).addRowVector(a.b2);
    let right = 0;
    let flat = 0;
    for (let i = 0; i < test.rows; i++) {
      const row = z.getRow(i);
      const e = row.map((v) => Math.exp(v - Math.max(...row)));
      const top = Math.max(...e) / e.reduce((s, v) => s + v, 0);
      if (test.y[i]! >= 0 && row.indexOf(Math.max(...row)) === test.y[i]) right++;
      if (test.y[i]! < 0 && top < 0.6) flat++;
    }
    expect(right / 60).toBeGreaterThan(0.95);
    expect(flat / 20).toBeGreaterThan(0.7);
  });
});
