import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine } from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import { type ModelFile, loadModelFile, serializeModel } from "../engine/model-file.ts";
import { matrixRows, packMatrix } from "../engine/packed-matrix.ts";
import { ClipRecognizer } from "../engine/clip-recognizer.ts";
import { FileSource } from "../engine/sources/file-source.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";

const ROOT = join(import.meta.dir, "..");
const DEFAULT = join(ROOT, "models", "default.json");
const work = mkdtempSync(join(tmpdir(), "model-file-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A model file as parsed JSON, changed field by field. */
// biome-ignore lint/suspicious/noExplicitAny: fields of any shape are set to anything
type RawModel = Record<string, any>;

const raw = () => JSON.parse(readFileSync(DEFAULT, "utf8")) as RawModel;

function writeModel(name: string, change: (m: RawModel) => void): string {
  const m = raw();
  change(m);
  const path = join(work, `${name}.json`);
  writeFileSync(path, JSON.stringify(m));
  return path;
}

/** The message of loading `path`, which must be refused with a UserError. */
function refusal(path: string): string {
  try {
    loadModelFile(path);
  } catch (err) {
    expect((err as Error).name).toBe("UserError");
    return (err as Error).message;
  }
  throw new Error(`${path} was accepted`);
}

describe("model files that would crash, hang or lie are refused at load, naming the file and the field", () => {
  // the findings: each one crashed, hung, exhausted memory or gave garbage before
  const cases: [string, (m: RawModel) => void, RegExp][] = [
    ["nFft 2^30", (m) => (m.features.nFft = 2 ** 30), /features\.nFft is 1073741824/],
    ["nFft 2^24", (m) => (m.features.nFft = 2 ** 24), /features\.nFft/],
    ["nMels 1e8", (m) => (m.features.nMels = 1e8), /features\.nMels/],
    ["deltaWidth 1e9", (m) => (m.features.deltaWidth = 1e9), /features\.deltaWidth/],
    ["sampleRate 1e9", (m) => (m.features.sampleRate = 1e9), /features\.sampleRate/],
    ["tiny scale", (m) => (m.standardize.scale[3] = 1e-30), /standardize\.scale\[3\]/],
    ["huge mean", (m) => (m.standardize.mean[0] = 1e30), /standardize\.mean\[0\]/],
    [
      "1e38 weights",
      (m) => (m.layers[0].weights = packMatrix(Array.from({ length: m.layers[0].weights.rows }, () => new Array(m.layers[0].weights.cols).fill(1e38)))),
      /layer 0 weights/,
    ],
    ["letter labels", (m) => (m.labels = "abcdefghij".split("")), /labels must be the ten digits/],
    ["two-character labels", (m) => (m.labels = m.labels.map((l: string) => `${l}0`)), /labels must be the ten digits/],
    ["a non-digit label before the digits", (m) => (m.labels = ["none", ...m.labels]), /labels must be the ten digits/],
    ["a non-digit label without its output", (m) => (m.labels = [...m.labels, "none"]), /output layer has 10 units for 11 labels/],
    ["rejectBelow 'high'", (m) => (m.rejectBelow = "high"), /rejectBelow is "high"/],
    ["rejectBelow 2", (m) => (m.rejectBelow = 2), /rejectBelow is 2/],
    ["rejectBelow -1", (m) => (m.rejectBelow = -1), /rejectBelow is -1/],
    ["a layer claiming 10^9 weights", (m) => Object.assign(m.layers[0].weights, { rows: 1e5, cols: 1e4 }), /layer 0 weights: 100000 × 10000/],
  ];
  for (const [what, change, message] of cases) {
    test(what, () => {
      const path = writeModel(what.replace(/\W+/g, "_"), change);
      const t0 = performance.now();
      const m = refusal(path);
      expect(m).toStartWith(`${path}: not a valid model file`);
      expect(m).toMatch(message);
      expect(m).not.toContain("\n");
      expect(performance.now() - t0).toBeLessThan(5000);
    });
  }

  test("/dev/zero and a folder are refused without being read", () => {
    expect(refusal("/dev/zero")).toContain("not a regular file");
    expect(refusal(work)).toContain("not a regular file");
  });

  test("a model without `training` loads (bun eval reads it) and gets an empty one", () => {
    const m = loadModelFile(writeModel("no_training", (m) => delete m.training));
    expect(m.training).toEqual({});
  });

  test("through `bun predict`: one line and exit 2, no stack trace", () => {
    const path = writeModel("cli_nfft", (m) => (m.features.nFft = 2 ** 30));
    const r = Bun.spawnSync(["bun", "run", "--silent", "predict", "--model", path, DEFAULT], { cwd: ROOT });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.toString()).toContain("features.nFft");
    expect(r.stderr.toString()).not.toMatch(/\n\s+at /);
  }, 30_000);
});

test.skipIf(!require("node:fs").existsSync(STREAMS_DIR))(
  "a valid model whose network overflows (NaN probabilities) gives rejections, never a digit",
  async () => {
    // within every bound, but six layers of 10^6 weights overflow float32 activations
    const m = loadModelFile(DEFAULT);
    const dim = m.standardize.mean.length;
    const big = (rows: number, cols: number) => packMatrix(Array.from({ length: rows }, () => new Array(cols).fill(1e6)));
    const layers = [dim, 32, 32, 32, 32, 32].map((cols) => ({ weights: big(32, cols), bias: new Array(32).fill(0), activation: "relu" as const }));
    layers.push({ weights: big(10, 32), bias: new Array(10).fill(0), activation: "softmax" as const } as never);
    const path = join(work, "overflow.json");
    writeFileSync(path, serializeModel({ ...m, layers, pitchWarp: undefined } as ModelFile));
    const overflow = loadModelFile(path);
    const events: EngineEvent[] = [];
    const engine = createEngine({
      model: overflow,
      source: new FileSource(join(STREAMS_DIR, "s01_8k_clean.wav"), { realtime: false }),
      levelIntervalMs: 0,
      onEvent: (e) => events.push(e),
    });
    const summary = await engine.start();
    expect(summary.utterances).toBeGreaterThan(10);
    expect(summary.predictions).toBe(0);
    const rejected = events.filter((e) => e.type === "rejected" && e.reason === "low-confidence");
    expect(rejected.length).toBeGreaterThan(0);
    // the utterances whose activations overflow give NaN; the rest a uniform 0.1: all rejected
    expect(rejected.some((e) => e.type === "rejected" && Number.isNaN(e.confidence))).toBe(true);
  },
  30_000,
);

test("the float32 magnitude check on bits agrees with the plain comparison, edges included", () => {
  const { firstTooLarge, firstTooLargeFloat32 } = require("../engine/model-bounds.ts") as typeof import("../engine/model-bounds.ts");
  const edges = [0, -0, 1, -1, 1e-40, 1e6, -1e6, 1e6 * 1.0000001, -1e7, 0.1, 3.4e38, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const max of [1e6, 0.1, 3, 1e30]) {
    for (const e of edges) {
      const values = new Float32Array([0.25, -0.5, e, 0.75]);
      expect(firstTooLargeFloat32(values, max)).toBe(firstTooLarge(values, max));
    }
    // every position of a vector step, among negative neighbours (sign bits set)
    for (const e of edges) {
      for (const at of [0, 5, 15, 16, 33, 47]) {
        const values = new Float32Array(50).fill(-1e-30);
        values[at] = e;
        expect(firstTooLargeFloat32(values, max)).toBe(firstTooLarge(values, max));
      }
    }
    // a subarray starts where it starts: the bits view keeps its offset
    const big = new Float32Array(1000);
    big[700] = max * 4;
    expect(firstTooLargeFloat32(big.subarray(500), max)).toBe(200);
  }
});

test('a model with a non-digit output ("none" after the digits) loads, and what that output wins is no digit', () => {
  const path = writeModel("none-output", (m) => {
    m.labels = [...m.labels, "none"];
    const out = m.layers[m.layers.length - 1];
    const rows = matrixRows(out.weights);
    out.weights = packMatrix([...rows, rows[0]!.map(() => 0)]);
    out.bias = [...out.bias, 1e3];
  });
  const model = loadModelFile(path);
  expect(model.labels).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "none"]);
  // a vowel-like buzz of 120 Hz and its harmonics, 0.5 s at 8 kHz
  const buzz = Float32Array.from({ length: 4000 }, (_, i) => 0.05 * [1, 2, 3, 4].reduce((a, h) => a + Math.sin((2 * Math.PI * 120 * h * i) / 8000) / h, 0));
  const p = new ClipRecognizer(model).recognize(buzz, 8000);
  expect(p.notDigit).toBe(true);
});
