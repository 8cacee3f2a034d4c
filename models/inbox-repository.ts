import { CompiledQuery, sql } from 'kysely';
import { type Db, type Executor, poolOf } from './database.js';
import { deleteInSlices } from './delete-in-slices.js';

/** An event as the edge hands it to the inbox: already validated and made storable. */
export interface InboxInput {
  channel: string;
  /** The platform's id of the event (Telegram update_id, VK event_id, …): a re-delivery is a no-op. */
  eventId: string;
  /** Events of one lane are decided in arrival order, one at a time. */
  lane: string;
  payload: unknown;
}

export interface ClaimedEvent {
  id: number;
  channel: string;
  eventId: string;
  payload: unknown;
  attempts: number;
  receivedAt: Date;
}

/** A body refused at the edge, or an event that failed processing too often. */
export interface DeadLetterInput {
  source: string;
  reason: string;
  /** The raw body (text as received, or the stored event) — kept for the operator. */
  raw: unknown;
  error?: string | null;
  inboxId?: number | null;
}

/**
 * The inbox insert: the whole batch as one JSON parameter, so the statement's text is the same for
 * one event or two hundred. Through the pool it runs as a named prepared statement — parsed and
 * planned once per connection, where a multi-row VALUES with a parameter per field was compiled by
 * Kysely and planned by PostgreSQL on every call; one JSON.stringify of the batch also costs less
 * than a parameter (or a text[] element, escaped by pg) per field. See docs/development/benchmarks.md.
 * jsonb_to_recordset yields the array in order, so ids follow arrival order within a batch; a repeated
 * (channel, event_id), even inside one batch, is skipped, and the command's row count says how many
 * were new (no ids sent back).
 */
const STORE_EVENTS = {
  name: 'mcu_inbox_store',
  text: `insert into inbox_event (channel, event_id, lane, payload)
    select channel, event_id, lane, payload
      from jsonb_to_recordset($1::jsonb) as e(channel text, event_id text, lane text, payload jsonb)
    on conflict (channel, event_id) do nothing`,
};

/** How long the inbox insert may take before its connection is given up (the acknowledgement waits 10 s). */
const STORE_TIMEOUT_MS = 10_000;

const batchParameter = (events: readonly InboxInput[]): string[] => [
  JSON.stringify(events.map((e) => ({ channel: e.channel, event_id: e.eventId, lane: e.lane, payload: e.payload }))),
];

/**
 * Inserts events (one statement) and dead letters in one transaction; an event already in the inbox
 * is left as it is. Returns how many events were new. This is the only write before an acknowledgement.
 */
export async function storeInbound(
  db: Db,
  events: readonly InboxInput[],
  dead: readonly DeadLetterInput[] = [],
): Promise<number> {
  if (events.length === 0 && dead.length === 0) return 0;
  const insert = async (ex: Executor) => {
    if (events.length === 0) return 0;
    const result = await ex.executeQuery(CompiledQuery.raw(STORE_EVENTS.text, batchParameter(events)));
    return Number(result.numAffectedRows ?? 0n);
  };
  if (dead.length === 0) {
    // A single statement needs no explicit transaction (one round trip fewer on the hot path).
    const pool = poolOf(db);
    if (!pool) return insert(db);
    // Bounded: a hung connection fails the acknowledgement's write in time (the caller answers 503 anyway at
    // its deadline) and the pool drops that client, instead of the batcher waiting on it for minutes.
    // (`query_timeout` per query is read by pg's client, though its QueryConfig type does not list it.)
    const query: { name: string; text: string; values: string[] } = {
      ...STORE_EVENTS,
      values: batchParameter(events),
      ...{ query_timeout: STORE_TIMEOUT_MS },
    };
    return (await pool.query(query)).rowCount ?? 0;
  }
  return db.transaction().execute(async (tx) => {
    await insertDeadLetters(tx, dead);
    return insert(tx);
  });
}

