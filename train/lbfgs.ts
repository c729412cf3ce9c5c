/** Objective: writes the gradient at x into `grad` and returns the value. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Iterations at most. */
  maxIterations: number;
  /** Stop when the gradient's max-norm falls below this. */
  gradientTolerance: number;
  /** Stop when the relative decrease of the value over one iteration falls below this. */
  valueTolerance: number;
  /** Correction pairs kept. */
  memory: number;
  onIteration?: (iteration: number, value: number, gradNorm: number) => void;
}

export const DEFAULT_LBFGS: LbfgsOptions = { maxIterations: 500, gradientTolerance: 1e-5, valueTolerance: 1e-9, memory: 10 };

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/**
 * Limited-memory BFGS with a backtracking line search that enforces the Armijo and (weak)
 * Wolfe conditions. Minimises `f` from `x0` (left untouched); returns the minimiser.
 */
export function minimizeLbfgs(f: Objective, x0: Float64Array, options: Partial<LbfgsOptions> = {}) {
  const o = { ...DEFAULT_LBFGS, ...options };
  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const d = new Float64Array(n);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(o.memory);
  let fx = f(x, g);
  let iterations = 0;
  let converged = false;
  for (; iterations < o.maxIterations; iterations++) {
    if (maxAbs(g) < o.gradientTolerance) {
      converged = true;
      break;
    }
    // two-loop recursion: d = -H·g
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let j = S.length - 1; j >= 0; j--) {
      alpha[j] = rho[j]! * dot(S[j]!, d);
      const y = Y[j]!;
      for (let i = 0; i < n; i++) d[i] -= alpha[j]! * y[i]!;
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      const scale = 1 / Math.max(1, Math.sqrt(dot(g, g)));
      for (let i = 0; i < n; i++) d[i] *= scale;
    }
    for (let j = 0; j < S.length; j++) {
      const beta = rho[j]! * dot(Y[j]!, d);
      const s = S[j]!;
      for (let i = 0; i < n; i++) d[i] += s[i]! * (alpha[j]! - beta);
    }
    let slope = dot(g, d);
    if (slope >= 0) {
      // not a descent direction: restart from steepest descent
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = dot(g, d);
    }
    // Bisection between a step too long (Armijo fails) and one too short (curvature fails).
    let step = 1;
    let lo = 0;
    let hi = Infinity;
    let fNew = Infinity;
    let accepted = false;
    for (let tries = 0; tries < 50; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      fNew = f(xNew, gNew);
      if (!(fNew <= fx + 1e-4 * step * slope)) {
        hi = step;
      } else if (dot(gNew, d) < 0.9 * slope) {
        lo = step;
        if (tries === 49) accepted = true;
      } else {
        accepted = true;
        break;
      }
      step = hi === Infinity ? lo * 2 : (lo + hi) / 2;
    }
    if (!accepted) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (S.length === o.memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const decrease = (fx - fNew) / Math.max(1e-12, Math.abs(fx));
    x.set(xNew);
    g.set(gNew);
    fx = fNew;
    o.onIteration?.(iterations + 1, fx, maxAbs(g));
    if (decrease < o.valueTolerance) {
      converged = true;
      iterations++;
      break;
    }
  }
  return { x, value: fx, iterations, converged };
}
