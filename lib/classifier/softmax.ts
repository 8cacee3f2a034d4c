/**
 * Multinomial logistic regression (softmax) on sparse TF-IDF rows, L2-regularised, fitted with L-BFGS.
 * Weights are feature-major: the K class weights of feature j are W[j·K … j·K + K), then K biases.
 */
import { minimize } from './lbfgs.js';
import type { SparseMatrix, SparseVector } from './vectorizer.js';

export interface SoftmaxOptions {
  /** Inverse regularisation strength, as scikit-learn's C: larger fits the training data more closely. */
  readonly c: number;
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly onIteration?: (iteration: number, loss: number) => void;
}

export interface SoftmaxModel {
  readonly classes: number;
  readonly features: number;
  /** features × classes, then classes biases. */
  readonly weights: Float32Array;
}

export interface SoftmaxFit extends SoftmaxModel {
  readonly iterations: number;
  readonly converged: boolean;
  readonly loss: number;
}

/** Fits class weights to rows X with labels y (0 … classes-1), each row counted sampleWeight[i] times. */
export function fitSoftmax(
  x: SparseMatrix,
  y: Int32Array,
  classes: number,
  sampleWeight: Float32Array,
  options: SoftmaxOptions,
): SoftmaxFit {
  const K = classes;
  const biasAt = x.cols * K;
  let totalWeight = 0;
  for (const w of sampleWeight) totalWeight += w;
  // scikit-learn minimises C·Σ loss + ½‖W‖²; dividing by C·Σw gives the same optimum on a scale
  // (mean loss) where the tolerance means the same thing for any data size.
  const l2 = 1 / (options.c * totalWeight);
  const scores = new Float64Array(K);

  // Hot loop: the arrays are hoisted into locals, which V8 optimises better than property reads.
  const { rows, indptr, indices, values } = x;
  const objective = (theta: Float32Array, grad: Float32Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      const start = indptr[i] as number;
      const end = indptr[i + 1] as number;
      for (let k = 0; k < K; k++) scores[k] = theta[biasAt + k] as number;
      for (let p = start; p < end; p++) {
        const base = (indices[p] as number) * K;
        const v = values[p] as number;
        for (let k = 0; k < K; k++) scores[k] = (scores[k] as number) + v * (theta[base + k] as number);
      }
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < K; k++) if ((scores[k] as number) > max) max = scores[k] as number;
      const label = y[i] as number;
      const labelScore = (scores[label] as number) - max;
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp((scores[k] as number) - max);
        scores[k] = e;
        sum += e;
      }
      const w = sampleWeight[i] as number;
      loss += w * (Math.log(sum) - labelScore);
      // scores now hold exp(s - max); turn them into w·(p - onehot), the gradient of the row's loss.
      const scale = w / sum;
      for (let k = 0; k < K; k++) scores[k] = scale * (scores[k] as number);
      scores[label] = (scores[label] as number) - w;
      for (let k = 0; k < K; k++) grad[biasAt + k] = (grad[biasAt + k] as number) + (scores[k] as number);
      for (let p = start; p < end; p++) {
        const base = (indices[p] as number) * K;
        const v = values[p] as number;
        for (let k = 0; k < K; k++) grad[base + k] = (grad[base + k] as number) + v * (scores[k] as number);
      }
    }
    loss /= totalWeight;
    let penalty = 0;
    const inverseTotal = 1 / totalWeight;
    for (let j = 0; j < biasAt; j++) {
      const t = theta[j] as number;
      penalty += t * t;
      grad[j] = (grad[j] as number) * inverseTotal + l2 * t;
    }
    for (let k = 0; k < K; k++) grad[biasAt + k] = (grad[biasAt + k] as number) * inverseTotal;
    return loss + 0.5 * l2 * penalty;
  };

  const weights = new Float32Array(biasAt + K);
  const result = minimize(objective, weights, {
    maxIterations: options.maxIterations,
    tolerance: options.tolerance,
    memory: 7,
    ...(options.onIteration ? { onIteration: options.onIteration } : {}),
  });
  return {
    classes: K,
    features: x.cols,
    weights,
    iterations: result.iterations,
    converged: result.converged,
    loss: result.value,
  };
}

/**
 * Writes the class probabilities of one row into `out` (length K) with weights `w` laid out as in
 * SoftmaxModel; used by prediction and by adaptation (adapt.ts).
 */
export function rowProbabilities(w: Float32Array, K: number, biasAt: number, row: SparseVector, out: Float64Array): void {
  for (let k = 0; k < K; k++) out[k] = w[biasAt + k] as number;
  for (let p = 0; p < row.indices.length; p++) {
    const base = (row.indices[p] as number) * K;
    const v = row.values[p] as number;
    for (let k = 0; k < K; k++) out[k] = (out[k] as number) + v * (w[base + k] as number);
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const s of out) if (s > max) max = s;
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp((out[k] as number) - max);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < K; k++) out[k] = (out[k] as number) / sum;
}

/** Class probabilities of one row. */
export function softmaxProbabilities(model: SoftmaxModel, row: SparseVector): Float64Array {
  const scores = new Float64Array(model.classes);
  rowProbabilities(model.weights, model.classes, model.features * model.classes, row, scores);
  return scores;
}
