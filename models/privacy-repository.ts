import { sql } from 'kysely';
import type { Executor, Tx } from './database.js';

/**
 * The SQL of anonymisation (docs/operations/personal-data.md): which citizens and cases are past
 * retention, a citizen's messages by index, page comments, and the cases closed by /forget. The texts
 * are loaded and written back in models/privacy-texts.ts, the platform ids removed in models/privacy-scrub.ts.
 */

/** Case statuses after which nothing more is done for the citizen (an answered case waits only for a poll). */
export const FINISHED_STATUSES = ['answered', 'closed'] as const;

/** What an anonymised row's platform id becomes: unique (constraints hold), naming nobody. */
export const ANONYMISED = 'anonymised';

export interface CitizenToAnonymise {
  id: number;
  channel: string;
  external_id: string;
}

/**
 * Citizens whose every case finished, and who wrote nothing and changed nothing (consent, profile:
 * `updated_at`, which every message moves), before `cutoff`; none with an active subscription (they
 * still want the broadcasts: /forget or /unsubscribe ends that). Lowest ids first.
 */
export async function retentionCandidates(db: Executor, cutoff: Date, limit: number): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    select c.id from citizen c
     where c.anonymised_at is null and c.updated_at < ${cutoff} and c.created_at < ${cutoff}
       and not exists (select 1 from "case" k where k.citizen_id = c.id
                         and (k.status not in ('answered', 'closed') or k.updated_at >= ${cutoff}))
       and not exists (select 1 from subscription s where s.citizen_id = c.id and s.active)
     order by c.id
     limit ${limit}`.execute(db);
  return rows.rows.map((r) => r.id);
}

/**
 * The citizens of `ids` not anonymised yet, locked for the transaction (another run skips them). With
 * `stillExpiredAt` (retention), the candidates' conditions are checked again under the lock: a citizen who
 * wrote or got a case between the choice and the lock is left alone.
 */
export async function lockCitizens(tx: Tx, ids: readonly number[], stillExpiredAt?: Date): Promise<CitizenToAnonymise[]> {
  if (ids.length === 0) return [];
  const expired =
    stillExpiredAt === undefined
      ? sql``
      : sql`and c.updated_at < ${stillExpiredAt}
       and not exists (select 1 from "case" k where k.citizen_id = c.id
                         and (k.status not in ('answered', 'closed') or k.updated_at >= ${stillExpiredAt}))
       and not exists (select 1 from subscription s where s.citizen_id = c.id and s.active)`;
  const rows = await sql<CitizenToAnonymise>`
    select c.id, c.channel, c.external_id from citizen c
     where c.id = any(${[...ids]}::bigint[]) and c.anonymised_at is null ${expired}
     order by c.id
       for update skip locked`.execute(tx);
  return rows.rows;
}

/**
 * A citizen's messages, as a subquery of whole `message` rows: the private ones by `message_citizen_private`
 * (0030), the others by `message_citizen_other` (0037). Two halves because a partial index serves only a
 * query that names its condition; a plain `citizen_id = any(…)` would read the whole table.
 */
export function citizenMessages(citizenIds: readonly number[]) {
  const ids = [...citizenIds];
  return sql`(select * from message where citizen_id = any(${ids}::bigint[]) and kind = 'private'
     union all
     select * from message where citizen_id = any(${ids}::bigint[]) and kind <> 'private' and citizen_id is not null)`;
}

/**
 * Finished cases (`answered`, `closed`) last changed before `cutoff` whose texts were not masked since,
 * whatever their citizen does now: locked for the transaction (another run skips them), lowest ids first.
 * `updated_at` stands for the close time, as for citizens: a later change only postpones the masking.
 */
export async function lockExpiredCases(tx: Tx, cutoff: Date, limit: number): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    select id from "case"
     where status in ('answered', 'closed') and updated_at < ${cutoff}
       and (texts_masked_at is null or texts_masked_at < updated_at)
     order by id
     limit ${limit}
       for update skip locked`.execute(tx);
  return rows.rows.map((r) => r.id);
}

/** Marks the cases' texts masked (`updated_at` stays: it is the close time statistics read). */
export async function markTextsMasked(tx: Tx, caseIds: readonly number[], at: Date): Promise<void> {
  if (caseIds.length === 0) return;
  await sql`update "case" set texts_masked_at = ${at} where id = any(${[...caseIds]}::bigint[])`.execute(tx);
}

/** Page comments older than `cutoff` whose author is not yet removed (any author: comments need no citizen row). */
export async function oldPageComments(
  db: Executor,
  cutoff: Date,
  limit: number,
): Promise<{ page_id: number; comment_id: string; text: string }[]> {
  const rows = await sql<{ page_id: number; comment_id: string; text: string }>`
    select page_id, comment_id, text from page_comment
     where created_at < ${cutoff} and author_id <> ${ANONYMISED}
     order by created_at limit ${limit}`.execute(db);
  return rows.rows;
}

/** The comments a person wrote under the pages of their messenger (/forget from someone with no citizen row). */
export async function pageCommentsBy(
  db: Executor,
  person: { channel: string; externalId: string },
): Promise<{ page_id: number; comment_id: string; text: string }[]> {
  const rows = await sql<{ page_id: number; comment_id: string; text: string }>`
    select pc.page_id, pc.comment_id, pc.text from page_comment pc join official_page p on p.id = pc.page_id
     where p.platform = ${person.channel} and pc.author_id = ${person.externalId}`.execute(db);
  return rows.rows;
}

/** The comments' authors removed and texts replaced by their masked form. */
export async function anonymisePageComments(
  tx: Tx,
  rows: readonly { page_id: number; comment_id: string; text: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`update page_comment pc set author_id = ${ANONYMISED}, text = v.text
      from unnest(${rows.map((r) => r.page_id)}::bigint[], ${rows.map((r) => r.comment_id)}::text[],
                  ${rows.map((r) => r.text)}::text[]) as v(page_id, comment_id, text)
     where pc.page_id = v.page_id and pc.comment_id = v.comment_id`.execute(tx);
}

/**
 * Closes the citizen's cases still being worked on (not answered or closed), bypassing the lifecycle
 * like a merge does: there is nobody to answer any more. Returns each with the status it left.
 */
export async function closeOpenCasesOf(
  tx: Tx,
  citizenId: number,
  at: Date,
): Promise<{ id: number; number: string; from: string; department: string | null; assignee_id: number | null }[]> {
  const rows = await sql<{ id: number; number: string; from: string; department: string | null; assignee_id: number | null }>`
    update "case" c set status = 'closed', paused_at = null, updated_at = ${at}
      from (select id, status from "case"
             where citizen_id = ${citizenId} and status not in ('answered', 'closed')
             order by id for update) o
     where c.id = o.id
    returning c.id, c.number, o.status as "from", c.department, c.assignee_id`.execute(tx);
  return rows.rows;
}

/** A citizen's id and when they were anonymised (null: not yet), or undefined when there is no such row. */
export async function citizenState(db: Executor, id: number): Promise<{ id: number; anonymised_at: Date | null } | undefined> {
  return db.selectFrom('citizen').select(['id', 'anonymised_at']).where('id', '=', id).executeTakeFirst();
}
