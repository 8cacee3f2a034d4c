/** Shapes shared by the classifier's modules. */

/** One labelled text. */
export interface Example {
  readonly text: string;
  readonly label: string;
}

/** A label with the model's probability for it. */
export interface ScoredLabel {
  readonly label: string;
  /** Probability in [0, 1]. */
  readonly confidence: number;
}

/** What the classifier says about one text: the best label and the three best, highest first. */
export interface Prediction extends ScoredLabel {
  readonly top: readonly ScoredLabel[];
}
