/**
 * Limited-memory BFGS with a backtracking (Armijo) line search: the solver scikit-learn uses for
 * logistic regression. Full-batch, so a run is deterministic: the same data give the same weights.
 * Vectors are Float32Array to halve the memory of the history; sums are taken in double precision.
 */

/** Writes the gradient at x into grad and returns the objective value. */
export type Objective = (x: Float32Array, grad: Float32Array) => number;

export interface LbfgsOptions {
  readonly maxIterations: number;
  /** Stop when the objective improves by less than this, relative to its size, in one step. */
  readonly tolerance: number;
  /** Number of correction pairs kept. */
  readonly memory: number;
  readonly onIteration?: (iteration: number, value: number) => void;
}

export interface LbfgsResult {
  readonly iterations: number;
  readonly value: number;
  readonly converged: boolean;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Minimises f in place, starting from x. */
export function minimize(f: Objective, x: Float32Array, options: LbfgsOptions): LbfgsResult {
  const n = x.length;
  const grad = new Float32Array(n);
  const nextX = new Float32Array(n);
  const nextGrad = new Float32Array(n);
  const direction = new Float32Array(n);
  const s: Float32Array[] = [];
  const y: Float32Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(options.memory);

  let value = f(x, grad);
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    // Two-loop recursion: direction = -H·grad.
    for (let i = 0; i < n; i++) direction[i] = -(grad[i] as number);
    for (let k = s.length - 1; k >= 0; k--) {
      const a = (rho[k] as number) * dot(s[k] as Float32Array, direction);
      alpha[k] = a;
      const yk = y[k] as Float32Array;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) - a * (yk[i] as number);
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const yLast = y[last] as Float32Array;
      const gamma = dot(s[last] as Float32Array, yLast) / dot(yLast, yLast);
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) * gamma;
    }
    for (let k = 0; k < s.length; k++) {
      const b = (rho[k] as number) * dot(y[k] as Float32Array, direction);
      const sk = s[k] as Float32Array;
      const a = alpha[k] as number;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) + (a - b) * (sk[i] as number);
    }

    let slope = dot(grad, direction);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      s.length = y.length = rho.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -(grad[i] as number);
      slope = dot(grad, direction);
    }
    // The first step has no curvature information yet: keep it short.
    let step = s.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let nextValue = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < n; i++) nextX[i] = (x[i] as number) + step * (direction[i] as number);
      nextValue = f(nextX, nextGrad);
      if (nextValue <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(nextValue < value)) return { iterations: iteration, value, converged: true };

    const sNew = s.length === options.memory ? (s.shift() as Float32Array) : new Float32Array(n);
    const yNew = y.length === options.memory ? (y.shift() as Float32Array) : new Float32Array(n);
    if (rho.length === options.memory) rho.shift();
    for (let i = 0; i < n; i++) {
      sNew[i] = (nextX[i] as number) - (x[i] as number);
      yNew[i] = (nextGrad[i] as number) - (grad[i] as number);
    }
    const sy = dot(sNew, yNew);
    // A pair without positive curvature would break the Hessian approximation: skip it.
    if (sy > 1e-12) {
      s.push(sNew);
      y.push(yNew);
      rho.push(1 / sy);
    }
    const improvement = value - nextValue;
    x.set(nextX);
    grad.set(nextGrad);
    value = nextValue;
    options.onIteration?.(iteration, value);
    if (improvement <= options.tolerance * Math.max(Math.abs(value), 1)) {
      return { iterations: iteration, value, converged: true };
    }
  }
  return { iterations: options.maxIterations, value, converged: false };
}
