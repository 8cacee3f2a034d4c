import { type RawBuilder, sql } from 'kysely';
import { type BroadcastChannel, type BulkResult, type Segment, segmentSchema } from './broadcast.js';
import type { Executor } from './database.js';
import type { BroadcastRecipientStatus, BroadcastStatus } from './schema.js';

/**
 * Broadcasts and their recipients (migration 0029-broadcasts): the segment's audience, counted for a
 * preview and frozen into one row per chat when the broadcast starts; rows claimed, sent and stamped by
 * the one sender holding the broadcast's lease. docs/architecture/broadcasts.md.
 */

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

export interface BroadcastRow {
  id: number;
  title: string;
  text: string;
  photoUrl: string | null;
  allowSplit: boolean;
  segment: Segment;
  priority: 'normal' | 'emergency';
  status: BroadcastStatus;
  authorId: number | null;
  author: string;
  approvedById: number | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  scheduledAt: Date | null;
  recipientsTotal: number | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  progressMessage: { channel: BroadcastChannel; chatId: string; messageId: string } | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  summarySentAt: Date | null;
  /** Why it went back to `draft` when it was due to start (the sweep); null once started or changed. */
  notStartedReason: string | null;
}

const columns = [
  'id',
  'title',
  'text',
  'photo_url as photoUrl',
  'allow_split as allowSplit',
  'segment',
  'priority',
  'status',
  'author_id as authorId',
  'author',
  'approved_by_id as approvedById',
  'approved_by as approvedBy',
  'approved_at as approvedAt',
  'scheduled_at as scheduledAt',
  'recipients_total as recipientsTotal',
  'lease_owner as leaseOwner',
  'lease_until as leaseUntil',
  'progress_message as progressMessage',
  'created_at as createdAt',
  'started_at as startedAt',
  'finished_at as finishedAt',
  'summary_sent_at as summarySentAt',
  'not_started_reason as notStartedReason',
] as const;

// The segment is stored as its JSON input (instants as ISO strings) and read back through its schema.
const toRow = (r: Record<string, unknown>): BroadcastRow => ({
  ...(r as unknown as BroadcastRow),
  id: Number(r.id),
  segment: segmentSchema.parse(r.segment),
});

export interface NewBroadcast {
  title: string;
  text: string;
  photoUrl: string | null;
  allowSplit: boolean;
  segment: Segment;
  priority: 'normal' | 'emergency';
  authorId: number | null;
  author: string;
  scheduledAt: Date | null;
}

