/**
 * Real-input FFT of a power-of-two size n, specialised for what the features need: the power
 * of bins 0..n/2. The n real samples are packed into n/2 complex ones (even samples real, odd
 * imaginary) in bit-reversed order, fused with the first two stages of an iterative
 * decimation-in-time FFT (twiddles ±1, ±i: no multiplications); the other stages run two at a
 * time (radix 4, three complex multiplications per four points), a last radix-2 stage when their
 * count is odd; the final pass splits the half-size spectrum into the real signal's and, in
 * `powerSpectrum`, squares it on the spot. Tables are built once; no allocation per call.
 *
 * Why not fft.js: in the feature extractor this does the FFT and the power spectrum in about
 * a third less time than fft.js's `realTransform` plus a power loop, and the extractor spends most
 * of its time there. Results agree with fft.js to rounding (tests/real-fft.test.ts).
 */
export class RealFft {
  readonly size: number;
  private readonly half: number;
  private readonly rev: Int32Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** Spans h of the radix-4 passes (each does the stages of span h and 2h). */
  private readonly radix4: number[] = [];
  /** Whether the first pass does three stages (radix 8) instead of two. */
  private readonly first8: boolean;
  /** Twiddles of the radix-4 pass of span h at index h + j: W^j, W^2j, W^3j with W = e^(−2πi/4h). */
  private readonly w1r: Float64Array;
  private readonly w1i: Float64Array;
  private readonly w2r: Float64Array;
  private readonly w2i: Float64Array;
  private readonly w3r: Float64Array;
  private readonly w3i: Float64Array;
  /** Split twiddles e^(−2πik/n) for k ≤ n/4. */
  private readonly spRe: Float64Array;
  private readonly spIm: Float64Array;

  constructor(n: number) {
    if (!(Number.isInteger(n) && n >= 8 && (n & (n - 1)) === 0)) throw new RangeError(`FFT size must be a power of two ≥ 8, got ${n}`);
    this.size = n;
    const m = n >> 1;
    this.half = m;
    const bits = Math.log2(m);
    this.rev = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.re = new Float64Array(m);
    this.im = new Float64Array(m);
    [this.w1r, this.w1i, this.w2r, this.w2i, this.w3r, this.w3i] = Array.from({ length: 6 }, () => new Float64Array(m));
    // A first pass of radix 8 when the stage count after a radix-4 one would be odd, so that the
    // rest always pairs up into radix-4 passes.
    this.first8 = m >= 8 && (bits - 2) % 2 === 1;
    for (let h = this.first8 ? 8 : 4; 2 * h < m; h *= 4) {
      this.radix4.push(h);
      for (let j = 0; j < h; j++) {
        const a = (-2 * Math.PI * j) / (4 * h);
        this.w1r[h + j] = Math.cos(a);
        this.w1i[h + j] = Math.sin(a);
        this.w2r[h + j] = Math.cos(2 * a);
        this.w2i[h + j] = Math.sin(2 * a);
        this.w3r[h + j] = Math.cos(3 * a);
        this.w3i[h + j] = Math.sin(3 * a);
      }
    }
    this.spRe = new Float64Array(m / 2 + 1);
    this.spIm = new Float64Array(m / 2 + 1);
    for (let k = 0; k <= m / 2; k++) {
      this.spRe[k] = Math.cos((-2 * Math.PI * k) / n);
      this.spIm[k] = Math.sin((-2 * Math.PI * k) / n);
    }
  }

  /**
   * |X[k]|² for bins 0..n/2 of the first n samples of `input`, into `power` from `offset`.
   * The split: X[k] = E[k] + W^k·O[k] with E = (Z[k] + conj Z[m−k]) / 2 and
   * O = (Z[k] − conj Z[m−k]) / 2i, Z the half-size spectrum; bin m − k comes from the same terms.
   */
  powerSpectrum(input: Float64Array, power: Float64Array, offset: number): void {
    this.transformHalf(input);
    const m = this.half;
    const { re, im, spRe, spIm } = this;
    const dc = re[0]! + im[0]!;
    const ny = re[0]! - im[0]!;
    power[offset] = dc * dc;
    power[offset + m] = ny * ny;
    for (let k = 1; k <= m >> 1; k++) {
      const k2 = m - k;
      const er = 0.5 * (re[k]! + re[k2]!);
      const ei = 0.5 * (im[k]! - im[k2]!);
      const or = 0.5 * (im[k]! + im[k2]!);
      const oi = -0.5 * (re[k]! - re[k2]!);
      const wr = spRe[k]!;
      const wi = spIm[k]!;
      const tr = or * wr - oi * wi;
      const ti = or * wi + oi * wr;
      const ar = er + tr;
      const ai = ei + ti;
      // at m − k, E and O are conj E[k] and conj O[k], and W^(m−k) = −conj W^k: X = conj(E − T)
      const br = er - tr;
      const bi = ti - ei;
      power[offset + k2] = br * br + bi * bi;
      power[offset + k] = ar * ar + ai * ai;
    }
  }

  /** The half-size complex FFT of the packed input, left in re/im. */
  private transformHalf(input: Float64Array): void {
    const m = this.half;
    const { re, im, rev } = this;
    if (this.first8) this.firstPass8(input);
    else this.firstPass4(input);
    for (let p = 0; p < this.radix4.length; p++) this.pass4(this.radix4[p]!);
  }

