import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../deps.js';

/** Ratings, problems, heat map, recommendations — not built yet. */
export function analyticsPages(_app: FastifyInstance, _deps: ConsoleDeps): void {}
