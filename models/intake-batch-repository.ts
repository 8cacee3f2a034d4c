import { type RawBuilder, sql } from 'kysely';
import type { Executor } from './database.js';
import type { Channel, IncomingMessage } from './intake.js';

/**
 * Intake writes for a message or a micro-batch: at most two statements — one that claims the events
 * and reads what the decisions need (`resolveIntake`), one that writes citizens and messages
 * (`storeIntake`) — or only the second when nothing needs to be read first.
 *
 * PostgreSQL parses and plans each of them per transaction (the pg driver does not prepare), which
 * costs more than executing them for a single message: so each statement carries only the parts a
 * batch needs, and a single row is written with scalar parameters instead of the set-based form.
 */

const key = (...parts: (string | number)[]) => parts.join('\u0000');

// ---------------------------------------------------------------------------------------------
// Active sources, cached in process
// ---------------------------------------------------------------------------------------------

/**
 * How long a source known to be 'active' is trusted without asking the database. Only 'active' is
 * ever cached (pending and rejected sources are read every time); setSourceStatus forgets everything
 * at once, so the TTL only bounds staleness after a change made by another process (or a change
 * whose transaction commits while an intake in flight re-reads the old status).
 */
const ACTIVE_SOURCE_TTL_MS = 3_000;

/** One cache per database handle: tests and tools run several databases in one process. */
let activeSources = new WeakMap<object, Map<string, { id: number; until: number }>>();
let generation = 0;

/** Forgets every cached source (called when an operator changes a source's status). */
export function forgetActiveSources(): void {
  activeSources = new WeakMap();
  generation++;
}

/** Taken before reading statuses: `rememberActiveSources` ignores what was read before a forget. */
export function activeSourceGeneration(): number {
  return generation;
}

export function cachedActiveSource(db: object, channel: Channel, externalId: string): number | undefined {
  const entry = activeSources.get(db)?.get(key(channel, externalId));
  if (!entry) return undefined;
  if (entry.until > Date.now()) return entry.id;
  activeSources.get(db)?.delete(key(channel, externalId));
  return undefined;
}

/** Call only after the transaction that read (or created) these sources committed. */
export function rememberActiveSources(
  db: object,
  sources: { channel: Channel; externalId: string; id: number }[],
  readAtGeneration: number,
): void {
  if (sources.length === 0 || readAtGeneration !== generation) return;
  let map = activeSources.get(db);
  if (!map) {
    map = new Map();
    activeSources.set(db, map);
  }
  const until = Date.now() + ACTIVE_SOURCE_TTL_MS;
  for (const s of sources) map.set(key(s.channel, s.externalId), { id: s.id, until });
}

// ---------------------------------------------------------------------------------------------
// Statement 1: claim events, find or create sources, read consent
// ---------------------------------------------------------------------------------------------

export interface SourceRef {
  id: number;
  status: 'active' | 'pending' | 'rejected';
}

export interface CitizenConsent {
  id: number;
  consent: 'unknown' | 'given' | 'declined';
  force_new_case: boolean;
}

export interface ResolveRequest {
  /** Events to claim in the ledger; each key at most once. */
  events: { channel: Channel; eventId: string }[];
  /**
   * Sources to find or create, one per message: created only when the message's event was claimed
   * by this statement (or it has none), with the values of the last such message.
   */
  sources: {
    channel: Channel;
    eventId: string | null;
    source: IncomingMessage['source'];
    initialStatus: 'active' | 'pending';
  }[];
  /** Citizens whose consent decides a private message. */
  citizens: { channel: Channel; externalId: string }[];
}

export interface Resolved {
  /** `channel\0eventId` of the events claimed now. */
  claimed: Set<string>;
  /** By `channel\0externalId`; a source created concurrently by another transaction may be missing. */
  sources: Map<string, SourceRef>;
  /** By `channel\0externalId`; absent when the citizen is unknown. */
  citizens: Map<string, CitizenConsent>;
}

