/** Accuracy, macro-F1, per-class precision/recall/F1 and the most confused label pairs. */
import type { Example, Prediction } from './types.js';

export interface ClassScore {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Examples of this label in the evaluated set. */
  readonly support: number;
}

export interface ConfusedPair {
  readonly actual: string;
  readonly predicted: string;
  readonly count: number;
}

export interface Evaluation {
  readonly examples: number;
  readonly accuracy: number;
  /** Unweighted mean F1 over every label that occurs as actual or predicted (scikit-learn's "macro"). */
  readonly macroF1: number;
  /** Largest support first. */
  readonly perClass: readonly ClassScore[];
  /** Most frequent mistakes first. */
  readonly confusedPairs: readonly ConfusedPair[];
}

/** Scores predicted labels against actual ones (same length, same order). */
export function scorePredictions(actual: readonly string[], predicted: readonly string[], maxPairs = 10): Evaluation {
  if (actual.length !== predicted.length) {
    throw new RangeError(`${actual.length} actual labels but ${predicted.length} predictions`);
  }
  const tp = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const support = new Map<string, number>();
  const confusion = new Map<string, ConfusedPair>();
  let correct = 0;
  actual.forEach((a, i) => {
    const p = predicted[i] as string;
    support.set(a, (support.get(a) ?? 0) + 1);
    predictedCount.set(p, (predictedCount.get(p) ?? 0) + 1);
    if (a === p) {
      correct++;
      tp.set(a, (tp.get(a) ?? 0) + 1);
    } else {
      const key = `${a}\u0000${p}`;
      const pair = confusion.get(key);
      confusion.set(key, { actual: a, predicted: p, count: (pair?.count ?? 0) + 1 });
    }
  });

  const labels = [...new Set([...support.keys(), ...predictedCount.keys()])];
  const perClass = labels.map((label): ClassScore => {
    const hits = tp.get(label) ?? 0;
    const predictedN = predictedCount.get(label) ?? 0;
    const supportN = support.get(label) ?? 0;
    const precision = predictedN === 0 ? 0 : hits / predictedN;
    const recall = supportN === 0 ? 0 : hits / supportN;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support: supportN };
  });
  perClass.sort((a, b) => b.support - a.support || (a.label < b.label ? -1 : 1));
  const confusedPairs = [...confusion.values()]
    .sort((a, b) => b.count - a.count || (a.actual + a.predicted < b.actual + b.predicted ? -1 : 1))
    .slice(0, maxPairs);

  return {
    examples: actual.length,
    accuracy: actual.length === 0 ? 0 : correct / actual.length,
    macroF1: perClass.length === 0 ? 0 : perClass.reduce((s, c) => s + c.f1, 0) / perClass.length,
    perClass,
    confusedPairs,
  };
}

/** Predicts every example and scores the predictions. */
export function evaluate(
  classifier: { predict(text: string): Prediction },
  examples: readonly Example[],
  options: { maxPairs?: number } = {},
): Evaluation {
  return scorePredictions(
    examples.map((e) => e.label),
    examples.map((e) => classifier.predict(e.text).label),
    options.maxPairs,
  );
}
