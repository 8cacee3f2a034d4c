import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadClassifierExamples } from '../../config/classifier-examples.js';
import { type RetrainOutcome, retrainClassifier } from '../../handlers/structuring/index.js';
import { ServiceUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { loadActivePredictor, loadIntentScorer, refreshActivePredictor } from '../structuring/load-model.js';
import type { Runtime } from './runtime.js';

/**
 * Loads the active classifier (the database's, else the committed default) and the intent model,
 * and returns a timer that picks up a model another instance switched to, within a minute.
 */
export async function loadModels(rt: Runtime, log: Logger): Promise<NodeJS.Timeout> {
  const { base } = await loadActivePredictor({
    db: rt.database?.db ?? null,
    holder: rt.predictor,
    log,
    path: rt.options.modelPath,
  });
  rt.baseClassifier = base;
  rt.intentScorer = await loadIntentScorer(log);
  const refresh = setInterval(() => {
    const database = rt.database;
    if (!database || rt.stopped) return;
    refreshActivePredictor({ db: database.db, holder: rt.predictor, log }).catch((error) =>
      log.warn({ err: error }, 'classifier refresh failed'),
    );
  }, 60_000);
  refresh.unref();
  return refresh;
}

/** Adapts the classifier to the operators' corrections and switches if not worse (job and API). */
export async function retrain(rt: Runtime, log: Logger = rt.log): Promise<RetrainOutcome> {
  const database = rt.database;
  if (!database) throw new ServiceUnavailableError('database is not ready');
  return retrainClassifier({
    db: database.db,
    clock: rt.clock,
    log,
    holder: rt.predictor,
    base: rt.baseClassifier,
    referenceExamples: referenceExamples(rt),
  });
}

/** The project's labelled examples next to the domain file, if present: the retraining's regression guard. */
function referenceExamples(rt: Runtime): { text: string; label: string }[] {
  const dir = join(dirname(rt.config.domainConfigPath), 'classifier-examples');
  const file = existsSync(dir) ? dir : `${dir}.yaml`;
  if (!existsSync(file)) return [];
  try {
    return loadClassifierExamples(file);
  } catch (error) {
    rt.log.warn({ err: error }, 'classifier examples unreadable; retraining evaluates on held-out corrections only');
    return [];
  }
}