export async function insertDeadLetters(db: Executor, letters: readonly DeadLetterInput[]): Promise<void> {
  if (letters.length === 0) return;
  await db
    .insertInto('dead_letter')
    .values(
      letters.map((l) => ({
        source: l.source,
        reason: l.reason,
        raw: JSON.stringify(l.raw ?? null),
        error: l.error ?? null,
        inbox_id: l.inboxId ?? null,
      })),
    )
    .execute();
}

/**
 * Claims up to `limit` due events, at most one per lane: the oldest pending one, and only in a lane
 * where no event is being decided (leased). The claim leases them for `leaseMs`; a worker that dies
 * leaves its events to be claimed again when the lease runs out. Claims are serialised by an
 * advisory lock, so two workers never read the same lane as free at the same moment.
 */
export async function claimInboxEvents(
  db: Db,
  options: { channels: readonly string[]; limit: number; leaseMs: number },
): Promise<ClaimedEvent[]> {
  if (options.channels.length === 0 || options.limit <= 0) return [];
  const rows = await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`.execute(tx);
    const result = await sql<{
      id: number;
      channel: string;
      event_id: string;
      payload: unknown;
      attempts: number;
      received_at: Date;
    }>`
      with heads as (
        select i.id from inbox_event i
        where i.status = 'pending' and i.available_at <= now() and i.channel = any(${[...options.channels]}::text[])
          and (i.locked_until is null or i.locked_until < now())
          and not exists (
            select 1 from inbox_event e
            where e.status = 'pending' and e.channel = i.channel and e.lane = i.lane and e.id <> i.id
              and (e.id < i.id or e.locked_until > now()))
        order by i.id
        limit ${options.limit}
        for update of i skip locked
      )
      update inbox_event i
      set locked_until = now() + ${options.leaseMs} * interval '1 millisecond', attempts = i.attempts + 1
      from heads where i.id = heads.id
      returning i.id, i.channel, i.event_id, i.payload, i.attempts, i.received_at`.execute(tx);
    return result.rows;
  });
  return rows
    .map((r) => ({
      id: r.id,
      channel: r.channel,
      eventId: r.event_id,
      payload: r.payload,
      attempts: r.attempts,
      receivedAt: r.received_at,
    }))
    .sort((a, b) => a.id - b.id);
}

/** The advisory lock that serialises claims (an arbitrary constant: "inbox" in ASCII). */
const CLAIM_LOCK = 0x696e626f78;

/** Keeps the leases of events still being decided (a slow decision is not taken over by another worker). */
export async function extendInboxLease(db: Executor, ids: readonly number[], leaseMs: number): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    update inbox_event set locked_until = now() + ${leaseMs} * interval '1 millisecond'
    where id = any(${[...ids]}::bigint[]) and status = 'pending'`.execute(db);
}

