import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IntentScorer, PredictorHolder } from '../../handlers/structuring/index.js';
import { type Classifier, loadClassifier, readClassifierFile } from '../../lib/classifier/index.js';
import { activeModel, activeModelVersion } from '../../models/correction-repository.js';
import type { Db } from '../../models/database.js';
import type { Logger } from '../logger.js';

/** The model committed with the code (rebuilt by `npm run train:default`). */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../lib/classifier/default-model.json', import.meta.url));

/**
 * Puts the model in use into the holder: the active one recorded in the database (after a
 * retraining), else the default file. Without either, structuring runs on keyword rules alone.
 * Returns the default model too: retraining adapts it to the corrections.
 */
export async function loadActivePredictor(deps: {
  db: Db | null;
  holder: PredictorHolder;
  log: Logger;
  path?: string | undefined;
}): Promise<{ base: Classifier | null }> {
  let base: Classifier | null = null;
  try {
    const path = deps.path ?? DEFAULT_MODEL_PATH;
    if (existsSync(path)) base = await readClassifierFile(path);
    else deps.log.warn({ path }, 'classifier: no default model file');
    const stored = deps.db ? await activeModel(deps.db) : undefined;
    if (stored) {
      deps.holder.set(loadClassifier(stored.model), stored.version);
      deps.log.info({ version: stored.version }, 'classifier: active model from the database');
    } else if (base) {
      deps.holder.set(base, `default-${base.createdAt.toISOString().slice(0, 10)}`);
      deps.log.info({ version: deps.holder.version, labels: base.labels.length }, 'classifier: default model loaded');
    } else {
      deps.log.warn('classifier: no model; categories come from keyword rules only');
    }
  } catch (error) {
    deps.log.error({ err: error }, 'classifier: model could not be loaded; keyword rules only');
  }
  return { base };
}

/** Loads the active model from the database if its version differs from the one in use. */
export async function refreshActivePredictor(deps: { db: Db; holder: PredictorHolder; log: Logger }): Promise<void> {
  const version = await activeModelVersion(deps.db);
  if (!version || version === deps.holder.version) return;
  const stored = await activeModel(deps.db);
  if (!stored) return;
  deps.holder.set(loadClassifier(stored.model), stored.version);
  deps.log.info({ version: stored.version }, 'classifier: switched to the model activated by another instance');
}

/** The intent model committed with the code (problem / not_a_problem, rebuilt by `npm run train:default`). */
export const INTENT_MODEL_PATH = fileURLToPath(new URL('../../lib/classifier/intent-model.json', import.meta.url));

/**
 * The intent model as structuring uses it, or null (missing or unreadable file: the category model's
 * not_a_problem score is used instead, and nothing else changes).
 */
export async function loadIntentScorer(log: Logger, path = INTENT_MODEL_PATH): Promise<IntentScorer | null> {
  try {
    if (!existsSync(path)) {
      log.warn({ path }, 'intent model: no file; the category model judges not-a-problem alone');
      return null;
    }
    const model = await readClassifierFile(path);
    const index = model.labels.indexOf('not_a_problem');
    if (index < 0) throw new Error('the intent model has no not_a_problem label');
    const version = `intent-${model.createdAt.toISOString().slice(0, 10)}`;
    log.info({ version }, 'intent model loaded');
    return { version, notProblem: (text) => model.probabilities(text)[index] as number };
  } catch (error) {
    log.error({ err: error }, 'intent model could not be loaded; the category model judges not-a-problem alone');
    return null;
  }
}
