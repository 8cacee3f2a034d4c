import { sql } from 'kysely';
import { type Segment, segmentSchema } from './broadcast.js';
import type { Executor } from './database.js';
import type { BroadcastStatus } from './schema.js';

/**
 * Broadcasts as the console lists them: newest first, a status filter, keyset pages by id, with the
 * author's and the approver's names joined in the same query (no lookup per row). The table holds
 * hundreds of rows a year, so the primary key's order is the whole plan.
 */
export interface BroadcastListRow {
  id: number;
  title: string;
  status: BroadcastStatus;
  priority: 'normal' | 'emergency';
  segment: Segment;
  authorId: number | null;
  author: string;
  authorName: string | null;
  approvedById: number | null;
  approverName: string | null;
  approvedAt: Date | null;
  scheduledAt: Date | null;
  recipientsTotal: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface BroadcastListFilter {
  status?: BroadcastStatus | undefined;
  /** Only broadcasts with a smaller id (the next page). */
  beforeId?: number | undefined;
  /** Only this broadcast (its page's names). */
  id?: number | undefined;
  limit: number;
}

export async function broadcastListPage(db: Executor, filter: BroadcastListFilter): Promise<BroadcastListRow[]> {
  let q = db
    .selectFrom('broadcast as b')
    .leftJoin('official as a', 'a.id', 'b.author_id')
    .leftJoin('official as p', 'p.id', 'b.approved_by_id')
    .select([
      'b.id',
      'b.title',
      'b.status',
      'b.priority',
      'b.segment',
      'b.author_id as authorId',
      'b.author',
      'a.name as authorName',
      'b.approved_by_id as approvedById',
      'p.name as approverName',
      'b.approved_at as approvedAt',
      'b.scheduled_at as scheduledAt',
      'b.recipients_total as recipientsTotal',
      'b.created_at as createdAt',
      'b.started_at as startedAt',
      'b.finished_at as finishedAt',
    ])
    .orderBy('b.id', 'desc')
    .limit(filter.limit);
  if (filter.status) q = q.where('b.status', '=', filter.status);
  if (filter.beforeId !== undefined) q = q.where('b.id', '<', filter.beforeId);
  if (filter.id !== undefined) q = q.where('b.id', '=', filter.id);
  const rows = await q.execute();
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    authorId: r.authorId === null ? null : Number(r.authorId),
    approvedById: r.approvedById === null ? null : Number(r.approvedById),
    // The segment is stored as its JSON input and read back through its schema (as the repository does).
    segment: segmentSchema.parse(r.segment),
  }));
}

/** Why recipients were not reached: counts by status and reason, the most frequent first. */
export interface ReasonCount {
  status: 'blocked' | 'failed' | 'skipped';
  reason: string | null;
  n: number;
}

/** Reads one broadcast's rows by its primary key's prefix: bounded by that broadcast's audience. */
export async function recipientReasons(db: Executor, broadcastId: number, limit: number): Promise<ReasonCount[]> {
  const rows = await db
    .selectFrom('broadcast_recipient')
    .select(['status', 'reason', sql<string>`count(*)::text`.as('n')])
    .where('broadcast_id', '=', broadcastId)
    .where('status', 'in', ['blocked', 'failed', 'skipped'])
    .groupBy(['status', 'reason'])
    .orderBy(sql`count(*)`, 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ status: r.status as ReasonCount['status'], reason: r.reason, n: Number(r.n) }));
}
