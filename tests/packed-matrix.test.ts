import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { loadSplit } from "../data/fsdd.ts";
import { Classifier } from "../engine/classifier.ts";
import { type ModelFile, loadModelFile, serializeModel, validateModel } from "../engine/model-file.ts";
import { isPackedMatrix, matrixData, matrixRows, packMatrix } from "../engine/packed-matrix.ts";

const shipped = loadModelFile();
/** The shipped model with its weights as rows of decimal numbers, the form training holds. */
const asRows: ModelFile = { ...shipped, layers: shipped.layers.map((l) => ({ ...l, weights: matrixRows(l.weights) })) };

describe("weights packed as float32 in model files", () => {
  test("pack and unpack give back the float32 values of the rows, exactly", () => {
    const rows = [
      [0.1, -2.5, 3e-8, 1e30],
      [-0, 7, -1e-3, 0.333333],
    ];
    const packed = packMatrix(rows);
    expect(packed).toMatchObject({ rows: 2, cols: 4 });
    expect(Array.from(matrixData(packed).data)).toEqual(Array.from(Float32Array.from(rows.flat())));
    expect(matrixRows(packed)).toEqual(rows.map((r) => Array.from(Float32Array.from(r))));
  });

  test("the shipped model is packed, and runs exactly as its decimal rows do on real clips", async () => {
    expect(shipped.layers.every((l) => isPackedMatrix(l.weights))).toBe(true);
    const packed = new Classifier(shipped);
    const decimal = new Classifier(validateModel(JSON.parse(JSON.stringify(asRows)), "rows"));
    for (const clip of (await loadSplit("test")).slice(0, 40)) {
      const a = Array.from(packed.predict(packed.features(packed.analyse(clip.samples))));
      const b = Array.from(decimal.predict(decimal.features(decimal.analyse(clip.samples))));
      expect(a).toEqual(b);
    }
  });

  test("serializeModel writes what loads back to the same weights, in about half the bytes of decimal JSON", () => {
    const text = serializeModel(asRows);
    const back = validateModel(JSON.parse(text), "round trip");
    back.layers.forEach((l, i) => expect(matrixData(l.weights).data).toEqual(matrixData(shipped.layers[i]!.weights).data));
    expect(text.length).toBeLessThan(0.6 * JSON.stringify(asRows).length);
    expect(readFileSync("models/default.json", "utf8")).toBe(serializeModel(shipped));
  });

  test("a damaged packed layer is refused with the layer and the problem named", () => {
    const damaged = (change: (w: { rows: number; cols: number; float32: string }) => object) => {
      const m = JSON.parse(serializeModel(shipped));
      m.layers[1].weights = change(m.layers[1].weights);
      return () => validateModel(m, "damaged.json");
    };
    expect(damaged((w) => ({ ...w, float32: w.float32.slice(0, 100) }))).toThrow(/layer 1 weights: float32 holds \d+ bytes/);
    expect(damaged((w) => ({ ...w, cols: w.cols - 1, rows: w.rows + 0 }))).toThrow(/layer 1/);
    const nan = packMatrix([[Number.NaN, ...new Array(matrixData(shipped.layers[1]!.weights).cols - 1).fill(0)]]);
    expect(damaged((w) => ({ ...nan, rows: 1, cols: w.cols }))).toThrow(/layer 1 weights must be finite/);
  });
});
