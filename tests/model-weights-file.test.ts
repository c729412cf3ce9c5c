import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { modelFingerprint } from "../engine/adaptation/adapted-model.ts";
import { readSplitRows, splitPath } from "../data/fsdd.ts";
import { decodeWav } from "../engine/audio/wav.ts";
import { ClipRecognizer } from "../engine/clip-recognizer.ts";
import { type ModelLoadTimings, loadModelFile, serializeModel } from "../engine/model-file.ts";
import { matvecOrder } from "../engine/matvec-order.ts";
import { weightsFilePath } from "../engine/model-weights-file.ts";
import { matrixData } from "../engine/packed-matrix.ts";

const ROOT = join(import.meta.dir, "..");
const SHIPPED = join(ROOT, "models", "default.json");
const work = mkdtempSync(join(tmpdir(), "weights-file-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The shipped model copied alone into a folder of its own. */
function freshCopy(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const path = join(dir, "model.json");
  copyFileSync(SHIPPED, path);
  return path;
}

function load(path: string): { model: ReturnType<typeof loadModelFile>; use: ModelLoadTimings["weightsFile"] } {
  const t: ModelLoadTimings = { readMs: 0, parseMs: 0, validateMs: 0 };
  const model = loadModelFile(path, t);
  return { model, use: t.weightsFile };
}

/** Twenty real test-split recordings, two of each digit. */
async function testWavs(): Promise<Uint8Array[]> {
  const rows = await readSplitRows(splitPath("test", join(ROOT, "data", "fsdd_parquet")));
  return [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((d) =>
    rows
      .filter((r) => r.label === d)
      .slice(0, 2)
      .map((r) => r.wav),
  );
}

describe("a model's weights file", () => {
  test("is written beside the JSON on its first load, read on the next, and gives the same model", () => {
    const path = freshCopy("first");
    const first = load(path);
    expect(first.use).toBe("written");
    expect(existsSync(weightsFilePath(path))).toBe(true);
    expect(weightsFilePath(path)).toBe(join(work, "first", "model.weights.bin"));
    const second = load(path);
    expect(second.use).toBe("read");
    expect(modelFingerprint(second.model)).toBe(modelFingerprint(first.model));
    second.model.layers.forEach((l, i) => expect(matrixData(l.weights).data).toEqual(matrixData(first.model.layers[i]!.weights).data));
    // written back as JSON, the model read from the weights file is the JSON it came from
    expect(serializeModel(second.model)).toBe(serializeModel(first.model));
    const { layers, ...settings } = second.model;
    const { layers: _, ...expected } = first.model;
    expect(settings).toEqual(expected);
    expect(layers.map((l) => [l.bias, l.activation])).toEqual(first.model.layers.map((l) => [l.bias, l.activation]));
  });

  test("recognises real clips exactly as the JSON does", async () => {
    const path = freshCopy("clips");
    const fromJson = new ClipRecognizer(load(path).model);
    const read = load(path);
    expect(read.use).toBe("read");
    const fromWeights = new ClipRecognizer(read.model);
    for (const wav of await testWavs()) {
      const audio = decodeWav(wav);
      const a = fromJson.recognizeDecoded(audio);
      const b = fromWeights.recognizeDecoded(audio);
      expect([b.digit, b.confidence, b.top]).toEqual([a.digit, a.confidence, a.top]);
    }
  });

  test("made from another JSON (stale) is noticed: the JSON's weights are used and the file written anew", () => {
    const path = freshCopy("stale");
    load(path);
    const m = JSON.parse(readFileSync(path, "utf8"));
    m.layers[1].bias[0] += 1;
    writeFileSync(path, JSON.stringify(m));
    const after = load(path);
    expect(after.use).toBe("replaced");
    expect(after.model.layers[1]!.bias[0]).toBe(m.layers[1].bias[0]);
    expect(load(path).use).toBe("read");
    expect(load(path).model.layers[1]!.bias[0]).toBe(m.layers[1].bias[0]);
  });

  test("holds the weights in the order the network reads them; a file of the row-major layout (version 1) is stale", () => {
    const path = freshCopy("layout");
    const fromJson = load(path).model;
    const read = load(path);
    expect(read.use).toBe("read");
    read.model.layers.forEach((l, i) => {
      const ordered = matvecOrder(matrixData(l.weights));
      // the very floats of the file, not a copy made at load
      expect(ordered.buffer.byteLength).toBe(readFileSync(weightsFilePath(path)).length);
      expect(ordered).toEqual(matvecOrder(matrixData(fromJson.layers[i]!.weights)));
    });
    // the same file as the first layout wrote it: version 1, row-major weights (fewer floats)
    const v2 = readFileSync(weightsFilePath(path));
    const head = new DataView(v2.buffer, v2.byteOffset, 32);
    const settingsEnd = 32 + Math.ceil(head.getUint32(12, true) / 16) * 16;
    const rowMajor = fromJson.layers.map((l) => matrixData(l.weights).data);
    const floats = rowMajor.reduce((n, d) => n + d.length, 0);
    const v1 = new Uint8Array(settingsEnd + 4 * floats);
    v1.set(v2.subarray(0, settingsEnd));
    const v1Head = new DataView(v1.buffer, 0, 32);
    v1Head.setUint32(4, 1, true);
    v1Head.setUint32(24, floats, true);
    let at = settingsEnd;
    for (const d of rowMajor) {
      v1.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
      at += d.byteLength;
    }
    writeFileSync(weightsFilePath(path), v1);
    expect(load(path).use).toBe("replaced");
    expect(load(path).use).toBe("read");
  });

  test("a foreign or damaged file in its place is not read", () => {
    const path = freshCopy("damaged");
    load(path);
    const good = readFileSync(weightsFilePath(path));
    const cases: [string, Uint8Array][] = [
      ["garbage", new Uint8Array(4096).fill(7)],
      ["empty", new Uint8Array(0)],
      ["truncated", good.subarray(0, good.length - 4)],
      ["longer", Buffer.concat([good, Buffer.alloc(16)])],
    ];
    for (const [, bytes] of cases) {
      writeFileSync(weightsFilePath(path), bytes);
      const r = load(path);
      expect(r.use).toBe(bytes.length === 0 ? "written" : "replaced");
      expect(modelFingerprint(r.model)).toBe(modelFingerprint(loadModelFile(SHIPPED)));
    }
  });

  test("a model in a folder that cannot be written still loads from its JSON", () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: a weights path that is a folder stands in for an unwritable one
      const path = freshCopy("unwritable");
      mkdirSync(weightsFilePath(path));
      expect(load(path).use).toBe("unwritable");
      expect(load(path).model.layers).toHaveLength(2);
      return;
    }
    const path = freshCopy("readonly");
    chmodSync(join(work, "readonly"), 0o555);
    try {
      expect(load(path).use).toBe("unwritable");
    } finally {
      chmodSync(join(work, "readonly"), 0o755);
    }
  });

  test("`bun predict` says so when the weights file was made from another model, and predicts from the JSON", async () => {
    const path = freshCopy("predict");
    const other = freshCopy("other");
    load(other);
    copyFileSync(weightsFilePath(other), weightsFilePath(path));
    const m = JSON.parse(readFileSync(path, "utf8"));
    m.rejectBelow = 0.25;
    writeFileSync(path, JSON.stringify(m));
    const input = join(work, "clip.wav");
    writeFileSync(input, (await testWavs())[0]!);
    const run = (args: string[]) => Bun.spawnSync(["bun", join(ROOT, "ui", "commands", "predict-command.ts"), ...args], { cwd: ROOT });
    const r = run([input, "--model", path]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr.toString()).toContain(`note: ${weightsFilePath(path)} did not match ${path} (made from another model file, or by an older version)`);
    const again = run([input, "--model", path]);
    expect(again.stderr.toString()).toBe("");
    expect(again.stdout.toString().split("\n").slice(0, 2)).toEqual(r.stdout.toString().split("\n").slice(0, 2));
  }, 30_000);
});
