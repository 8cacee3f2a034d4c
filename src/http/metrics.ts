import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface AppMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  updatesIgnored: Counter<'channel' | 'type'>;
  deadLetters: Counter<'source'>;
}

/**
 * One registry per app instance (not prom-client's global one), so tests can run several apps in a
 * process. Queue depth is read from the database at scrape time.
 */
export function createMetrics(queueDepths: () => Promise<Record<string, number>>): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mcu_' });
  const httpDuration = new Histogram({
    name: 'mcu_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'mcu_queue_depth',
    help: 'Jobs waiting in each queue (created or retry)',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      try {
        const depths = await queueDepths();
        this.reset();
        for (const [queue, depth] of Object.entries(depths)) this.set({ queue }, depth);
      } catch {
        // The database is down: report no depth rather than failing the whole scrape.
        this.reset();
      }
    },
  });
  const updatesIgnored = new Counter({
    name: 'mcu_updates_ignored_total',
    help: 'Platform updates of a type the platform does not handle',
    labelNames: ['channel', 'type'] as const,
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'mcu_dead_letters_total',
    help: 'Inputs kept in the dead-letter table because they could not be parsed or processed',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, updatesIgnored, deadLetters };
}
