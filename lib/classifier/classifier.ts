/**
 * The trainable text classifier: TF-IDF features → softmax regression. Train, predict, save, load.
 * A saved model holds word statistics and weights only, never a training text.
 */
import { type AdaptOptions, adaptSoftmax } from './adapt.js';
import { type Calibration, withTemperature } from './calibrate.js';
import { fitSoftmax, type SoftmaxModel, softmaxProbabilities } from './softmax.js';
import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './tokenize.js';
import type { Example, Prediction, ScoredLabel } from './types.js';
import { mergeDuplicateRows, Vectorizer } from './vectorizer.js';

export const MODEL_FORMAT = 'mcu-text-classifier';
export const MODEL_VERSION = 1;
/** Upper bound on features × labels; see TrainOptions.maxFeatures. */
const MAX_WEIGHTS = 4_000_000;

// ---------------------------------------------------------------------------------------------
// Options and the saved form
// ---------------------------------------------------------------------------------------------

export interface TrainOptions {
  /** Which features to extract (default: stems, stem bigrams and character 4-grams of the stems). */
  readonly features?: Partial<FeatureOptions>;
  /** Drop features seen in fewer texts than this (default 2). */
  readonly minDf?: number;
  /**
   * Keep at most this many features, most frequent first (default 200,000). Lowered further so that
   * features × labels stays under 4 million weights: the solver keeps ~20 vectors of that size
   * (≈ 300 MB), and the model file stays in the tens of MB. The features cut are the rarest: with the
   * 125 SPb reasons as labels, 24,000 features score the same macro-F1 as 41,000 (0.605 vs 0.604).
   */
  readonly maxFeatures?: number;
  /** Inverse L2 strength, as scikit-learn's C (default 5). */
  readonly c?: number;
  /**
   * Class weighting exponent: each example weighs (n / (k · n_label))^p. 0 = none, 1 = "balanced".
   * In between lifts rare classes (macro-F1) without flooding the common ones with false positives
   * (default 0.4).
   */
  readonly classWeightPower?: number;
  readonly maxIterations?: number;
  /**
   * Relative improvement of the loss below which the solver stops (default 1e-5: on the SPb split the
   * fully converged model, at 1e-8, scores no better).
   */
  readonly tolerance?: number;
  /** Stamp for the saved model (default: now). */
  readonly createdAt?: Date;
  readonly onProgress?: (event: TrainProgress) => void;
}

export type TrainProgress =
  | { readonly phase: 'features'; readonly examples: number; readonly features: number }
  | { readonly phase: 'fit'; readonly iteration: number; readonly loss: number };

/** Facts about how a model was trained; saved with it. */
export interface TrainingInfo {
  readonly examples: number;
  readonly perLabel: Readonly<Record<string, number>>;
  readonly minDf: number;
  readonly maxFeatures: number;
  readonly c: number;
  readonly classWeightPower: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly loss: number;
  readonly seconds: number;
}

/**
 * The JSON a model is saved as. `weights` are integers: the weight times `weightScale`, feature-major
 * (labels.length numbers per vocabulary entry, in `labels` order).
 */
export interface ClassifierJson {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  readonly createdAt: string;
  readonly labels: readonly string[];
  readonly features: FeatureOptions;
  readonly training: TrainingInfo;
  readonly vocabulary: readonly string[];
  readonly idf: readonly number[];
  readonly weightScale: number;
  readonly weights: readonly number[];
  readonly bias: readonly number[];
  /** Optional (files before it have none): temperature and per-label thresholds fitted on held-out texts. */
  readonly calibration?: Calibration;
}

// ---------------------------------------------------------------------------------------------
// The classifier
// ---------------------------------------------------------------------------------------------

export class Classifier {
  readonly #vectorizer: Vectorizer;
  readonly #model: SoftmaxModel;

  constructor(
    readonly labels: readonly string[],
    vectorizer: Vectorizer,
    model: SoftmaxModel,
    readonly training: TrainingInfo,
    readonly createdAt: Date,
    readonly calibration: Calibration | null = null,
  ) {
    this.#vectorizer = vectorizer;
    this.#model = model;
  }

  /** Number of features the model knows. */
  get vocabularySize(): number {
    return this.#vectorizer.size;
  }

