import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../deps.js';
import { composePages } from './broadcasts/compose.js';
import { detailPages } from './broadcasts/detail.js';
import { listPages } from './broadcasts/list.js';

/**
 * «Рассылки» (regulation 2.2.3, docs/architecture/broadcasts.md): the list, composing with a live count
 * of the audience, a broadcast's preview, approval, progress and report — every step a call of the same
 * BroadcastsApi the API and the staff bot use, with the domain file's roles.
 */
export function broadcastsPages(app: FastifyInstance, deps: ConsoleDeps): void {
  listPages(app, deps);
  // /broadcasts/new before /broadcasts/:id would not matter to find-my-way (static wins), but it reads in order.
  composePages(app, deps);
  detailPages(app, deps);
}
