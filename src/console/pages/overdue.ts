import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../deps.js';

/** Overdue and at risk — not built yet. */
export function overduePages(_app: FastifyInstance, _deps: ConsoleDeps): void {}
