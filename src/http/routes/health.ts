import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppMetrics } from '../metrics.js';

export type PartState = 'ok' | 'starting' | 'down';
export interface HealthReport {
  db: PartState;
  queue: PartState;
  /** Whether every migration this build knows is applied (absent: not checked by this caller). */
  migrations?: 'ok' | 'pending' | 'unknown';
}

export interface HealthDeps {
  health: () => Promise<HealthReport>;
  metrics: AppMetrics;
  /** false once the process is shutting down: /health/live answers 503 so nothing new is sent here. */
  live?: () => boolean;
  /** Problems that do not stop the instance serving (e.g. next year's production calendar missing). */
  readinessWarnings?: () => Promise<string[]> | string[];
}

/**
 * GET /health/live: the process is up and not stopping (no database call, so a slow database never
 * gets a healthy process restarted). GET /health/ready: the database answers, every migration is
 * applied and the queue is started — else 503 naming what is not ready; `warnings` lists non-fatal
 * problems either way. GET /health is /health/ready under its old name. GET /metrics: Prometheus.
 */
export function healthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  app.get('/health/live', async (_request, reply) => {
    const live = deps.live?.() ?? true;
    return reply.code(live ? 200 : 503).send({ status: live ? 'ok' : 'stopping' });
  });
  const ready = async (_request: unknown, reply: FastifyReply) => {
    const report = await deps.health();
    const notReady = [
      ...(report.db === 'ok' ? [] : ['db']),
      ...(report.migrations === undefined || report.migrations === 'ok' ? [] : ['migrations']),
      ...(report.queue === 'ok' ? [] : ['queue']),
    ];
    const warnings = await readinessWarnings(deps);
    const ok = notReady.length === 0;
    return reply
      .code(ok ? 200 : 503)
      .send({ status: ok ? 'ok' : 'unavailable', ...report, ...(ok ? {} : { notReady }), warnings });
  };
  app.get('/health/ready', ready);
  app.get('/health', ready);
  app.get('/metrics', async (_request, reply) => {
    const body = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(body);
  });
}

/** A failing check of warnings is itself a warning: readiness is about the database and the queue. */
async function readinessWarnings(deps: HealthDeps): Promise<string[]> {
  if (!deps.readinessWarnings) return [];
  try {
    return [...(await deps.readinessWarnings())];
  } catch {
    return ['readiness warnings could not be checked'];
  }
}
