/**
 * Adapting a trained softmax model to a few new labelled examples (operators' corrections) without
 * the original training texts, which the model file never contains: continue the fit from the
 * current weights on the new examples, with an L2 pull back towards those weights (a Gaussian
 * prior centred on the old model). Words the examples do not contain keep their weights, and the
 * class biases are frozen, so the change stays local to texts that share the examples' words.
 */
import { minimize } from './lbfgs.js';
import { rowProbabilities, type SoftmaxModel } from './softmax.js';
import type { SparseVector } from './vectorizer.js';

export interface AdaptOptions {
  /** Strength of the pull towards the old weights; smaller lets the examples move the model more. */
  readonly lambda: number;
  readonly maxIterations: number;
}

export function adaptSoftmax(
  base: SoftmaxModel,
  rows: readonly SparseVector[],
  y: Int32Array,
  options: AdaptOptions,
): SoftmaxModel {
  const K = base.classes;
  const biasAt = base.features * K;
  const w0 = base.weights;
  const weights = Float32Array.from(w0);
  const scores = new Float64Array(K);

  const objective = (w: Float32Array, grad: Float32Array): number => {
    grad.fill(0);
    let loss = 0;
    rows.forEach((row, i) => {
      rowProbabilities(w, K, biasAt, row, scores);
      const label = y[i] as number;
      loss -= Math.log(Math.max(scores[label] as number, 1e-12));
      for (let k = 0; k < K; k++) {
        const d = (scores[k] as number) - (k === label ? 1 : 0);
        // Biases stay frozen: moving one would shift every prediction, not only texts like these.
        for (let p = 0; p < row.indices.length; p++) {
          const at = (row.indices[p] as number) * K + k;
          grad[at] = (grad[at] as number) + (row.values[p] as number) * d;
        }
      }
    });
    for (let j = 0; j < w.length; j++) {
      const diff = (w[j] as number) - (w0[j] as number);
      if (diff !== 0) {
        loss += 0.5 * options.lambda * diff * diff;
        grad[j] = (grad[j] as number) + options.lambda * diff;
      }
    }
    return loss;
  };

  minimize(objective, weights, { maxIterations: options.maxIterations, tolerance: 1e-7, memory: 7 });
  return { classes: K, features: base.features, weights };
}