export async function markInboxDone(db: Executor, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    update inbox_event set status = 'done', done_at = now(), last_error = null, locked_until = null
    where id = any(${[...ids]}::bigint[]) and status = 'pending'`.execute(db);
}

/** A failed attempt: the event waits `delayMs` and is tried again (`refund`: the attempt does not count). */
export async function deferInboxEvent(
  db: Executor,
  id: number,
  delayMs: number,
  error: string,
  options: { refund?: boolean } = {},
): Promise<void> {
  await sql`
    update inbox_event
    set available_at = now() + ${delayMs} * interval '1 millisecond', last_error = ${error}, locked_until = null,
        attempts = case when ${options.refund === true} then greatest(attempts - 1, 0) else attempts end
    where id = ${id} and status = 'pending'`.execute(db);
}

/** Failed too often: parked with its raw body and the error, and the lane goes on. */
export async function parkInboxEvent(db: Db, event: ClaimedEvent, error: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const parked = await sql`
      update inbox_event set status = 'parked', last_error = ${error}, done_at = now(), locked_until = null
      where id = ${event.id} and status = 'pending'`.execute(tx);
    if (Number(parked.numAffectedRows ?? 0n) === 0) return;
    await insertDeadLetters(tx, [
      { source: event.channel, reason: 'processing_failed', raw: event.payload, error, inboxId: event.id },
    ]);
  });
}

/** How many events wait to be decided (and the age of the oldest), for /metrics and the tests. */
export async function inboxBacklog(db: Executor): Promise<{ pending: number; oldestSeconds: number }> {
  const row = await sql<{ pending: number; oldest: number | null }>`
    select count(*)::int as pending, extract(epoch from now() - min(received_at))::float8 as oldest
    from inbox_event where status = 'pending'`.execute(db);
  return { pending: row.rows[0]?.pending ?? 0, oldestSeconds: row.rows[0]?.oldest ?? 0 };
}

export interface DeadLetterRow {
  id: number;
  source: string;
  reason: string;
  raw: unknown;
  error: string | null;
  inboxId: number | null;
  createdAt: Date;
  replayedAt: Date | null;
}

/** Newest first, `beforeId` pages on. */
export async function listDeadLetters(
  db: Executor,
  options: { limit: number; beforeId?: number; source?: string; replayed?: boolean },
): Promise<DeadLetterRow[]> {
  let q = db
    .selectFrom('dead_letter')
    .select(['id', 'source', 'reason', 'raw', 'error', 'inbox_id', 'created_at', 'replayed_at'])
    .orderBy('id', 'desc')
    .limit(options.limit);
  if (options.beforeId !== undefined) q = q.where('id', '<', options.beforeId);
  if (options.source !== undefined) q = q.where('source', '=', options.source);
  if (options.replayed !== undefined) q = q.where('replayed_at', options.replayed ? 'is not' : 'is', null);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    reason: r.reason,
    raw: r.raw,
    error: r.error,
    inboxId: r.inbox_id,
    createdAt: r.created_at as Date,
    replayedAt: r.replayed_at,
  }));
}

export async function deadLetterById(db: Executor, id: number): Promise<DeadLetterRow | undefined> {
  const row = await db
    .selectFrom('dead_letter')
    .select(['id', 'source', 'reason', 'raw', 'error', 'inbox_id', 'created_at', 'replayed_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        source: row.source,
        reason: row.reason,
        raw: row.raw,
        error: row.error,
        inboxId: row.inbox_id,
        createdAt: row.created_at as Date,
        replayedAt: row.replayed_at,
      }
    : undefined;
}

/** A parked inbox event goes back to the queue with fresh attempts; false if it is not parked. */
export async function requeueParkedEvent(db: Executor, inboxId: number): Promise<boolean> {
  const r = await sql`
    update inbox_event set status = 'pending', attempts = 0, available_at = now(), done_at = null, locked_until = null
    where id = ${inboxId} and status = 'parked'`.execute(db);
  return Number(r.numAffectedRows ?? 0n) > 0;
}

export async function markReplayed(db: Executor, id: number, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('dead_letter')
    .set({ replayed_at: at })
    .where('id', '=', id)
    .where('replayed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Deletes, in slices, decided inbox events received before `before` (they are the ledger that
 * drops re-deliveries: keep them longer than a platform re-delivers) and dead letters created
 * before `deadBefore`. Pending events are never deleted.
 */
export async function pruneInbox(
  db: Executor,
  before: Date,
  deadBefore: Date,
  slice = 10_000,
): Promise<{ events: number; deadLetters: number }> {
  const deadLetters = await deleteInSlices(slice, () =>
    sql`delete from dead_letter where id in (select id from dead_letter where created_at < ${deadBefore} limit ${slice})`.execute(
      db,
    ),
  );
  const events = await deleteInSlices(slice, () =>
    sql`delete from inbox_event where id in (
          select id from inbox_event where received_at < ${before} and status <> 'pending'
            and not exists (select 1 from dead_letter d where d.inbox_id = inbox_event.id)
          limit ${slice})`.execute(db),
  );
  return { events, deadLetters };
}
