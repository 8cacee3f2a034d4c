/**
 * The message classifier: Russian tokenizer and stemmer (from `natural`), TF-IDF over stems and stem
 * bigrams, softmax regression fitted with L-BFGS. Pure TypeScript: no SQL, no platform.
 */

export { type Calibration, fitCalibration, withTemperature } from './calibrate.js';
export {
  Classifier,
  type ClassifierJson,
  MODEL_FORMAT,
  MODEL_VERSION,
  type TrainingInfo,
  type TrainOptions,
  type TrainProgress,
  trainClassifier,
} from './classifier.js';
export { CsvError, parseCsv } from './csv.js';
export { type ClassScore, type ConfusedPair, type Evaluation, evaluate, scorePredictions } from './evaluate.js';
export { loadClassifier, ModelFormatError, readClassifierFile, serializeClassifier, writeClassifierFile } from './model-file.js';
export {
  detectFormat,
  type ExampleReadResult,
  fieldText,
  InputError,
  type InputFormat,
  type InputRecord,
  type ReadOptions,
  readExamples,
  readRecords,
} from './read-records.js';
export { seededRandom, shuffled, stratifiedFolds, stratifiedSplit } from './split.js';
export { extractFeatures, type FeatureOptions, normalizeText, STOP_WORDS, stem, tokenize } from './tokenize.js';
export type { Example, Prediction, ScoredLabel } from './types.js';
