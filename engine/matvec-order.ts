import type { MatrixData } from "./packed-matrix.ts";

/**
 * The order the `matvec` kernel (engine/wasm/kernels.wat) reads a weight matrix in: rows in
 * blocks of four, and within a block, column step by column step, eight columns of the first
 * row, then of the second, third and fourth. Columns are zero-padded to a multiple of eight and
 * rows to a multiple of four. The kernel then reads one stream of weights instead of four rows
 * apart, which is faster once other work has evicted them from cache; each row's sums keep their
 * terms and order, so the results are those of the row-major product bit for bit.
 *
 * A model's weights file stores its weights in this order (see model-weights-file.ts), so a cold
 * start copies them into the network as they lie; a model read from JSON is rearranged once.
 */
export const STEP = 8;
export const BLOCK_ROWS = 4;

export const paddedCols = (cols: number) => Math.ceil(cols / STEP) * STEP;
export const paddedRows = (rows: number) => Math.ceil(rows / BLOCK_ROWS) * BLOCK_ROWS;

/** How many floats a rows × cols matrix takes in matvec order (padding included). */
export const matvecLength = (rows: number, cols: number) => paddedRows(rows) * paddedCols(cols);

/** Where row r, column c of a matrix of `stride` padded columns lies in matvec order. */
const at = (r: number, c: number, stride: number) => (r - (r % BLOCK_ROWS)) * stride + (c - (c % STEP)) * BLOCK_ROWS + (r % BLOCK_ROWS) * STEP + (c % STEP);

const ordered = new WeakMap<MatrixData, Float32Array>();

/** The matrix's weights in matvec order (made once per matrix and remembered). */
export function matvecOrder(m: MatrixData): Float32Array {
  const known = ordered.get(m);
  if (known) return known;
  const { rows, cols, data } = m;
  const stride = paddedCols(cols);
  const out = new Float32Array(matvecLength(rows, cols));
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c += STEP) out.set(data.subarray(row + c, row + Math.min(c + STEP, cols)), at(r, c, stride));
  }
  ordered.set(m, out);
  return out;
}

/**
 * A matrix held in matvec order (`values`, as a weights file stores it): matvecOrder gives
 * `values` back as they are, and the row-major `data` is made only when something reads it.
 */
export function matrixInMatvecOrder(rows: number, cols: number, values: Float32Array): MatrixData {
  if (values.length !== matvecLength(rows, cols)) throw new Error(`${values.length} floats are not a ${rows} × ${cols} matrix in matvec order`);
  let data: Float32Array | undefined;
  const m: MatrixData = {
    rows,
    cols,
    get data() {
      if (!data) {
        data = new Float32Array(rows * cols);
        const stride = paddedCols(cols);
        for (let r = 0; r < rows; r++)
          for (let c = 0; c < cols; c += STEP) {
            const from = at(r, c, stride);
            data.set(values.subarray(from, from + Math.min(STEP, cols - c)), r * cols + c);
          }
      }
      return data;
    },
  };
  ordered.set(m, values);
  return m;
}