export async function resolveIntake(db: Executor, request: ResolveRequest): Promise<Resolved> {
  const result: Resolved = { claimed: new Set(), sources: new Map(), citizens: new Map() };
  const { events, sources, citizens } = request;
  if (events.length === 0 && sources.length === 0 && citizens.length === 0) return result;
  // Only the parts the batch needs, with scalar parameters: PostgreSQL parses and plans this for
  // every transaction, and a smaller statement is markedly cheaper than a general one.
  const ctes: RawBuilder<unknown>[] = [];
  // Each part names its columns: whichever comes first names the union's.
  const selects: RawBuilder<unknown>[] = [];
  const sourceColumns = sql`'source'::text as row_kind, channel, external_id, id, status, null::boolean as force_new_case`;
  if (events.length > 0) {
    ctes.push(sql`claimed as (
      insert into inbound_event (channel, event_id)
      values ${sql.join(events.map((e) => sql`(${e.channel}, ${e.eventId})`))}
      on conflict do nothing
      returning channel, event_id
    )`);
    selects.push(sql`select 'event'::text as row_kind, channel, event_id as external_id, null::bigint as id,
      null::text as status, null::boolean as force_new_case from claimed`);
  }
  const one = sources.length === 1 ? sources[0] : undefined;
  if (one) {
    // The usual case (one message): no row set to build, no duplicates to choose from.
    ctes.push(sql`created as (
      insert into source (channel, external_id, kind, title, official, status)
      select ${one.channel}::text, ${one.source.externalId}::text, ${one.source.kind}::text, ${one.source.title ?? null}::text,
             ${one.source.official}::boolean, ${one.initialStatus}::text
      ${one.eventId === null ? sql`` : sql`where exists (select 1 from claimed where channel = ${one.channel} and event_id = ${one.eventId})`}
      on conflict (channel, external_id) do nothing
      returning id, channel, external_id, status
    )`);
    selects.push(
      sql`select ${sourceColumns} from created`,
      sql`select ${sourceColumns} from source where channel = ${one.channel} and external_id = ${one.source.externalId}`,
    );
  } else if (sources.length > 1) {
    const rows = sources.map(
      (s, i) =>
        sql`(${i}::int, ${s.channel}::text, ${s.eventId}::text, ${s.source.externalId}::text, ${s.source.kind}::text,
             ${s.source.title ?? null}::text, ${s.source.official}::boolean, ${s.initialStatus}::text)`,
    );
    ctes.push(sql`wanted (ord, channel, event_id, external_id, kind, title, official, status) as (
      values ${sql.join(rows)}
    )`);
    ctes.push(sql`created as (
      insert into source (channel, external_id, kind, title, official, status)
      select distinct on (w.channel, w.external_id) w.channel, w.external_id, w.kind, w.title, w.official, w.status
        from wanted w
       where w.event_id is null
         ${events.length > 0 ? sql`or exists (select 1 from claimed c where c.channel = w.channel and c.event_id = w.event_id)` : sql``}
       order by w.channel, w.external_id, w.ord desc
      on conflict (channel, external_id) do nothing
      returning id, channel, external_id, status
    )`);
    selects.push(
      sql`select ${sourceColumns} from created`,
      sql`select ${sourceColumns} from source where (channel, external_id) in (select channel, external_id from wanted)`,
    );
  }
  if (citizens.length > 0) {
    selects.push(sql`select 'citizen'::text as row_kind, channel, external_id, id, consent as status, force_new_case
      from citizen
     where (channel, external_id) in (${sql.join(citizens.map((c) => sql`(${c.channel}::text, ${c.externalId}::text)`))})`);
  }
  const { rows } = await sql<{
    row_kind: 'event' | 'source' | 'citizen';
    channel: Channel;
    external_id: string;
    id: number | null;
    status: string | null;
    force_new_case: boolean | null;
  }>`${ctes.length > 0 ? sql`with ${sql.join(ctes)}` : sql``} ${sql.join(selects, sql` union all `)}`.execute(db);
  for (const r of rows) {
    const k = key(r.channel, r.external_id);
    if (r.row_kind === 'event') result.claimed.add(k);
    else if (r.row_kind === 'source') result.sources.set(k, { id: Number(r.id), status: r.status as SourceRef['status'] });
    else if (r.row_kind === 'citizen') {
      result.citizens.set(k, {
        id: Number(r.id),
        consent: r.status as CitizenConsent['consent'],
        force_new_case: r.force_new_case === true,
      });
    }
  }
  return result;
}

