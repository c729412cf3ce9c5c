import { softmaxInPlace } from "../dense-network.ts";
import type { FeatureExtractor } from "../features/extractor.ts";
import type { Utterance } from "../features/utterance.ts";
import { type PackedMatrix, matrixData } from "../packed-matrix.ts";

/**
 * A speaker's enrolment takes kept as sequences of cepstral frames, for template matching: an
 * utterance is aligned to each take by dynamic time warping, and each digit scored by its
 * nearest take. The network pools an utterance onto a fixed time grid; the alignment follows
 * the speaker's own timing, frame by frame, which a few takes of one voice pin down well.
 */
export interface TemplateSet {
  /** Logits move by −weight × the DTW distance to the digit's nearest take. */
  weight: number;
  /** Per-cepstrum weights of the frame distance (the inverse variance over the takes' frames). */
  dimWeights: number[];
  /**
   * One take each: its output index and its trimmed frames' cepstra (frames × cepstra), at the
   * model's own filterbank; `oh`: a take of 0 said as "oh", not fused with the network (see `ohReach`).
   */
  takes: { label: number; frames: PackedMatrix; oh?: boolean }[];
  /**
   * An utterance whose DTW distance to an "oh" take is at most this is named 0 outright. "oh" is
   * a short vowel that the network, refitted on it, would hear in many words that are no digit,
   * so the "oh" takes teach nothing but this: the reach is set at enrolment from how near the
   * "oh" takes lie to each other and how far the user's phrases and other digits stay.
   */
  ohReach?: number;
}

/**
 * Scores an analysed utterance against a TemplateSet. Scratch buffers grow with the longest
 * utterance seen and hold nothing between calls: a result depends only on the utterance given.
 */
export class TemplateMatcher {
  private readonly dimWeights: Float64Array;
  private readonly dims: number;
  private readonly takes: { label: number; frames: number; data: Float32Array; oh: boolean }[];
  private readonly distances: Float64Array;
  private logMel = new Float64Array(0);
  private cepstra = new Float64Array(0);
  private previous = new Float64Array(0);
  private current = new Float64Array(0);

  constructor(
    readonly set: TemplateSet,
    private readonly extractor: FeatureExtractor,
    classes: number,
  ) {
    this.dims = extractor.config.nCepstra;
    if (set.dimWeights.length !== this.dims) throw new Error(`templates of ${set.dimWeights.length} cepstra do not fit features of ${this.dims}`);
    this.dimWeights = Float64Array.from(set.dimWeights);
    this.takes = set.takes.map((t) => {
      const m = matrixData(t.frames);
      if (m.cols !== this.dims || !(t.label >= 0 && t.label < classes))
        throw new Error(`a template of ${m.cols} cepstra for output ${t.label} does not fit this model`);
      return { label: t.label, frames: m.rows, data: m.data, oh: t.oh === true };
    });
    this.distances = new Float64Array(classes);
    const longest = Math.max(1, ...this.takes.map((t) => t.frames));
    this.previous = new Float64Array(longest + 1);
    this.current = new Float64Array(longest + 1);
  }

  /** The trimmed frames' cepstra of `u` at the model's own filterbank (a view of scratch). */
  frames(u: Utterance): { frames: number; data: Float64Array } {
    const n = Math.max(1, u.trim.end - u.trim.start);
    const { nMels } = this.extractor.config;
    if (this.logMel.length < n * nMels) {
      this.logMel = new Float64Array(2 * n * nMels);
      this.cepstra = new Float64Array(2 * n * this.dims);
    }
    const start = Math.min(u.trim.start, u.frames - 1);
    this.extractor.logMel(u, 1, start, start + n, this.logMel);
    this.extractor.cepstra(this.logMel, n, this.cepstra);
    return { frames: n, data: this.cepstra };
  }

  /**
   * Per output, the DTW distance of `u` to its nearest take other than an "oh" take (Infinity
   * for an output without takes), into `out`; returns the distance to the nearest "oh" take
   * (Infinity without).
   */
  nearest(u: Utterance, out: Float64Array = this.distances): number {
    const a = this.frames(u);
    out.fill(Infinity);
    let oh = Infinity;
    for (const t of this.takes) {
      if (t.oh && !(this.set.ohReach! >= 0)) continue;
      const d = this.distance(a.data, a.frames, t.data, t.frames);
      if (t.oh) oh = Math.min(oh, d);
      else if (d < out[t.label]!) out[t.label] = d;
    }
    return oh;
  }

  /**
   * Probabilities `p` of `u` (in place) with the template scores fused in: log p_c − weight ×
   * distance_c, renormalised; certainly 0 within `ohReach` of an "oh" take. An output without takes (a non-digit output) is moved as much as
   * the best of the outputs with takes: template matching reorders the digits and leaves the
   * network's odds between the best digit and "not a digit" as they were.
   */
  fuse(u: Utterance, p: Float64Array): Float64Array {
    if (this.nearest(u) <= this.set.ohReach!) {
      p.fill(0);
      p[0] = 1;
      return p;
    }
    for (let c = 0; c < p.length; c++) p[c] = Math.log(p[c]! + 1e-30);
    fuseTemplateScores(p, this.distances, this.set.weight);
    softmaxInPlace(p);
    return p;
  }

  /**
   * Symmetric DTW (steps right, down, diagonal) of frame sequences a (n × dims) and b (m ×
   * dims) under the weighted Euclidean frame distance, divided by n + m so that utterances of
   * any length compare.
   */
  distance(a: ArrayLike<number>, n: number, b: ArrayLike<number>, m: number): number {
    if (this.previous.length < m + 1) {
      this.previous = new Float64Array(m + 1);
      this.current = new Float64Array(m + 1);
    }
    let prev = this.previous;
    let cur = this.current;
    const dims = this.dims;
    const w = this.dimWeights;
    prev.fill(Infinity, 0, m + 1);
    prev[0] = 0;
    for (let i = 1; i <= n; i++) {
      cur[0] = Infinity;
      const ao = (i - 1) * dims;
      for (let j = 1; j <= m; j++) {
        const bo = (j - 1) * dims;
        let s = 0;
        for (let k = 0; k < dims; k++) {
          const t = a[ao + k]! - b[bo + k]!;
          s += w[k]! * t * t;
        }
        const up = prev[j]!;
        const left = cur[j - 1]!;
        const diag = prev[j - 1]!;
        cur[j] = Math.sqrt(s) + (up < left ? (up < diag ? up : diag) : left < diag ? left : diag);
      }
      const swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[m]! / (n + m);
  }
}

/**
 * Logits `z` (in place) with template distances `d` fused in: z_c − weight × d_c for an output
 * with takes; an output without (d_c Infinity) moves as much as the best output with takes.
 */
export function fuseTemplateScores(z: Float64Array, d: Float64Array, weight: number): void {
  let best = -1;
  for (let c = 0; c < z.length; c++) {
    if (!Number.isFinite(d[c]!)) continue;
    z[c] -= weight * d[c]!;
    if (best < 0 || z[c]! > z[best]!) best = c;
  }
  if (best < 0) return;
  const shift = weight * d[best]!;
  for (let c = 0; c < z.length; c++) if (!Number.isFinite(d[c]!)) z[c] -= shift;
}
