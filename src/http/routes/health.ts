import type { FastifyInstance } from 'fastify';
import type { AppMetrics } from '../metrics.js';

export type PartState = 'ok' | 'starting' | 'down';
export interface HealthReport {
  db: PartState;
  queue: PartState;
}

/** GET /health (200 only when every part is ok, else 503 naming the failing part) and GET /metrics. */
export function healthRoutes(app: FastifyInstance, deps: { health: () => Promise<HealthReport>; metrics: AppMetrics }): void {
  app.get('/health', async (_request, reply) => {
    const report = await deps.health();
    const ok = report.db === 'ok' && report.queue === 'ok';
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', ...report });
  });
  app.get('/metrics', async (_request, reply) => {
    const body = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(body);
  });
}
