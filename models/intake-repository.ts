import { sql } from 'kysely';
import type { Executor } from './database.js';
import { deleteInSlices } from './delete-in-slices.js';
import type { Author, Channel, IncomingMessage } from './intake.js';
import { forgetActiveSources } from './intake-batch-repository.js';

// ---------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------

export interface SourceRow {
  id: number;
  status: 'active' | 'pending' | 'rejected';
}

/**
 * Finds or creates a source. Private chats and configured official pages are active at once;
 * a group the bot was added to waits for an operator (`initialStatus: 'pending'`).
 */
export async function upsertSource(
  db: Executor,
  channel: Channel,
  source: IncomingMessage['source'],
  initialStatus: 'active' | 'pending' = 'active',
): Promise<SourceRow> {
  const inserted = await db
    .insertInto('source')
    .values({
      channel,
      external_id: source.externalId,
      kind: source.kind,
      title: source.title ?? null,
      official: source.official,
      status: initialStatus,
    })
    .onConflict((oc) => oc.columns(['channel', 'external_id']).doNothing())
    .returning(['id', 'status'])
    .executeTakeFirst();
  if (inserted) return inserted;
  return db
    .selectFrom('source')
    .select(['id', 'status'])
    .where('channel', '=', channel)
    .where('external_id', '=', source.externalId)
    .executeTakeFirstOrThrow();
}

export interface SourceListItem {
  id: number;
  channel: string;
  externalId: string;
  kind: string;
  title: string | null;
  official: boolean;
  status: string;
  createdAt: Date;
}

export async function listSources(db: Executor, status?: string): Promise<SourceListItem[]> {
  let q = db
    .selectFrom('source')
    .select(['id', 'channel', 'external_id as externalId', 'kind', 'title', 'official', 'status', 'created_at as createdAt'])
    .orderBy('id');
  if (status) q = q.where('status', '=', status as 'active');
  return q.execute();
}

export async function setSourceStatus(
  db: Executor,
  id: number,
  status: 'active' | 'rejected',
  official: boolean | undefined,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('source')
    .set({ status, updated_at: now, ...(official === undefined ? {} : { official }) })
    .where('id', '=', id)
    .executeTakeFirst();
  // Intake caches active sources in process; a rejected one must stop being captured now.
  forgetActiveSources();
  return result.numUpdatedRows > 0n;
}

// ---------------------------------------------------------------------------------------------
// Citizens
// ---------------------------------------------------------------------------------------------

export interface CitizenRow {
  id: number;
  consent: 'unknown' | 'given' | 'declined';
  force_new_case: boolean;
}

export async function findCitizen(db: Executor, channel: Channel, externalId: string): Promise<CitizenRow | undefined> {
  return db
    .selectFrom('citizen')
    .select(['id', 'consent', 'force_new_case'])
    .where('channel', '=', channel)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/**
 * Records a consent decision. Declining keeps only the platform id and the decision (needed to
 * honour it) and erases the profile.
 */
export async function setConsent(
  db: Executor,
  channel: Channel,
  author: Author,
  consent: 'given' | 'declined',
  now: Date,
): Promise<void> {
  const profile =
    consent === 'given'
      ? { display_name: author.displayName ?? null, username: author.username ?? null }
      : { display_name: null, username: null };
  const citizen = await db
    .insertInto('citizen')
    .values({ channel, external_id: author.externalId, consent, consent_at: now, ...profile })
    .onConflict((oc) =>
      oc.columns(['channel', 'external_id']).doUpdateSet({ consent, consent_at: now, updated_at: now, ...profile }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  // Without the consent a subscription (a chat id and preferences: personal data) cannot stand: it ends,
  // recorded as any other ending (docs/architecture/broadcasts.md).
  if (consent === 'declined') {
    await sql`
      with ended as (
        update subscription set active = false, updated_at = ${now}
         where citizen_id = ${citizen.id} and active
        returning citizen_id, channel, districts, topics
      )
      insert into subscription_event (citizen_id, channel, action, districts, topics, via, at)
      select citizen_id, channel, 'unsubscribe', districts, topics, 'consent', ${now} from ended`.execute(db);
  }
}

export async function setForceNewCase(db: Executor, citizenId: number, value: boolean): Promise<void> {
  await db.updateTable('citizen').set({ force_new_case: value }).where('id', '=', citizenId).execute();
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/** Applies an edit and keeps the previous text in message_edit; undefined when the message is unknown. */
export async function applyEdit(
  db: Executor,
  key: { channel: Channel; sourceId: number; externalId: string },
  newText: string,
  editedAt: Date,
): Promise<number | undefined> {
  const current = await db
    .selectFrom('message')
    .select(['id', 'text'])
    .where('channel', '=', key.channel)
    .where('source_id', '=', key.sourceId)
    .where('external_id', '=', key.externalId)
    .forUpdate()
    .executeTakeFirst();
  if (!current) return undefined;
  if (current.text !== newText) {
    await db
      .insertInto('message_edit')
      .values({ message_id: current.id, previous_text: current.text, new_text: newText, edited_at: editedAt })
      .execute();
    await db.updateTable('message').set({ text: newText, edited_at: editedAt }).where('id', '=', current.id).execute();
  }
  return current.id;
}

export async function markDeleted(
  db: Executor,
  key: { channel: Channel; sourceId: number; externalId: string },
  deletedAt: Date,
): Promise<number | undefined> {
  const row = await db
    .updateTable('message')
    .set({ deleted_at: deletedAt })
    .where('channel', '=', key.channel)
    .where('source_id', '=', key.sourceId)
    .where('external_id', '=', key.externalId)
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

// ---------------------------------------------------------------------------------------------
// Thread context: the post a comment is under
// ---------------------------------------------------------------------------------------------

/** The text of a post stored from the same source (the community's own posts are kept as context). */
export async function storedPostText(db: Executor, sourceId: number, externalId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('message')
    .select('text')
    .where('source_id', '=', sourceId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row?.text;
}

/** Adds the post's snippet to a message's thread context. */
export async function setThreadSnippet(db: Executor, messageId: number, snippet: string): Promise<void> {
  await db
    .updateTable('message')
    .set({ thread: sql`coalesce(thread, '{}'::jsonb) || jsonb_build_object('snippet', ${snippet}::text)` })
    .where('id', '=', messageId)
    .execute();
}

/** What fetching a post's snippet needs: the message's VK ids and its thread. */
export async function messageThreadIds(db: Executor, messageId: number) {
  return db
    .selectFrom('message')
    .select(['id', 'channel', 'platform_ids', 'thread'])
    .where('id', '=', messageId)
    .executeTakeFirst();
}

/**
 * Deletes ledger rows received before `before`, in slices (no long lock on a busy table); returns
 * how many. A platform re-delivers only for hours (Telegram keeps updates 24 h), so old rows guard nothing.
 */
export async function pruneInboundEvents(db: Executor, before: Date, slice = 10_000): Promise<number> {
  return deleteInSlices(slice, () =>
    sql`
      delete from inbound_event where ctid in (
        select ctid from inbound_event where received_at < ${before} limit ${slice})`.execute(db),
  );
}
