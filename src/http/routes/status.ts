import type { FastifyInstance } from 'fastify';

export interface StatusInfo {
  version: string;
  roles: readonly string[];
  uptimeSeconds: number;
  sandbox: boolean;
}

/** GET /api/v1/status: what this instance is and runs (behind the bearer token like all of /api/). */
export function statusRoutes(app: FastifyInstance, deps: { status: () => StatusInfo }): void {
  app.get('/api/v1/status', async () => deps.status());
}