export async function insertBroadcast(db: Executor, b: NewBroadcast, at: Date): Promise<BroadcastRow> {
  const row = await db
    .insertInto('broadcast')
    .values({
      title: b.title,
      text: b.text,
      photo_url: b.photoUrl,
      allow_split: b.allowSplit,
      segment: JSON.stringify(b.segment),
      priority: b.priority,
      author_id: b.authorId,
      author: b.author,
      scheduled_at: b.scheduledAt,
      created_at: at,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toRow(row);
}

export async function findBroadcast(
  db: Executor,
  id: number,
  opts: { forUpdate?: boolean } = {},
): Promise<BroadcastRow | undefined> {
  let q = db.selectFrom('broadcast').select(columns).where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toRow(row) : undefined;
}

export async function listBroadcasts(db: Executor, limit: number): Promise<BroadcastRow[]> {
  const rows = await db.selectFrom('broadcast').select(columns).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toRow);
}

/** Changes a draft's content or segment (only a draft: 0 rows otherwise). */
export async function updateDraft(
  db: Executor,
  id: number,
  patch: Partial<Pick<NewBroadcast, 'title' | 'text' | 'photoUrl' | 'allowSplit' | 'segment' | 'priority' | 'scheduledAt'>>,
): Promise<boolean> {
  const values = {
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.text !== undefined ? { text: patch.text } : {}),
    ...(patch.photoUrl !== undefined ? { photo_url: patch.photoUrl } : {}),
    ...(patch.allowSplit !== undefined ? { allow_split: patch.allowSplit } : {}),
    ...(patch.segment !== undefined ? { segment: JSON.stringify(patch.segment) } : {}),
    ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
    ...(patch.scheduledAt !== undefined ? { scheduled_at: patch.scheduledAt } : {}),
  };
  if (Object.keys(values).length === 0) return true;
  // A changed draft needs approving again: what was approved is not what would go out.
  const r = await db
    .updateTable('broadcast')
    .set({ ...values, approved_by_id: null, approved_by: null, approved_at: null, not_started_reason: null })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setApproval(db: Executor, id: number, by: { id: number; actor: string }, at: Date): Promise<void> {
  await db
    .updateTable('broadcast')
    .set({ approved_by_id: by.id, approved_by: by.actor, approved_at: at })
    .where('id', '=', id)
    .execute();
}

/** Moves a broadcast from one of `from` to `to`; false when it was in another state (a concurrent change). */
export async function transition(
  db: Executor,
  id: number,
  from: readonly BroadcastStatus[],
  to: BroadcastStatus,
  at: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('broadcast')
    .set({
      status: to,
      ...(to === 'running' || to === 'scheduled' ? { not_started_reason: null } : {}),
      ...(to === 'running' ? { started_at: sql<Date>`coalesce(started_at, ${at})` } : {}),
      ...(to === 'done' || to === 'cancelled' ? { finished_at: at, lease_owner: null, lease_until: null } : {}),
    })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * A scheduled broadcast that could not start when due goes back to `draft` with the reason (an approval
 * it needs is asked for on a draft; the author can change it or start it again). False when it was no
 * longer scheduled.
 */
export async function returnToDraft(db: Executor, id: number, reason: string): Promise<boolean> {
  const r = await db
    .updateTable('broadcast')
    .set({ status: 'draft', not_started_reason: reason })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setProgressMessage(
  db: Executor,
  id: number,
  message: { channel: BroadcastChannel; chatId: string; messageId: string },
): Promise<void> {
  await db
    .updateTable('broadcast')
    .set({ progress_message: JSON.stringify(message) })
    .where('id', '=', id)
    .execute();
}

/** Marks the final summary sent, exactly once: false when another sender already did. */
export async function claimSummary(db: Executor, id: number, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('broadcast')
    .set({ summary_sent_at: at })
    .where('id', '=', id)
    .where('summary_sent_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Broadcasts a sweep should look at: running ones whose lease ran out, and scheduled ones that are due. */
export async function broadcastsToWake(
  db: Executor,
  now: Date,
): Promise<{ id: number; priority: 'normal' | 'emergency'; status: BroadcastStatus }[]> {
  const rows = await db
    .selectFrom('broadcast')
    .select(['id', 'priority', 'status'])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'running'), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)])]),
        eb.and([eb('status', '=', 'scheduled'), eb('scheduled_at', '<=', now)]),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Running broadcasts and when their lease runs out. */
