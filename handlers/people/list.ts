import type { Db } from '../../models/database.js';
import { listOfficials } from '../../models/people-repository.js';

/** Everyone invited, active or not. */
export function officials(deps: { db: Db }) {
  return listOfficials(deps.db);
}
