import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { businessGauges, type MetricsSnapshot } from './business-metrics.js';

export type { MetricsSnapshot } from './business-metrics.js';

export interface AppMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  updatesIgnored: Counter<'channel' | 'type'>;
  deadLetters: Counter<'source'>;
  /** How late a reminder went out after its due time (quiet hours moved it, a busy queue delayed it). */
  reminderLateness: Histogram;
  /** Sends that did not arrive: channel, message kind, and blocked | failed | retry. */
  deliveriesFailed: Counter<'channel' | 'kind' | 'reason'>;
}

/**
 * One registry per app instance (not prom-client's global one), so tests can run several apps in a
 * process. The process metrics keep prom-client's standard names (process_*, nodejs_*), so stock
 * Node.js dashboards read them; ours start with mcu_. The database's figures are read at scrape time
 * from `snapshot` (cached a few seconds; business-metrics.ts).
 */
export function createMetrics(snapshot: () => Promise<Partial<MetricsSnapshot>>): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'mcu_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  businessGauges(registry, snapshot);
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
  const reminderLateness = new Histogram({
    name: 'mcu_reminder_lateness_seconds',
    help: 'How long after its due time a reminder or escalation was sent (the end of quiet hours counts as due for a non-urgent case)',
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600],
    registers: [registry],
  });
  const deliveriesFailed = new Counter({
    name: 'mcu_deliveries_failed_total',
    help: 'Outbound sends that did not arrive, by channel, message kind and reason (blocked, failed, retry)',
    labelNames: ['channel', 'kind', 'reason'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, updatesIgnored, deadLetters, reminderLateness, deliveriesFailed };
}
