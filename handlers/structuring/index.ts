// Structuring as the composition root, the HTTP routes and the scripts see it. It has no bot-facing
// API: cases are structured inside intake's transaction; corrections come through commands/ and the API.
export {
  type Assessment,
  type CategoryPredictor,
  createStructurer,
  type IntentScorer,
  NOT_A_PROBLEM,
  type Structurer,
  type StructuringSettings,
} from './assess.js';
export { type CorrectionOutcome, correctCategory } from './correct-category.js';
export {
  EVAL_AT,
  EVAL_KINDS,
  type EvalCase,
  evaluateStructuring,
  type LabelScore,
  parseEvalSet,
  type StructuringEvaluation,
} from './evaluate.js';
export { classifierModels } from './models.js';
export { notifyOperators } from './notify-operators.js';
export { PredictorHolder } from './predictor-holder.js';
export { type RetrainOutcome, retrainClassifier } from './retrain.js';
export { type StructuringDeps, type StructuringOverride, type StructuringResult, structureCase } from './structure-case.js';
