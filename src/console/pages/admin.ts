import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../deps.js';

/** Sources, people, settings — not built yet. */
export function adminPages(_app: FastifyInstance, _deps: ConsoleDeps): void {}
