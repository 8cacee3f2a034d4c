import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../deps.js';

/** Held answers and extension requests — not built yet. */
export function decisionsPages(_app: FastifyInstance, _deps: ConsoleDeps): void {}
