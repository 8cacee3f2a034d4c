import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../deps.js';

/** The case card — not built yet. */
export function casePages(_app: FastifyInstance, _deps: ConsoleDeps): void {}
