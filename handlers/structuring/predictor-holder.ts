import type { CategoryPredictor, ScoredLabel } from './assess.js';

interface Model {
  predict(text: string): ScoredLabel & { top: readonly ScoredLabel[] };
  thresholdFor?(label: string): number | undefined;
}

/**
 * The classifier in use, swappable at run time: a retraining that wins its evaluation switches
 * every later prediction to the new model without a restart.
 */
export class PredictorHolder implements CategoryPredictor {
  #model: Model | null = null;
  #version = 'none';

  get version(): string {
    return this.#version;
  }

  get ready(): boolean {
    return this.#model !== null;
  }

  set(model: Model, version: string): void {
    this.#model = model;
    this.#version = version;
  }

  predict(text: string): ScoredLabel & { top: readonly ScoredLabel[] } {
    if (!this.#model) return { label: '', confidence: 0, top: [] };
    return this.#model.predict(text);
  }

  thresholdFor(label: string): number | undefined {
    return this.#model?.thresholdFor?.(label);
  }
}
