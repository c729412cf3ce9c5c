/**
 * A dense matrix as model files store it: row-major float32 values, little-endian, in base64.
 * The classifier computes with float32 weights, so this is exactly what runs; as decimal JSON
 * the same weights took twice the bytes and 12 ms of a cold start to parse.
 */
export interface PackedMatrix {
  rows: number;
  cols: number;
  float32: string;
}

export interface MatrixData {
  rows: number;
  cols: number;
  data: Float32Array;
}

export const LITTLE_ENDIAN = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f;
const decoded = new WeakMap<PackedMatrix, MatrixData>();

export function isPackedMatrix(w: unknown): w is PackedMatrix {
  if (typeof w !== "object" || w === null || Array.isArray(w)) return false;
  // one of packedFromData's is known without making its text
  return decoded.has(w as PackedMatrix) || typeof (w as PackedMatrix).float32 === "string";
}

export function packMatrix(rows: number[][]): PackedMatrix {
  const cols = rows[0]?.length ?? 0;
  const bytes = new Uint8Array(rows.length * cols * 4);
  const view = new DataView(bytes.buffer);
  rows.forEach((row, r) => {
    for (let c = 0; c < cols; c++) view.setFloat32((r * cols + c) * 4, row[c]!, true);
  });
  return { rows: rows.length, cols, float32: Buffer.from(bytes).toString("base64") };
}

/**
 * A packed matrix of values already decoded (read from a model's weights file, see
 * model-weights-file.ts): matrixData gives them back as they are, and the base64 text is made
 * only when something reads it (writing the model as JSON).
 */
export function packedFromData(m: MatrixData): PackedMatrix {
  let text: string | undefined;
  const packed: PackedMatrix = {
    rows: m.rows,
    cols: m.cols,
    get float32() {
      text ??= Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength).toString("base64");
      return text;
    },
  };
  decoded.set(packed, m);
  return packed;
}

/**
 * The values of a weight matrix in either form (rows of numbers, or packed), row-major. Packed
 * matrices are decoded once and remembered. Throws an Error saying what is wrong with the shape.
 */
export function matrixData(w: number[][] | PackedMatrix): MatrixData {
  if (!isPackedMatrix(w)) {
    const cols = w[0]!.length;
    const data = new Float32Array(w.length * cols);
    for (let r = 0; r < w.length; r++) {
      const row = w[r]!;
      for (let c = 0; c < cols; c++) data[r * cols + c] = row[c]!;
    }
    return { rows: w.length, cols, data };
  }
  const known = decoded.get(w);
  if (known) return known;
  const { rows, cols } = w;
  if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0)) throw new Error("rows and cols must be positive integers");
  const bytes = Buffer.from(w.float32, "base64");
  if (bytes.length !== rows * cols * 4) throw new Error(`float32 holds ${bytes.length} bytes, ${rows} × ${cols} weights need ${rows * cols * 4}`);
  let data: Float32Array;
  if (LITTLE_ENDIAN) {
    data = new Float32Array(rows * cols);
    new Uint8Array(data.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    data = Float32Array.from({ length: rows * cols }, (_, i) => view.getFloat32(i * 4, true));
  }
  const m = { rows, cols, data };
  decoded.set(w, m);
  return m;
}

/**
 * A layer list whose weights cross to a Worker as float32 arrays (copied as they are) rather than
 * as base64 text to encode here and decode there; `fromPortable` gives the layers back.
 */
export function toPortable<L extends { weights: number[][] | PackedMatrix }>(layers: L[]): (Omit<L, "weights"> & { weights: MatrixData })[] {
  return layers.map((l) => ({ ...l, weights: matrixData(l.weights) }));
}

export function fromPortable<L extends { weights: MatrixData }>(layers: L[]): (Omit<L, "weights"> & { weights: PackedMatrix })[] {
  return layers.map((l) => ({ ...l, weights: packedFromData(l.weights) }));
}

/** Rows of numbers of either form (for code that builds new layers from old ones). */
export function matrixRows(w: number[][] | PackedMatrix): number[][] {
  if (!isPackedMatrix(w)) return w;
  const { rows, cols, data } = matrixData(w);
  return Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * cols, (r + 1) * cols)));
}
