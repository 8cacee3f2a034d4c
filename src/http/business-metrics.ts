import { Gauge, type Registry } from 'prom-client';

/** What the database says at scrape time; a part the instance cannot read (no database, no queue) is left out. */
export interface MetricsSnapshot {
  /** Labels already bounded: the domain file's department ids, `none` (not routed), `other` (an id no longer in the file). */
  cases: { department: string; open: number; overdue: number }[];
  inbox: { pending: number; oldestSeconds: number };
  queues: { queue: string; waiting: number; lagSeconds: number }[];
  deadLetters: { source: string; count: number }[];
}

/** A scrape storm reads the database once per this period; Prometheus scrapes every 15–60 s. */
export const SNAPSHOT_TTL_MS = 5_000;

/**
 * The gauges read from the database, all from one cached snapshot: prom-client collects the metrics
 * of a scrape concurrently, so the first gauge starts the read and the others share its promise; a
 * snapshot younger than SNAPSHOT_TTL_MS is reused by the next scrapes. A failed read (the database
 * is down) leaves the gauges empty and sets mcu_metrics_database_up to 0, rather than failing the
 * scrape and losing the process metrics with it.
 */
export function businessGauges(registry: Registry, read: () => Promise<Partial<MetricsSnapshot>>): void {
  const snapshot = cached(read, SNAPSHOT_TTL_MS);
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (g: Gauge<L>, s: Partial<MetricsSnapshot>) => void,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        if (s) fill(this, s);
      },
    });

  gauge(
    'mcu_metrics_database_up',
    'Whether the last read of the figures below from the database succeeded (1) or not (0)',
    [],
    (g, s) => g.set(s === FAILED ? 0 : 1),
  );
  gauge('mcu_cases_open', 'Open cases by department (none: not routed yet)', ['department'], (g, s) => {
    for (const c of s.cases ?? []) g.set({ department: c.department }, c.open);
  });
  gauge(
    'mcu_cases_overdue',
    'Open cases past their final deadline, not waiting for the citizen, by department',
    ['department'],
    (g, s) => {
      for (const c of s.cases ?? []) g.set({ department: c.department }, c.overdue);
    },
  );
  gauge('mcu_inbox_pending', 'Stored platform events not decided yet', [], (g, s) => {
    if (s.inbox) g.set(s.inbox.pending);
  });
  gauge('mcu_inbox_oldest_pending_seconds', 'Age of the oldest stored event not decided yet (0 when none)', [], (g, s) => {
    if (s.inbox) g.set(s.inbox.oldestSeconds);
  });
  gauge('mcu_queue_depth', 'Jobs waiting in each queue (created or retry, deferred ones included)', ['queue'], (g, s) => {
    for (const q of s.queues ?? []) g.set({ queue: q.queue }, q.waiting);
  });
  gauge(
    'mcu_queue_lag_seconds',
    'How long the oldest job whose start time has come has waited for a worker, by queue (0 when none)',
    ['queue'],
    (g, s) => {
      for (const q of s.queues ?? []) g.set({ queue: q.queue }, q.lagSeconds);
    },
  );
  gauge('mcu_dead_letters', 'Dead letters kept and not replayed, by source', ['source'], (g, s) => {
    for (const d of s.deadLetters ?? []) g.set({ source: d.source }, d.count);
  });
}

/** The marker of a failed read: the gauges stay empty and mcu_metrics_database_up says 0. */
const FAILED: Partial<MetricsSnapshot> = Object.freeze({});

/** `read`'s promise, shared while in flight and kept `ttlMs` after (monotonic time, not the app's Clock: this is no business time). */
function cached(read: () => Promise<Partial<MetricsSnapshot>>, ttlMs: number): () => Promise<Partial<MetricsSnapshot>> {
  let current: { at: number; value: Promise<Partial<MetricsSnapshot>> } | null = null;
  return () => {
    const now = performance.now();
    if (!current || now - current.at >= ttlMs) current = { at: now, value: read().catch(() => FAILED) };
    return current.value;
  };
}