  /** Packing (bit-reversed) fused with the stages of span 1 and 2: a 4-point DFT per group of four. */
  private firstPass4(input: Float64Array): void {
    const m = this.half;
    const { re, im, rev } = this;
    for (let i = 0; i < m; i += 4) {
      const p0 = 2 * rev[i]!;
      const p1 = 2 * rev[i + 1]!;
      const p2 = 2 * rev[i + 2]!;
      const p3 = 2 * rev[i + 3]!;
      const ar = input[p0]! + input[p1]!;
      const ai = input[p0 + 1]! + input[p1 + 1]!;
      const br = input[p0]! - input[p1]!;
      const bi = input[p0 + 1]! - input[p1 + 1]!;
      const cr = input[p2]! + input[p3]!;
      const ci = input[p2 + 1]! + input[p3 + 1]!;
      const dr = input[p2]! - input[p3]!;
      const di = input[p2 + 1]! - input[p3 + 1]!;
      re[i] = ar + cr;
      im[i] = ai + ci;
      re[i + 2] = ar - cr;
      im[i + 2] = ai - ci;
      re[i + 1] = br + di; // b + (−i)·d
      im[i + 1] = bi - dr;
      re[i + 3] = br - di;
      im[i + 3] = bi + dr;
    }
  }

  /** Packing fused with the stages of span 1, 2 and 4: an 8-point DFT per group of eight. */
  private firstPass8(input: Float64Array): void {
    const m = this.half;
    const { re, im, rev } = this;
    const r = Math.SQRT1_2;
    for (let i = 0; i < m; i += 8) {
      const p0 = 2 * rev[i]!;
      const p1 = 2 * rev[i + 1]!;
      const p2 = 2 * rev[i + 2]!;
      const p3 = 2 * rev[i + 3]!;
      const p4 = 2 * rev[i + 4]!;
      const p5 = 2 * rev[i + 5]!;
      const p6 = 2 * rev[i + 6]!;
      const p7 = 2 * rev[i + 7]!;
      // 4-point DFTs of the first and second half (spans 1 and 2)
      let ar = input[p0]! + input[p1]!;
      let ai = input[p0 + 1]! + input[p1 + 1]!;
      let br = input[p0]! - input[p1]!;
      let bi = input[p0 + 1]! - input[p1 + 1]!;
      let cr = input[p2]! + input[p3]!;
      let ci = input[p2 + 1]! + input[p3 + 1]!;
      let dr = input[p2]! - input[p3]!;
      let di = input[p2 + 1]! - input[p3 + 1]!;
      const a0r = ar + cr, a0i = ai + ci, a2r = ar - cr, a2i = ai - ci;
      const a1r = br + di, a1i = bi - dr, a3r = br - di, a3i = bi + dr;
      ar = input[p4]! + input[p5]!;
      ai = input[p4 + 1]! + input[p5 + 1]!;
      br = input[p4]! - input[p5]!;
      bi = input[p4 + 1]! - input[p5 + 1]!;
      cr = input[p6]! + input[p7]!;
      ci = input[p6 + 1]! + input[p7 + 1]!;
      dr = input[p6]! - input[p7]!;
      di = input[p6 + 1]! - input[p7 + 1]!;
      const b0r = ar + cr, b0i = ai + ci, b2r = ar - cr, b2i = ai - ci;
      const b1r = br + di, b1i = bi - dr, b3r = br - di, b3i = bi + dr;
      // span 4: twiddles 1, (1−i)/√2, −i, (−1−i)/√2
      const t1r = (b1r + b1i) * r, t1i = (b1i - b1r) * r;
      const t3r = (b3i - b3r) * r, t3i = -(b3r + b3i) * r;
      re[i] = a0r + b0r;
      im[i] = a0i + b0i;
      re[i + 4] = a0r - b0r;
      im[i + 4] = a0i - b0i;
      re[i + 1] = a1r + t1r;
      im[i + 1] = a1i + t1i;
      re[i + 5] = a1r - t1r;
      im[i + 5] = a1i - t1i;
      re[i + 2] = a2r + b2i; // a2 + (−i)·b2
      im[i + 2] = a2i - b2r;
      re[i + 6] = a2r - b2i;
      im[i + 6] = a2i + b2r;
      re[i + 3] = a3r + t3r;
      im[i + 3] = a3i + t3i;
      re[i + 7] = a3r - t3r;
      im[i + 7] = a3i - t3i;
    }
  }

  /** The DIT stages of span h and 2h in one pass. */
  private pass4(h: number): void {
    const m = this.half;
    const { re, im, w1r, w1i, w2r, w2i, w3r, w3i } = this;
    const span = 4 * h;
    for (let g = 0; g < m; g += span) {
      for (let j = 0; j < h; j++) {
        const a = g + j;
        const b = a + h;
        const c = b + h;
        const d = c + h;
        const t = h + j;
        // b·W^2j, c·W^j, d·W^3j (the inputs arrive in bit-reversed stage order)
        const xr = re[b]! * w2r[t]! - im[b]! * w2i[t]!;
        const xi = re[b]! * w2i[t]! + im[b]! * w2r[t]!;
        const yr = re[c]! * w1r[t]! - im[c]! * w1i[t]!;
        const yi = re[c]! * w1i[t]! + im[c]! * w1r[t]!;
        const zr = re[d]! * w3r[t]! - im[d]! * w3i[t]!;
        const zi = re[d]! * w3i[t]! + im[d]! * w3r[t]!;
        const ar = re[a]!;
        const ai = im[a]!;
        const s0r = ar + xr;
        const s0i = ai + xi;
        const s1r = ar - xr;
        const s1i = ai - xi;
        const s2r = yr + zr;
        const s2i = yi + zi;
        const s3r = yr - zr;
        const s3i = yi - zi;
        re[a] = s0r + s2r;
        im[a] = s0i + s2i;
        re[c] = s0r - s2r;
        im[c] = s0i - s2i;
        re[b] = s1r + s3i; // s1 + (−i)·s3
        im[b] = s1i - s3r;
        re[d] = s1r - s3i;
        im[d] = s1i + s3r;
      }
    }
  }
}
