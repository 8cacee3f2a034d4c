import { listOfficials } from '../../models/people-repository.js';
import type { HandlerDeps } from '../deps.js';

/** Everyone invited, active or not. */
export function officials(deps: Pick<HandlerDeps, 'db'>) {
  return listOfficials(deps.db);
}
