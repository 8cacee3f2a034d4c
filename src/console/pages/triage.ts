import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../deps.js';

/** Разбор: new and unsorted cases (helper) — not built yet. */
export function triagePages(_app: FastifyInstance, _deps: ConsoleDeps): void {}