/**
 * Finds or creates sources in two statements: the fallback for a source another transaction
 * created after `resolveIntake`'s snapshot was taken (its insert then does nothing and its read
 * cannot see the row yet).
 */
export async function upsertSources(
  db: Executor,
  sources: { channel: Channel; source: IncomingMessage['source']; initialStatus: 'active' | 'pending' }[],
): Promise<Map<string, SourceRef>> {
  const result = new Map<string, SourceRef>();
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
  for (const r of rows) result.set(key(r.channel, r.external_id), { id: r.id, status: r.status });
  return result;
}

// ---------------------------------------------------------------------------------------------
// Statement 2: (claim events,) upsert citizens, insert messages
// ---------------------------------------------------------------------------------------------

export interface StoreRow {
  input: IncomingMessage;
  /** Claimed by this statement: when the event was claimed before, the row goes on, otherwise it stops here. */
  claimEvent: boolean;
  sourceId: number;
  /** Upsert the author (the row is past every gate that needs no claim). */
  upsertCitizen: boolean;
  /** Insert the message (the first live candidate of each message key is inserted). */
  candidate: boolean;
}

export interface StoreResult {
  /** False when the row's event was a re-delivery (only for rows with `claimEvent`). */
  live: boolean;
  /** The first live candidate with its message key (the others are in-batch duplicates). */
  picked: boolean;
  /** Set when the message was inserted (undefined: it already existed). */
  messageId: number | undefined;
  /** The citizen's «Новое обращение» was consumed by this message. */
  newCase: boolean;
  citizenId: number | null;
}

/**
 * One statement for the writes of a batch, in row order:
 * 1. claims the events of rows with `claimEvent` (a row whose event was already there stops);
 * 2. upserts the authors of live rows with `upsertCitizen` (the last row's name wins);
 * 3. inserts, for each message key, the first live candidate, linked to its citizen; the first
 *    private message of a citizen with `force_new_case` becomes `new_case` (the caller clears
 *    the flag with `clearForceNewCase`); an existing message is left alone.
 */
