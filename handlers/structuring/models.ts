import { listModels } from '../../models/correction-repository.js';
import type { Db } from '../../models/database.js';

/** Every classifier version recorded by retraining, newest first, with its evaluation figures. */
export function classifierModels(deps: { db: Db }) {
  return listModels(deps.db);
}
