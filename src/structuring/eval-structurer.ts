import { dirname, resolve } from 'node:path';
import { loadBoundaries } from '../../config/boundaries.js';
import { type DomainConfig, loadDomainConfig } from '../../config/domain.js';
import { createStructurer, PredictorHolder, type Structurer } from '../../handlers/structuring/index.js';
import { createLogger } from '../logger.js';
import { loadActivePredictor, loadIntentScorer } from './load-model.js';

/**
 * The structurer the app would build for this domain file (src/app.ts #intakeDeps): its boundaries,
 * and the default model in a PredictorHolder (no database, so no retrained model). Throws when the
 * model cannot be loaded, so an evaluation never silently measures keyword rules alone.
 */
export async function loadEvalStructurer(
  domainPath: string,
  modelPath?: string,
): Promise<{ domain: DomainConfig; structurer: Structurer; modelVersion: string }> {
  const domain = loadDomainConfig(domainPath);
  const boundaryFile = domain.structuring?.boundaries;
  const boundaries = boundaryFile
    ? loadBoundaries(
        resolve(dirname(domainPath), boundaryFile),
        domain.districts.map((d) => d.id),
      )
    : [];
  const predictor = new PredictorHolder();
  await loadActivePredictor({ db: null, holder: predictor, log: createLogger({ level: 'silent' }), path: modelPath });
  if (!predictor.ready) throw new Error(`the classifier could not be loaded${modelPath ? ` from ${modelPath}` : ''}`);
  const intent = await loadIntentScorer(createLogger({ level: 'silent' }));
  return { domain, structurer: createStructurer(domain, predictor, boundaries, intent), modelVersion: predictor.version };
}
