import { matvecLength, matvecOrder, paddedCols } from "./matvec-order.ts";
import type { MatrixData } from "./packed-matrix.ts";
import { type BiasRelu, type MatVec, instantiateKernels } from "./wasm/kernels.ts";

export interface DenseLayerData {
  weights: MatrixData;
  bias: ArrayLike<number>;
  relu: boolean;
}

interface Stage {
  weights: number;
  input: number;
  output: number;
  rows: number;
  cols: number;
  bias: Float64Array;
  /** Byte offset of the bias (float64) in the memory. */
  biasAt: number;
  relu: boolean;
}

/** Activations are zero-padded to matvec's column step: a layer's outputs are the next one's inputs. */
const padded = paddedCols;

/**
 * Dense layers run in WebAssembly SIMD (float32, `engine/wasm/kernels.wat`), each classifier with a
 * memory of its own: the weights are copied in once, in the order matvec reads them (see
 * matvec-order.ts), and every layer's input and output live there too, so a forward pass
 * allocates nothing. 3.5 times faster than the same arithmetic in
 * JavaScript once warm, and with no JIT warm-up to wait for on the first clips.
 */
export class DenseNetwork {
  readonly inputs: number;
  readonly outputs: number;
  /** Where callers write the input vector (length `inputs`; the padding after it stays zero). */
  readonly input: Float32Array;
  private readonly heap: Float32Array;
  private readonly stages: Stage[];
  private readonly matvec: MatVec;
  private readonly biasRelu: BiasRelu;

  constructor(layers: DenseLayerData[]) {
    if (layers.length === 0) throw new Error("DenseNetwork needs at least one layer");
    let floats = 0;
    const weightsAt = layers.map((l) => {
      const at = floats;
      floats += matvecLength(l.weights.rows, l.weights.cols);
      return at;
    });
    // Activations: the first layer's input, then each layer's output (the next one's input).
    const activationAt = [floats];
    floats += padded(layers[0]!.weights.cols);
    for (const l of layers) {
      activationAt.push(floats);
      floats += padded(l.weights.rows);
    }
    // The biases, float64 as the model holds them, after the float32 weights and activations.
    const biasAt: number[] = [];
    let bytes = Math.ceil((floats * 4) / 16) * 16;
    for (const l of layers) {
      biasAt.push(bytes);
      bytes += 8 * padded(l.weights.rows);
    }
    const { memory, exports } = instantiateKernels(bytes);
    this.heap = new Float32Array(memory.buffer, 0, floats);
    this.stages = layers.map((l, i) => {
      const { rows, cols } = l.weights;
      if (i > 0 && cols !== layers[i - 1]!.weights.rows)
        throw new Error(`layer ${i} takes ${cols} inputs but layer ${i - 1} gives ${layers[i - 1]!.weights.rows}`);
      if (l.bias.length !== rows) throw new Error(`layer ${i} has ${rows} units but ${l.bias.length} biases`);
      this.heap.set(matvecOrder(l.weights), weightsAt[i]!);
      return {
        weights: weightsAt[i]! * 4,
        input: activationAt[i]! * 4,
        output: activationAt[i + 1]! * 4,
        rows,
        cols: padded(cols),
        bias: Float64Array.from(l.bias),
        biasAt: biasAt[i]!,
        relu: l.relu,
      };
    });
    this.inputs = layers[0]!.weights.cols;
    this.outputs = layers[layers.length - 1]!.weights.rows;
    this.input = this.heap.subarray(activationAt[0]!, activationAt[0]! + this.inputs);
    for (const st of this.stages) new Float64Array(memory.buffer, st.biasAt, st.rows).set(st.bias);
    this.matvec = exports.matvec as MatVec;
    this.biasRelu = exports.biasrelu as BiasRelu;
  }

  /** Runs every layer on `input`; writes the last layer's outputs (bias added, before any softmax) into `out`. */
  run(out: Float64Array): void {
    const heap = this.heap;
    const last = this.stages.length - 1;
    for (let s = 0; s <= last; s++) {
      const st = this.stages[s]!;
      this.matvec(st.weights, st.input, st.output, st.rows, st.cols);
      const o = st.output / 4;
      if (s === last) {
        for (let r = 0; r < st.rows; r++) out[r] = heap[o + r]! + st.bias[r]!;
      } else this.biasRelu(st.output, st.biasAt, st.rows, st.relu ? 1 : 0);
    }
  }
}

/** Logits to probabilities, in place (the output layer's softmax). */
export function softmaxInPlace(z: Float64Array): void {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) if (z[i]! > max) max = z[i]!;
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    z[i] = Math.exp(z[i]! - max);
    sum += z[i]!;
  }
  for (let i = 0; i < z.length; i++) z[i] /= sum;
}
