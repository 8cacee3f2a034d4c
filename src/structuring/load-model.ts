import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PredictorHolder } from '../../handlers/structuring/predictor-holder.js';
import { type Classifier, loadClassifier, readClassifierFile } from '../../models/classifier/index.js';
import { activeModel, activeModelVersion } from '../../models/correction-repository.js';
import type { Db } from '../../models/database.js';
import type { Logger } from '../logger.js';

/** The model committed with the code (rebuilt by `npm run train:default`). */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../models/classifier/default-model.json', import.meta.url));

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