export async function listRunning(
  db: Executor,
): Promise<{ id: number; priority: 'normal' | 'emergency'; leaseUntil: Date | null }[]> {
  const rows = await db
    .selectFrom('broadcast')
    .select(['id', 'priority', 'lease_until as leaseUntil'])
    .where('status', '=', 'running')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

// ---------------------------------------------------------------------------------------------
// The lease: one sender at a time
// ---------------------------------------------------------------------------------------------

/**
 * Takes or renews the broadcast's lease for `owner` until `until`: succeeds when it is free, expired
 * or already `owner`'s, and the broadcast is running. Returns the status seen (null: not taken).
 */
export async function takeLease(db: Executor, id: number, owner: string, now: Date, until: Date): Promise<boolean> {
  const r = await db
    .updateTable('broadcast')
    .set({ lease_owner: owner, lease_until: until })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseLease(db: Executor, id: number, owner: string): Promise<void> {
  await db
    .updateTable('broadcast')
    .set({ lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// The audience
// ---------------------------------------------------------------------------------------------

/** Rows of one audience member: the chat a broadcast goes to, and who it is. */
const PRIVATE_CHAT = sql<string>`coalesce(m.platform_ids->>'chat_id', m.platform_ids->>'peer_id')`;

/**
 * The segment's audience as SQL rows (citizen_id, channel, chat_id, excluded): one per chat, with
 * `excluded` naming why a member is left out (opted_out, no_private_chat) instead of dropping them, so
 * a preview can say so.
 */
function audienceSql(s: Segment, now: Date): RawBuilder<unknown> {
  const channels = s.channels && s.channels.length > 0 ? sql`and x.channel in (${sql.join(s.channels)})` : sql``;
  if (s.kind === 'subscribers') {
    const districts = s.districts ? sql`and (sub.districts = '{}' or sub.districts && ${sql.val(s.districts)}::text[])` : sql``;
    const topics = s.topics ? sql`and (sub.topics = '{}' or sub.topics && ${sql.val(s.topics)}::text[])` : sql``;
    return sql`
      select x.* from (
        select sub.citizen_id, sub.channel, sub.chat_id,
               case when c.broadcasts_opted_out_at is not null then 'opted_out' end as excluded
          from subscription sub join citizen c on c.id = sub.citizen_id
         where sub.active and c.consent = 'given' ${districts} ${topics}
      ) x where true ${channels}`;
  }
  const cases =
    s.kind === 'problem'
      ? sql`select distinct k.citizen_id from "case" k where k.problem_id = ${s.problemId} and k.citizen_id is not null`
      : casesSql(s, now);
  // The chat of the citizen's latest private message: where they can be written to.
  return sql`
    select x.* from (
      select cit.id as citizen_id, coalesce(pm.channel, cit.channel) as channel,
             coalesce(pm.chat_id, '') as chat_id,
             case when cit.broadcasts_opted_out_at is not null or cit.consent = 'declined' then 'opted_out'
                  when pm.chat_id is null then 'no_private_chat' end as excluded
        from (${cases}) who
        join citizen cit on cit.id = who.citizen_id
        left join lateral (
          select m.channel, ${PRIVATE_CHAT} as chat_id
            from message m
           where m.citizen_id = cit.id and m.kind = 'private' and m.channel in ('telegram', 'vk', 'max')
           order by m.id desc limit 1
        ) pm on true
    ) x where true ${channels}`;
}

function casesSql(s: Extract<Segment, { kind: 'cases' }>, now: Date): RawBuilder<unknown> {
  const from = s.withinHours !== undefined ? new Date(now.getTime() - s.withinHours * 3_600_000) : s.from;
  const to = s.withinHours !== undefined ? now : s.to;
  return sql`
    select distinct k.citizen_id from "case" k
     where k.citizen_id is not null
       ${s.categories ? sql`and k.category in (${sql.join(s.categories)})` : sql``}
       ${s.districts ? sql`and k.district in (${sql.join(s.districts)})` : sql``}
       ${from ? sql`and k.created_at >= ${from}` : sql``}
       ${to ? sql`and k.created_at < ${to}` : sql``}`;
}

export interface AudienceCount {
  /** Recipients per channel (one per chat). */
  byChannel: Partial<Record<BroadcastChannel, number>>;
  /** Members left out, by reason. */
  excluded: { opted_out: number; no_private_chat: number };
}

/** Counts the segment's audience now, per channel, and who would be left out. */
export async function countAudience(db: Executor, segment: Segment, now: Date): Promise<AudienceCount> {
  const rows = await sql<{ channel: string; excluded: string | null; n: string }>`
    select a.channel, a.excluded, count(distinct (a.channel, a.chat_id, a.citizen_id))::text as n
      from (${audienceSql(segment, now)}) a
     group by a.channel, a.excluded`.execute(db);
  const out: AudienceCount = { byChannel: {}, excluded: { opted_out: 0, no_private_chat: 0 } };
  for (const r of rows.rows) {
    const n = Number(r.n);
    if (r.excluded === 'opted_out' || r.excluded === 'no_private_chat') out.excluded[r.excluded] += n;
    else out.byChannel[r.channel as BroadcastChannel] = (out.byChannel[r.channel as BroadcastChannel] ?? 0) + n;
  }
  return out;
}

/**
 * Freezes the audience: one recipient row per chat (a citizen reachable on two messengers gets it on
 * each chat they are in the segment with; one chat never twice), in a stable order. Returns the count.
 */
export async function freezeAudience(db: Executor, broadcastId: number, segment: Segment, now: Date): Promise<number> {
  const r = await sql`
    insert into broadcast_recipient (broadcast_id, seq, citizen_id, channel, chat_id, available_at)
    select ${broadcastId}, row_number() over (order by a.channel, a.citizen_id, a.chat_id), a.citizen_id, a.channel, a.chat_id,
           -- The app's clock, not the database's now(): the claim compares with the app's clock.
           ${now}::timestamptz
      from (select distinct on (x.channel, x.chat_id) x.citizen_id, x.channel, x.chat_id
              from (${audienceSql(segment, now)}) x
             where x.excluded is null
             order by x.channel, x.chat_id, x.citizen_id) a
    on conflict do nothing`.execute(db);
  const n = Number(r.numAffectedRows ?? 0);
  await db.updateTable('broadcast').set({ recipients_total: n }).where('id', '=', broadcastId).execute();
  return n;
}

// ---------------------------------------------------------------------------------------------
// Claiming and stamping
// ---------------------------------------------------------------------------------------------

export interface ClaimedRecipient {
  seq: number;
  chatId: string;
  citizenId: number | null;
  attempts: number;
}

/**
 * Rows a crashed sender left `sending` (in flight when it died) go back to `pending`, to be sent again:
 * the only way a recipient can get a broadcast twice. Returns how many.
 */
export async function requeueInFlight(db: Executor, broadcastId: number): Promise<number> {
  const r = await db
    .updateTable('broadcast_recipient')
    .set({ status: 'pending' })
    .where('broadcast_id', '=', broadcastId)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Claims up to `limit` due rows of one channel for sending (`pending` → `sending`), in order. Rows
 * whose citizen left in the meantime (opted out; for a subscribers' broadcast, unsubscribed) are
 * stamped `skipped` instead: leaving takes effect before the next batch.
 */
export async function claimRecipients(
  db: Executor,
  p: { broadcastId: number; channel: BroadcastChannel; limit: number; now: Date; subscribersOnly: boolean },
): Promise<ClaimedRecipient[]> {
  const left = sql<boolean>`(
    exists (select 1 from citizen c where c.id = r.citizen_id
             and (c.broadcasts_opted_out_at is not null or c.consent = 'declined'))
    ${p.subscribersOnly ? sql`or not exists (select 1 from subscription s where s.citizen_id = r.citizen_id and s.active)` : sql``})`;
  // The rows are joined back by (picked.broadcast_id, picked.seq), not `r.broadcast_id = <id>`: statistics
  // gathered before this broadcast's rows existed estimate one row for that id, and the planner then
  // scanned all of them once per picked row (a nested loop: 2–4 s a claim of 1,000 for a broadcast to
  // 10,000 after a first one; bench/broadcast). Joined by the picked columns, each picked row is one
  // probe of the primary key whatever the estimates.
  const rows = await sql<{ seq: number; chat_id: string; citizen_id: string | null; attempts: number; status: string }>`
    with picked as (
      select broadcast_id, seq from broadcast_recipient
       where broadcast_id = ${p.broadcastId} and channel = ${p.channel} and status = 'pending' and available_at <= ${p.now}
       order by seq limit ${p.limit}
       for update skip locked
    )
    update broadcast_recipient r
       set status = case when ${left} then 'skipped' else 'sending' end,
           reason = case when ${left} then 'unsubscribed' else r.reason end,
           attempts = r.attempts + case when ${left} then 0 else 1 end
      from picked
     where r.broadcast_id = picked.broadcast_id and r.seq = picked.seq
    returning r.seq, r.chat_id, r.citizen_id, r.attempts, r.status`.execute(db);
  return rows.rows
    .filter((r) => r.status === 'sending')
    .sort((a, b) => a.seq - b.seq)
    .map((r) => ({
      seq: r.seq,
      chatId: r.chat_id,
      citizenId: r.citizen_id === null ? null : Number(r.citizen_id),
      attempts: r.attempts,
    }));
}

/** When a failed send is tried again: 2, 4, 8 … seconds, at most 5 minutes. */
export const backoffSeconds = (attempts: number): number => Math.min(300, 2 ** Math.max(1, attempts));

/**
 * Stamps one batch's results in one statement. `sent`, `blocked` and (after `maxAttempts`) `failed`
 * are final; `retry` waits `afterSeconds` without spending an attempt; a `failed` send under the limit
 * waits its `afterSeconds` (an outage's wait) or else its back-off. A blocked chat ends that citizen's subscription (recorded as a subscription event).
 */
export async function stampResults(
  db: Executor,
  p: {
    broadcastId: number;
    channel: BroadcastChannel;
    results: readonly BulkResult[];
    attempts: ReadonlyMap<number, number>;
    maxAttempts: number;
    now: Date;
  },
): Promise<void> {
  if (p.results.length === 0) return;
  const values = p.results.map((r) => {
    const attempts = p.attempts.get(r.seq) ?? 1;
    let status: BroadcastRecipientStatus;
    let reason: string | null = null;
    let after = 0;
    let spend = 0;
    switch (r.status) {
      case 'sent':
        status = 'sent';
        break;
      case 'blocked':
        status = 'blocked';
        reason = r.reason;
        break;
      case 'retry':
        status = 'pending';
        reason = r.reason;
        after = r.afterSeconds;
        spend = -1; // slowing down is not the recipient's failure
        break;
      case 'failed':
        status = attempts >= p.maxAttempts ? 'failed' : 'pending';
        reason = r.reason;
        after = status === 'pending' ? (r.afterSeconds ?? backoffSeconds(attempts)) : 0;
        break;
    }
    const messageId = r.status === 'sent' ? (r.messageId ?? null) : null;
    return sql`(${r.seq}::int, ${status}::text, ${reason}::text, ${messageId}::text, ${after}::float8, ${spend}::int)`;
  });
  await sql`
    update broadcast_recipient r
       set status = v.status,
           reason = v.reason,
           message_id = coalesce(v.message_id, r.message_id),
           sent_at = case when v.status = 'sent' then ${p.now}::timestamptz else r.sent_at end,
           available_at = ${p.now}::timestamptz + make_interval(secs => v.after),
           attempts = r.attempts + v.spend
      from (values ${sql.join(values)}) as v(seq, status, reason, message_id, after, spend)
     where r.broadcast_id = ${p.broadcastId} and r.seq = v.seq and r.status = 'sending'`.execute(db);
  const blocked = p.results.filter((r) => r.status === 'blocked').map((r) => r.seq);
  if (blocked.length > 0) {
    await sql`
      with ended as (
        update subscription s set active = false, updated_at = ${p.now}
          from broadcast_recipient r
         where r.broadcast_id = ${p.broadcastId} and r.seq in (${sql.join(blocked)})
           and s.citizen_id = r.citizen_id and s.channel = r.channel and s.chat_id = r.chat_id and s.active
        returning s.citizen_id, s.channel, s.districts, s.topics
      )
      insert into subscription_event (citizen_id, channel, action, districts, topics, via, broadcast_id, at)
      select citizen_id, channel, 'blocked', districts, topics, 'delivery', ${p.broadcastId}, ${p.now} from ended`.execute(db);
  }
}

/**
 * Rows not yet final are skipped with `reason` (a cancelled broadcast): the `pending` ones, and with
 * `inFlight` also the `sending` ones — only when no sender can still stamp them (it finished its batches,
 * or its lease ran out), or an accepted send would be recorded as skipped.
 */
export async function skipRemaining(
  db: Executor,
  broadcastId: number,
  reason: string,
  opts: { inFlight: boolean } = { inFlight: false },
): Promise<number> {
  const r = await db
    .updateTable('broadcast_recipient')
    .set({ status: 'skipped', reason })
    .where('broadcast_id', '=', broadcastId)
    .where('status', 'in', opts.inFlight ? ['pending', 'sending'] : ['pending'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Rows not final yet of these channels are skipped with `reason` (a messenger this instance cannot send on). */
export async function skipChannels(
  db: Executor,
  broadcastId: number,
  channels: readonly BroadcastChannel[],
  reason: string,
): Promise<number> {
  if (channels.length === 0) return 0;
  const r = await db
    .updateTable('broadcast_recipient')
    .set({ status: 'skipped', reason })
    .where('broadcast_id', '=', broadcastId)
    .where('channel', 'in', channels)
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function problemExists(db: Executor, id: number): Promise<boolean> {
  return (await problemTitle(db, id)) !== null;
}

/** A problem's label (its category and place), null when there is no such problem. */
export async function problemTitle(db: Executor, id: number): Promise<string | null> {
  return (await db.selectFrom('problem').select('title').where('id', '=', id).executeTakeFirst())?.title ?? null;
}

/** Rows not final yet, per channel, and the earliest time a waiting one is due. */
export async function remainingWork(
  db: Executor,
  broadcastId: number,
): Promise<{ byChannel: Partial<Record<BroadcastChannel, number>>; nextDueAt: Date | null }> {
  const rows = await db
    .selectFrom('broadcast_recipient')
    .select(['channel', sql<string>`count(*)::text`.as('n'), sql<Date>`min(available_at)`.as('due')])
    .where('broadcast_id', '=', broadcastId)
    .where('status', 'in', ['pending', 'sending'])
    .groupBy('channel')
    .execute();
  const byChannel: Partial<Record<BroadcastChannel, number>> = {};
  let nextDueAt: Date | null = null;
  for (const r of rows) {
    byChannel[r.channel as BroadcastChannel] = Number(r.n);
    if (nextDueAt === null || r.due < nextDueAt) nextDueAt = r.due;
  }
  return { byChannel, nextDueAt };
}

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

export interface RecipientTotals {
  /** By channel, then by status. */
  byChannel: Partial<Record<BroadcastChannel, Partial<Record<BroadcastRecipientStatus, number>>>>;
  /** Sent in the last minute (the current rate). */
  sentLastMinute: number;
  firstSentAt: Date | null;
  lastSentAt: Date | null;
}

export async function recipientTotals(db: Executor, broadcastId: number, now: Date): Promise<RecipientTotals> {
  const rows = await db
    .selectFrom('broadcast_recipient')
    .select(['channel', 'status', sql<string>`count(*)::text`.as('n')])
    .where('broadcast_id', '=', broadcastId)
    .groupBy(['channel', 'status'])
    .execute();
  const times = await db
    .selectFrom('broadcast_recipient')
    .select([
      sql<string>`count(*) filter (where sent_at >= ${new Date(now.getTime() - 60_000)})::text`.as('lastMinute'),
      sql<Date | null>`min(sent_at)`.as('first'),
      sql<Date | null>`max(sent_at)`.as('last'),
    ])
    .where('broadcast_id', '=', broadcastId)
    .executeTakeFirstOrThrow();
  const byChannel: RecipientTotals['byChannel'] = {};
  for (const r of rows) {
    const channel = r.channel as BroadcastChannel;
    byChannel[channel] = { ...byChannel[channel], [r.status]: Number(r.n) };
  }
  return { byChannel, sentLastMinute: Number(times.lastMinute), firstSentAt: times.first, lastSentAt: times.last };
}

export interface RecipientLine {
  seq: number;
  channel: string;
  citizenId: number | null;
  citizenName: string | null;
  status: BroadcastRecipientStatus;
  reason: string | null;
  attempts: number;
  sentAt: Date | null;
}

/** Recipients in order, a page at a time after `afterSeq` (for a streamed CSV). */
export async function recipientPage(
  db: Executor,
  broadcastId: number,
  afterSeq: number,
  limit: number,
): Promise<RecipientLine[]> {
  const rows = await db
    .selectFrom('broadcast_recipient as r')
    .leftJoin('citizen as c', 'c.id', 'r.citizen_id')
    .select([
      'r.seq',
      'r.channel',
      'r.citizen_id as citizenId',
      'c.display_name as citizenName',
      'r.status',
      'r.reason',
      'r.attempts',
      'r.sent_at as sentAt',
    ])
    .where('r.broadcast_id', '=', broadcastId)
    .where('r.seq', '>', afterSeq)
    .orderBy('r.seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, citizenId: r.citizenId === null ? null : Number(r.citizenId) }));
}