export async function storeIntake(db: Executor, rows: StoreRow[], receivedAt: Date): Promise<StoreResult[]> {
  if (rows.length === 0) return [];
  if (rows.length === 1) return [await storeOne(db, rows[0] as StoreRow, receivedAt)];
  const col = <T>(f: (row: StoreRow) => T) => rows.map(f);
  const { rows: out } = await sql<{
    ord: number;
    live: boolean;
    picked: boolean;
    new_case: boolean | null;
    citizen_id: number | null;
    message_id: number | null;
  }>`
    with i as (
      select * from unnest(
        ${rows.map((_, n) => n)}::int[],
        ${col((r) => r.input.channel)}::text[],
        ${col((r) => (r.claimEvent ? r.input.eventId : null))}::text[],
        ${col((r) => r.input.author?.externalId ?? null)}::text[],
        ${col((r) => r.input.author?.displayName ?? null)}::text[],
        ${col((r) => r.input.author?.username ?? null)}::text[],
        ${col((r) => r.upsertCitizen && r.input.author !== null)}::boolean[],
        ${col((r) => r.candidate)}::boolean[],
        ${col((r) => r.sourceId)}::bigint[],
        ${col((r) => r.input.externalId)}::text[],
        ${col((r) => r.input.kind)}::text[],
        ${col((r) => JSON.stringify(r.input.platformIds))}::jsonb[],
        ${col((r) => r.input.text)}::text[],
        ${col((r) => JSON.stringify(r.input.attachments))}::jsonb[],
        ${col((r) => r.input.geo?.lat ?? null)}::float8[],
        ${col((r) => r.input.geo?.lon ?? null)}::float8[],
        ${col((r) => r.input.permalink)}::text[],
        ${col((r) => (r.input.thread ? JSON.stringify(r.input.thread) : null))}::jsonb[],
        ${col((r) => r.input.platformAt)}::timestamptz[],
        ${col((r) => JSON.stringify(r.input.raw ?? null))}::jsonb[],
        ${col((r) => r.input.opensCase)}::boolean[]
      ) as x(ord, channel, event_id, author_id, author_name, author_username, upsert_citizen, candidate, source_id,
             external_id, kind, platform_ids, text, attachments, geo_lat, geo_lon, permalink, thread, platform_at, raw,
             opens_case)
    ),
    claimed as (
      insert into inbound_event (channel, event_id)
      select channel, event_id from i where event_id is not null
      on conflict do nothing
      returning channel, event_id
    ),
    live as (
      select i.* from i
       where i.event_id is null
          or exists (select 1 from claimed c where c.channel = i.channel and c.event_id = i.event_id)
    ),
    cit as (
      insert into citizen (channel, external_id, display_name, username)
      select distinct on (channel, author_id) channel, author_id, author_name, author_username
        from live
       where upsert_citizen
       order by channel, author_id, ord desc
      on conflict (channel, external_id) do update set
        display_name = coalesce(excluded.display_name, citizen.display_name),
        username = coalesce(excluded.username, citizen.username),
        updated_at = ${receivedAt}
      returning id, channel, external_id, force_new_case
    ),
    cand as (
      select distinct on (l.channel, l.source_id, l.external_id) l.*, c.id as citizen_id, c.force_new_case
        from live l
        left join cit c on l.upsert_citizen and c.channel = l.channel and c.external_id = l.author_id
       where l.candidate
       order by l.channel, l.source_id, l.external_id, l.ord
    ),
    pick as (
      select cand.*,
             coalesce(kind = 'private' and citizen_id is not null and force_new_case
               and row_number() over (partition by citizen_id, kind = 'private' order by ord) = 1, false) as new_case
        from cand
    ),
    ins as (
      insert into message (channel, source_id, external_id, kind, platform_ids, citizen_id, text, attachments, geo_lat,
                           geo_lon, permalink, thread, new_case, platform_at, received_at, raw, processed_at)
      select channel, source_id, external_id, kind, platform_ids, citizen_id, text, attachments, geo_lat, geo_lon,
             permalink, thread, new_case, platform_at, ${receivedAt}, raw,
             case when opens_case then null else ${receivedAt}::timestamptz end
        from pick
       -- A source rejected since it was cached as active (in another process, say) takes nothing more.
       where exists (select 1 from source s where s.id = pick.source_id and s.status = 'active')
       order by ord
      on conflict (channel, source_id, external_id) do nothing
      returning id, channel, source_id, external_id
    )
    select i.ord, l.ord is not null as live, p.ord is not null as picked, p.new_case, p.citizen_id, m.id as message_id
      from i
      left join live l on l.ord = i.ord
      left join pick p on p.ord = i.ord
      left join ins m on m.channel = p.channel and m.source_id = p.source_id and m.external_id = p.external_id
  `.execute(db);
  const results: StoreResult[] = rows.map(() => ({
    live: false,
    picked: false,
    messageId: undefined,
    newCase: false,
    citizenId: null,
  }));
  for (const r of out) {
    results[r.ord] = {
      live: r.live,
      picked: r.picked,
      messageId: r.message_id === null ? undefined : Number(r.message_id),
      // «Новое обращение» is used up only by a message actually stored.
      newCase: r.new_case === true && r.message_id !== null,
      citizenId: r.citizen_id === null ? null : Number(r.citizen_id),
    };
  }
  return results;
}

/**
 * `storeIntake` for one row (a message acknowledged on its own): the same writes with scalar
 * parameters and only the parts the row needs — several times cheaper for PostgreSQL to parse and
 * plan than the set-based statement, which matters when every message is its own transaction.
 */
