import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { Author, Channel, IncomingMessage } from './intake.js';

/**
 * Set-based versions of the intake writes, for micro-batches: one statement per table for the whole
 * batch instead of one per message. Callers dedupe keys inside the batch first (an ON CONFLICT DO
 * UPDATE cannot touch the same row twice in one statement).
 */

export async function claimInboundEvents(db: Executor, events: { channel: Channel; eventId: string }[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const rows = await db
    .insertInto('inbound_event')
    .values(events.map((e) => ({ channel: e.channel, event_id: e.eventId })))
    .onConflict((oc) => oc.doNothing())
    .returning(['channel', 'event_id'])
    .execute();
  return new Set(rows.map((r) => `${r.channel}\u0000${r.event_id}`));
}

export async function upsertSources(
  db: Executor,
  sources: { channel: Channel; source: IncomingMessage['source']; initialStatus: 'active' | 'pending' }[],
): Promise<Map<string, { id: number; status: 'active' | 'pending' | 'rejected' }>> {
  const result = new Map<string, { id: number; status: 'active' | 'pending' | 'rejected' }>();
  if (sources.length === 0) return result;
  await db
    .insertInto('source')
    .values(
      sources.map((s) => ({
        channel: s.channel,
        external_id: s.source.externalId,
        kind: s.source.kind,
        title: s.source.title ?? null,
        official: s.source.official,
        status: s.initialStatus,
      })),
    )
    .onConflict((oc) => oc.columns(['channel', 'external_id']).doNothing())
    .execute();
  const rows = await db
    .selectFrom('source')
    .select(['id', 'status', 'channel', 'external_id'])
    .where((eb) =>
      eb.or(sources.map((s) => eb.and([eb('channel', '=', s.channel), eb('external_id', '=', s.source.externalId)]))),
    )
    .execute();
  for (const r of rows) result.set(`${r.channel}\u0000${r.external_id}`, { id: r.id, status: r.status });
  return result;
}

export async function findCitizens(
  db: Executor,
  keys: { channel: Channel; externalId: string }[],
): Promise<Map<string, { id: number; consent: 'unknown' | 'given' | 'declined'; force_new_case: boolean }>> {
  const result = new Map<string, { id: number; consent: 'unknown' | 'given' | 'declined'; force_new_case: boolean }>();
  if (keys.length === 0) return result;
  const rows = await db
    .selectFrom('citizen')
    .select(['id', 'consent', 'force_new_case', 'channel', 'external_id'])
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('channel', '=', k.channel), eb('external_id', '=', k.externalId)]))))
    .execute();
  for (const r of rows) result.set(`${r.channel}\u0000${r.external_id}`, r);
  return result;
}

export async function upsertCitizens(
  db: Executor,
  authors: { channel: Channel; author: Author }[],
  now: Date,
): Promise<Map<string, { id: number; force_new_case: boolean }>> {
  const result = new Map<string, { id: number; force_new_case: boolean }>();
  if (authors.length === 0) return result;
  const rows = await db
    .insertInto('citizen')
    .values(
      authors.map((a) => ({
        channel: a.channel,
        external_id: a.author.externalId,
        display_name: a.author.displayName ?? null,
        username: a.author.username ?? null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['channel', 'external_id']).doUpdateSet({
        display_name: sql`coalesce(excluded.display_name, citizen.display_name)`,
        username: sql`coalesce(excluded.username, citizen.username)`,
        updated_at: now,
      }),
    )
    .returning(['id', 'force_new_case', 'channel', 'external_id'])
    .execute();
  for (const r of rows) result.set(`${r.channel}\u0000${r.external_id}`, { id: r.id, force_new_case: r.force_new_case });
  return result;
}

export interface MessageInsert {
  input: IncomingMessage;
  sourceId: number;
  citizenId: number | null;
  newCase: boolean;
}

/** Inserts new messages; returns the ids of those actually inserted, keyed by `channel/source/external id`. */
export async function insertMessages(db: Executor, items: MessageInsert[], receivedAt: Date): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  if (items.length === 0) return result;
  const rows = await db
    .insertInto('message')
    .values(
      items.map(({ input, sourceId, citizenId, newCase }) => ({
        channel: input.channel,
        source_id: sourceId,
        external_id: input.externalId,
        kind: input.kind,
        platform_ids: JSON.stringify(input.platformIds),
        citizen_id: citizenId,
        text: input.text,
        attachments: JSON.stringify(input.attachments),
        geo_lat: input.geo?.lat ?? null,
        geo_lon: input.geo?.lon ?? null,
        permalink: input.permalink,
        thread: input.thread ? JSON.stringify(input.thread) : null,
        new_case: newCase,
        platform_at: input.platformAt,
        received_at: receivedAt,
        raw: JSON.stringify(input.raw ?? null),
        processed_at: input.opensCase ? null : receivedAt,
      })),
    )
    .onConflict((oc) => oc.columns(['channel', 'source_id', 'external_id']).doNothing())
    .returning(['id', 'channel', 'source_id', 'external_id'])
    .execute();
  for (const r of rows) result.set(`${r.channel}\u0000${r.source_id}\u0000${r.external_id}`, r.id);
  return result;
}

export async function clearForceNewCase(db: Executor, citizenIds: number[]): Promise<void> {
  if (citizenIds.length === 0) return;
  await db.updateTable('citizen').set({ force_new_case: false }).where('id', 'in', citizenIds).execute();
}
