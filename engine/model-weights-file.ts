/**
 * A model file's weights file: the model as its JSON holds it, in the form a cold start reads
 * fastest, beside it (models/default.json → models/default.weights.bin). The JSON stays the source
 * of truth; the weights file records the size and hash of the JSON it was made from and is used
 * only while they match, so a stale or foreign one is noticed and the JSON read instead.
 *
 * Why: a cold `bun predict` spent most of its model time touching fresh memory (the 2 MB text, its
 * string, the decoded base64, copies of the weights), and first touches of fresh pages are what
 * costs most on this kind of machine. The weights file is mapped (Bun.mmap), its float32 weights
 * used where they lie, and only a few kilobytes of settings are parsed.
 *
 * Layout, little-endian: the magic "SDWB", the layout version, the JSON's size in bytes, the
 * settings' size in bytes, the JSON's xxHash64, the weights' count (uint32 each but the hash);
 * then the settings (the model as JSON with each layer's weights as {rows, cols}), zero-padded to
 * a multiple of 16 bytes; then each layer's weights, float32 in the order the network's matvec
 * kernel reads them (matvec-order.ts: blocks of four rows, eight columns of each at a time, zero
 * padding included), layer by layer, so a cold start copies them into the network as they lie.
 * Layout version 2; version 1 held the weights row-major, and such a file is taken as stale.
 *
 * The file is written whole and renamed into place (writeFileAtomic), never rewritten in place: a
 * process that has the old one mapped keeps reading it (truncating a mapped file under a running
 * process would end that process with SIGBUS).
 */
import { existsSync } from "node:fs";
import type { DenseLayer, ModelFile } from "./model-file.ts";
import { matrixInMatvecOrder, matvecLength, matvecOrder } from "./matvec-order.ts";
import { LITTLE_ENDIAN, matrixData, packedFromData } from "./packed-matrix.ts";
import { writeFileAtomic } from "./write-atomic.ts";

const MAGIC = 0x42574453; // "SDWB" read as a little-endian uint32
const LAYOUT_VERSION = 2;
const HEADER_BYTES = 32;
const ALIGN = 16;

/** Where the weights file of the model file at `jsonPath` lies. */
export function weightsFilePath(jsonPath: string): string {
  return `${jsonPath.replace(/\.json$/i, "")}.weights.bin`;
}

/** What became of a model file's weights file on load. */
export type WeightsFileUse =
  /** The model was read from it. */
  | "read"
  /** There was none (or it could not be read); the JSON was read and a new one written. */
  | "written"
  /** It was made from another JSON (stale or foreign); the JSON was read and a new one written. */
  | "replaced"
  /** The JSON was read and no weights file could be written beside it (or used on this platform). */
  | "unwritable";

const hashOf = (json: Uint8Array): bigint => Bun.hash.xxHash64(json);

/**
 * The model's settings and weights from the weights file at `path`, when it was made from the
 * JSON `json` (its bytes); null when there is no such file; "stale" when it was made from another
 * JSON or is not a weights file. The result is parsed but not validated (validateModel does that,
 * as for the JSON).
 */
export function readWeightsFile(path: string, json: Uint8Array): unknown | null | "stale" {
  if (!LITTLE_ENDIAN || !existsSync(path)) return null;
  let bytes: Uint8Array;
  try {
    bytes = Bun.mmap(path, { shared: false });
  } catch {
    return null;
  }
  if (bytes.length < HEADER_BYTES || bytes.byteOffset % ALIGN !== 0) return "stale";
  const head = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const u32 = (at: number) => head.getUint32(at, true);
  if (u32(0) !== MAGIC || u32(4) !== LAYOUT_VERSION || u32(8) !== json.length) return "stale";
  if (head.getBigUint64(16, true) !== hashOf(json)) return "stale";
  const settingsBytes = u32(12);
  const weightsAt = HEADER_BYTES + Math.ceil(settingsBytes / ALIGN) * ALIGN;
  const floats = u32(24);
  if (weightsAt + 4 * floats !== bytes.length) return "stale";
  let model: { layers?: { weights?: { rows?: unknown; cols?: unknown } }[] };
  try {
    model = JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + settingsBytes)));
  } catch {
    return "stale";
  }
  if (!Array.isArray(model?.layers)) return "stale";
  let at = 0;
  for (const layer of model.layers) {
    const { rows, cols } = layer?.weights ?? {};
    if (!(Number.isInteger(rows) && Number.isInteger(cols) && (rows as number) > 0 && (cols as number) > 0)) return "stale";
    const n = matvecLength(rows as number, cols as number);
    if (at + n > floats) return "stale";
    const values = new Float32Array(bytes.buffer, bytes.byteOffset + weightsAt + 4 * at, n);
    layer.weights = packedFromData(matrixInMatvecOrder(rows as number, cols as number, values));
    at += n;
  }
  return at === floats ? model : "stale";
}

/** Writes the weights file of `model`, read from the JSON `json` (its bytes), to `path`. */
export function writeWeightsFile(path: string, json: Uint8Array, model: ModelFile): void {
  const matrices = model.layers.map((l) => matrixData(l.weights));
  const layers = model.layers.map((l: DenseLayer, i) => ({ ...l, weights: { rows: matrices[i]!.rows, cols: matrices[i]!.cols } }));
  const settings = new TextEncoder().encode(JSON.stringify({ ...model, layers }));
  const weightsAt = HEADER_BYTES + Math.ceil(settings.length / ALIGN) * ALIGN;
  const ordered = matrices.map(matvecOrder);
  const floats = ordered.reduce((n, values) => n + values.length, 0);
  const out = new Uint8Array(weightsAt + 4 * floats);
  const head = new DataView(out.buffer, 0, HEADER_BYTES);
  head.setUint32(0, MAGIC, true);
  head.setUint32(4, LAYOUT_VERSION, true);
  head.setUint32(8, json.length, true);
  head.setUint32(12, settings.length, true);
  head.setBigUint64(16, hashOf(json), true);
  head.setUint32(24, floats, true);
  out.set(settings, HEADER_BYTES);
  let at = weightsAt;
  for (const values of ordered) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
    at += values.byteLength;
  }
  writeFileAtomic(path, out);
}
