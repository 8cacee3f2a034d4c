import type { DomainConfig } from '../../config/domain.js';
import type { Clock } from '../../lib/clock.js';
import { caseCountsByDepartment, deadLettersBySource, type QueueLag, queueLags } from '../../models/business-metrics-query.js';
import type { DatabaseHandle } from '../../models/database.js';
import { inboxBacklog } from '../../models/inbox-repository.js';
import { DEAD_LETTER_QUEUE, JOB_NAMES } from '../../models/jobs.js';
import type { MetricsSnapshot } from '../http/metrics.js';
import type { PartState } from '../http/routes/health.js';
import { QUEUE_SCHEMA } from '../jobs/queue.js';

/** What the snapshot reads of the Runtime (which builds the metrics in its constructor, so it cannot be imported here). */
export interface SnapshotParts {
  readonly database: DatabaseHandle | null;
  readonly dbState: PartState;
  readonly queue: unknown;
  readonly queueState: PartState;
  readonly clock: Clock;
  readonly domain: DomainConfig;
}

/** A dead letter's source as a label: the code's own names (channels, `decision`, …); anything else is `other`. */
const SOURCE_LABEL = /^[a-z][a-z0-9_-]{0,31}$/;

/**
 * The database's figures for /metrics (src/http/business-metrics.ts caches them): one statement each,
 * in turn, so a scrape holds one pool connection. Throws when the database is not up, which the
 * metrics show as mcu_metrics_database_up 0. Labels are bounded here: every department of the domain
 * file (0 when it has no case), `none` and `other`; every queue of models/jobs.ts.
 */
export async function metricsSnapshot(rt: SnapshotParts): Promise<Partial<MetricsSnapshot>> {
  if (!rt.database || rt.dbState !== 'ok') throw new Error('database not up');
  const db = rt.database.db;
  const cases = departmentRows(rt, await caseCountsByDepartment(db, rt.clock.now()));
  const inbox = await inboxBacklog(db);
  const deadLetters = boundedSources(await deadLettersBySource(db));
  if (!rt.queue || rt.queueState !== 'ok') return { cases, inbox, deadLetters };
  return { cases, inbox, deadLetters, queues: everyQueue(await queueLags(db, QUEUE_SCHEMA)) };
}

function departmentRows(
  rt: SnapshotParts,
  counts: { department: string | null; open: number; overdue: number }[],
): MetricsSnapshot['cases'] {
  const rows = new Map<string, { department: string; open: number; overdue: number }>();
  for (const d of rt.domain.departments) rows.set(d.id, { department: d.id, open: 0, overdue: 0 });
  rows.set('none', { department: 'none', open: 0, overdue: 0 });
  for (const c of counts) {
    const label = c.department === null ? 'none' : rows.has(c.department) ? c.department : 'other';
    const row = rows.get(label) ?? { department: label, open: 0, overdue: 0 };
    row.open += c.open;
    row.overdue += c.overdue;
    rows.set(label, row);
  }
  return [...rows.values()];
}

function boundedSources(rows: { source: string; count: number }[]): MetricsSnapshot['deadLetters'] {
  const bySource = new Map<string, number>();
  for (const r of rows) {
    const label = SOURCE_LABEL.test(r.source) ? r.source : 'other';
    bySource.set(label, (bySource.get(label) ?? 0) + r.count);
  }
  return [...bySource].map(([source, count]) => ({ source, count }));
}

/** Every queue the app declares, 0 when empty (a dashboard's line does not vanish); pg-boss's own queues left out. */
function everyQueue(lags: QueueLag[]): MetricsSnapshot['queues'] {
  const known = new Map(lags.map((l) => [l.queue, l]));
  return [...JOB_NAMES, DEAD_LETTER_QUEUE].map((queue) => known.get(queue) ?? { queue, waiting: 0, lagSeconds: 0 });
}