  /** The probability of every label, in `labels` order (calibrated when the model carries a calibration). */
  probabilities(text: string): Float64Array {
    const p = softmaxProbabilities(this.#model, this.#vectorizer.transform(text));
    return this.calibration ? withTemperature(p, this.calibration.temperature) : p;
  }

  /** The confidence this label needs to be decided without an operator, when calibration chose one. */
  thresholdFor(label: string): number | undefined {
    return this.calibration?.thresholds[label];
  }

  /** The same model with a calibration (fitted on held-out texts by a model trained the same way). */
  withCalibration(calibration: Calibration): Classifier {
    return new Classifier(this.labels, this.#vectorizer, this.#model, this.training, this.createdAt, calibration);
  }

  /** The best label, its probability and the three best labels, highest first. */
  predict(text: string): Prediction {
    const p = this.probabilities(text);
    const ranked: ScoredLabel[] = this.labels
      .map((label, k) => ({ label, confidence: p[k] as number }))
      .sort((a, b) => b.confidence - a.confidence || (a.label < b.label ? -1 : 1));
    const best = ranked[0] as ScoredLabel;
    return { label: best.label, confidence: best.confidence, top: ranked.slice(0, 3) };
  }

  /**
   * A copy adapted to new labelled examples (see adapt.ts): the vocabulary stays, the weights move.
   * Examples whose label the model does not know are skipped and counted.
   */
  adapt(
    examples: readonly Example[],
    options: AdaptOptions = { lambda: 0.05, maxIterations: 60 },
  ): { classifier: Classifier; used: number; skipped: number } {
    const index = new Map(this.labels.map((label, k) => [label, k]));
    const usable = examples.filter((e) => index.has(e.label));
    const rows = usable.map((e) => this.#vectorizer.transform(e.text));
    const y = Int32Array.from(usable, (e) => index.get(e.label) as number);
    const model = usable.length === 0 ? this.#model : adaptSoftmax(this.#model, rows, y, options);
    const classifier = new Classifier(
      this.labels,
      this.#vectorizer,
      model,
      this.training,
      new Date(this.createdAt),
      this.calibration,
    );
    return { classifier, used: usable.length, skipped: examples.length - usable.length };
  }

  /** The saved form: labels, vocabulary, idf and rounded weights; no training text. */
  toJSON(): ClassifierJson {
    const K = this.labels.length;
    const biasAt = this.#vectorizer.size * K;
    const w = this.#model.weights;
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      createdAt: this.createdAt.toISOString(),
      labels: this.labels,
      features: this.#vectorizer.features,
      training: this.training,
      vocabulary: this.#vectorizer.vocabulary,
      idf: Array.from(this.#vectorizer.idf, (v) => roundTo(v, 5)),
      weightScale: WEIGHT_SCALE,
      // `+ 0` turns -0 into 0.
      weights: Array.from(w.subarray(0, biasAt), (v) => Math.round(v * WEIGHT_SCALE) + 0),
      bias: Array.from(w.subarray(biasAt), (v) => roundTo(v, 5)),
      ...(this.calibration ? { calibration: this.calibration } : {}),
    };
  }
}

/**
 * Weights are saved in thousandths, as integers («-123» for -0.123: no "0." to spell out). Half the
 * weights are below 0.01, and an error of 0.0005 on each of the ~30 features of a text moves a score
 * far less than the gaps between classes: on the SPb holdout (9,581 texts) no predicted label changes,
 * confidences move by at most 0.0003, and the file is half the size it is with 4 significant digits.
 */
const WEIGHT_SCALE = 1000;

function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale + 0;
}

// ---------------------------------------------------------------------------------------------
// Training
// ---------------------------------------------------------------------------------------------

/** Trains a classifier on labelled texts. Deterministic: the same examples and options give the same model. */
export function trainClassifier(examples: readonly Example[], options: TrainOptions = {}): Classifier {
  const started = performance.now();
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) {
    throw new RangeError(`training needs at least two different labels, got ${labels.length} in ${examples.length} examples`);
  }
  const features: FeatureOptions = { ...DEFAULT_FEATURE_OPTIONS, ...options.features };
  const minDf = options.minDf ?? 2;
  const maxFeatures = Math.min(options.maxFeatures ?? 200_000, Math.floor(MAX_WEIGHTS / labels.length));
  const c = options.c ?? 5;
  const classWeightPower = options.classWeightPower ?? 0.4;

  const { vectorizer, matrix } = Vectorizer.fit(
    examples.map((e) => e.text),
    features,
    { minDf, maxFeatures },
  );
  options.onProgress?.({ phase: 'features', examples: examples.length, features: vectorizer.size });

  const labelIndex = new Map(labels.map((l, k) => [l, k]));
  const y = Int32Array.from(examples, (e) => labelIndex.get(e.label) as number);
  const counts = new Array<number>(labels.length).fill(0);
  for (const k of y) counts[k] = (counts[k] as number) + 1;
  const classWeight = counts.map((n) => (examples.length / (labels.length * n)) ** classWeightPower);
  const rows = mergeDuplicateRows(
    matrix,
    y,
    Float32Array.from(y, (k) => classWeight[k] as number),
  );

  const fit = fitSoftmax(rows.matrix, rows.y, labels.length, rows.weight, {
    c,
    maxIterations: options.maxIterations ?? 300,
    tolerance: options.tolerance ?? 1e-5,
    ...(options.onProgress ? { onIteration: (iteration, loss) => options.onProgress?.({ phase: 'fit', iteration, loss }) } : {}),
  });

  const training: TrainingInfo = {
    examples: examples.length,
    perLabel: Object.fromEntries(labels.map((l, k) => [l, counts[k] as number])),
    minDf,
    maxFeatures,
    c,
    classWeightPower,
    iterations: fit.iterations,
    converged: fit.converged,
    loss: Number(fit.loss.toPrecision(6)),
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
  return new Classifier(labels, vectorizer, fit, training, options.createdAt ?? new Date());
}