async function storeOne(db: Executor, row: StoreRow, receivedAt: Date): Promise<StoreResult> {
  const { input } = row;
  const claim = row.claimEvent && input.eventId !== null;
  const author = row.upsertCitizen ? input.author : null;
  if (!claim && !author && !row.candidate)
    return { live: true, picked: false, messageId: undefined, newCase: false, citizenId: null };
  const ctes: RawBuilder<unknown>[] = [];
  // Without a claim the row is live: the inserts select from no table at all.
  const gate = claim ? sql`from claimed` : sql``;
  if (claim) {
    ctes.push(sql`claimed as (
      insert into inbound_event (channel, event_id) values (${input.channel}, ${input.eventId})
      on conflict do nothing
      returning 1 as one
    )`);
  }
  if (author) {
    ctes.push(sql`cit as (
      insert into citizen (channel, external_id, display_name, username)
      select ${input.channel}::text, ${author.externalId}::text, ${author.displayName ?? null}::text, ${author.username ?? null}::text
      ${gate}
      on conflict (channel, external_id) do update set
        display_name = coalesce(excluded.display_name, citizen.display_name),
        username = coalesce(excluded.username, citizen.username),
        updated_at = ${receivedAt}
      returning id, force_new_case
    )`);
  }
  if (row.candidate) {
    ctes.push(sql`ins as (
      insert into message (channel, source_id, external_id, kind, platform_ids, citizen_id, text, attachments, geo_lat,
                           geo_lon, permalink, thread, new_case, platform_at, received_at, raw, processed_at)
      select ${input.channel}::text, ${row.sourceId}::bigint, ${input.externalId}::text, ${input.kind}::text,
             ${JSON.stringify(input.platformIds)}::jsonb, ${author ? sql`cit.id` : sql`null::bigint`}, ${input.text}::text,
             ${JSON.stringify(input.attachments)}::jsonb, ${input.geo?.lat ?? null}::float8, ${input.geo?.lon ?? null}::float8,
             ${input.permalink}::text, ${input.thread ? JSON.stringify(input.thread) : null}::jsonb,
             ${author && input.kind === 'private' ? sql`cit.force_new_case` : sql`false`},
             ${input.platformAt}::timestamptz, ${receivedAt}::timestamptz, ${JSON.stringify(input.raw ?? null)}::jsonb,
             ${input.opensCase ? null : receivedAt}::timestamptz
      ${author ? sql`from cit` : gate}
      -- The source may have been rejected since it was cached as active (in another process, say).
      where exists (select 1 from source s where s.id = ${row.sourceId} and s.status = 'active')
      on conflict (channel, source_id, external_id) do nothing
      returning id
    )`);
  }
  const { rows: out } = await sql<{
    live: boolean;
    citizen_id: number | null;
    force_new_case: boolean | null;
    message_id: number | null;
  }>`
    with ${sql.join(ctes)}
    select ${claim ? sql`exists (select 1 from claimed)` : sql`true`} as live,
           ${author ? sql`(select id from cit)` : sql`null::bigint`} as citizen_id,
           ${author ? sql`(select force_new_case from cit)` : sql`null::boolean`} as force_new_case,
           ${row.candidate ? sql`(select id from ins)` : sql`null::bigint`} as message_id
  `.execute(db);
  const r = out[0];
  const live = r?.live === true;
  return {
    live,
    picked: live && row.candidate,
    messageId: r?.message_id == null ? undefined : Number(r.message_id),
    newCase: live && row.candidate && input.kind === 'private' && r?.force_new_case === true && r?.message_id != null,
    citizenId: r?.citizen_id == null ? null : Number(r.citizen_id),
  };
}

export async function clearForceNewCase(db: Executor, citizenIds: number[]): Promise<void> {
  if (citizenIds.length === 0) return;
  await db.updateTable('citizen').set({ force_new_case: false }).where('id', 'in', citizenIds).execute();
}
