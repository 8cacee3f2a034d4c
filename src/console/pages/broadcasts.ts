import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../deps.js';

/** Broadcasts — not built yet. */
export function broadcastsPages(_app: FastifyInstance, _deps: ConsoleDeps): void {}
