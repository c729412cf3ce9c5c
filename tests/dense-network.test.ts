import { describe, expect, test } from "bun:test";
import { loadSplit } from "../data/fsdd.ts";
import { Classifier } from "../engine/classifier.ts";
import { softmaxInPlace } from "../engine/dense-network.ts";
import { DenseNetwork } from "../engine/dense-network.ts";
import { loadModelFile } from "../engine/model-file.ts";
import { matrixData } from "../engine/packed-matrix.ts";
import { seededRng } from "../data/synth/signals.ts";

/** The same network in plain float64 JavaScript: the reference the SIMD code must agree with. */
function reference(layers: { w: Float32Array; rows: number; cols: number; bias: number[]; relu: boolean }[], x: ArrayLike<number>): number[] {
  let a = Array.from(x);
  for (const l of layers) {
    const next: number[] = [];
    for (let r = 0; r < l.rows; r++) {
      let s = l.bias[r]!;
      for (let c = 0; c < l.cols; c++) s += l.w[r * l.cols + c]! * a[c]!;
      next.push(l.relu && s < 0 ? 0 : s);
    }
    a = next;
  }
  return a;
}

describe("dense layers in WebAssembly SIMD", () => {
  test("layers of sizes that are not multiples of the SIMD step agree with float64 arithmetic", () => {
    const rng = seededRng(7);
    const sizes = [13, 37, 5, 3];
    const layers = sizes.slice(1).map((rows, i) => {
      const cols = sizes[i]!;
      return {
        w: Float32Array.from({ length: rows * cols }, () => rng() * 2 - 1),
        rows,
        cols,
        bias: Array.from({ length: rows }, () => rng() - 0.5),
        relu: i < sizes.length - 2,
      };
    });
    const net = new DenseNetwork(layers.map((l) => ({ weights: { rows: l.rows, cols: l.cols, data: l.w }, bias: l.bias, relu: l.relu })));
    expect([net.inputs, net.outputs]).toEqual([13, 3]);
    const out = new Float64Array(3);
    for (let trial = 0; trial < 20; trial++) {
      const x = Float32Array.from({ length: 13 }, () => rng() * 4 - 2);
      net.input.set(x);
      net.run(out);
      const want = reference(layers, x);
      for (let k = 0; k < 3; k++) expect(out[k]!).toBeCloseTo(want[k]!, 4);
    }
  });

  test("the shipped classifier's probabilities on real clips match float64 arithmetic to 1e-5", async () => {
    const model = loadModelFile();
    const classifier = new Classifier(model);
    const layers = model.layers.map((l) => {
      const m = matrixData(l.weights);
      return { w: m.data, rows: m.rows, cols: m.cols, bias: l.bias, relu: l.activation === "relu" };
    });
    const { mean, scale } = model.standardize;
    for (const clip of (await loadSplit("test")).slice(0, 25)) {
      const f = classifier.features(classifier.analyse(clip.samples));
      const logits = reference(
        layers,
        Array.from(f, (v, i) => (v - mean[i]!) / scale[i]!),
      );
      const want = Float64Array.from(logits);
      softmaxInPlace(want);
      const got = classifier.predict(f);
      for (let k = 0; k < want.length; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThan(1e-5);
    }
  });

  test("layers that do not fit together are refused", () => {
    const m = (rows: number, cols: number) => ({ weights: { rows, cols, data: new Float32Array(rows * cols) }, bias: new Array(rows).fill(0), relu: false });
    expect(() => new DenseNetwork([m(4, 8), m(2, 5)])).toThrow(/layer 1 takes 5 inputs but layer 0 gives 4/);
    expect(() => new DenseNetwork([{ ...m(4, 8), bias: [0] }])).toThrow(/4 units but 1 biases/);
  });
});
