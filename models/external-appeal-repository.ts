import { sql } from 'kysely';
import { type Actor, encodeActor } from './actor.js';
import type { Executor, Tx } from './database.js';

/** Appeals from other systems (ПОС, ИМ): their key → case, their sync state, their authors and answers. */

/** The channel of every message and case that came from another system. */
export const IMPORT_CHANNEL = 'import';

export type AppealKey = { source: string; externalId: string };

/**
 * Serialises everything done for one appeal key until the transaction ends: two deliveries of the
 * same new appeal at once (a push and an import) must not both open a case.
 */
export async function lockAppealKey(tx: Tx, key: AppealKey): Promise<void> {
  // Two int4 keys: the source's hash and the id's (a hash collision only serialises two appeals).
  await sql`select pg_advisory_xact_lock(hashtext(${key.source}), hashtext(${key.externalId}))`.execute(tx);
}

export type ExternalAppealRow = AppealState & { case_id: number; case_number: string; case_status: string };

/** The appeal with its case's number and status, the case row locked (call under lockAppealKey). */
export async function findAppeal(tx: Tx, key: AppealKey): Promise<ExternalAppealRow | undefined> {
  return tx
    .selectFrom('external_appeal')
    .innerJoin('case', 'case.id', 'external_appeal.case_id')
    .selectAll('external_appeal')
    .select(['case.number as case_number', 'case.status as case_status'])
    .where('external_appeal.source', '=', key.source)
    .where('external_appeal.external_id', '=', key.externalId)
    .forUpdate('case')
    .executeTakeFirst() as Promise<ExternalAppealRow | undefined>;
}

/** The source row of a system (channel `import`, kind `external_system`), created on first use. */
export async function importSourceId(tx: Tx, system: { name: string; title: string }, at: Date): Promise<number> {
  const row = await tx
    .insertInto('source')
    .values({
      channel: IMPORT_CHANNEL,
      external_id: system.name,
      kind: 'external_system',
      title: system.title,
      official: false,
      status: 'active',
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['channel', 'external_id']).doUpdateSet({ title: system.title }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The appeal's author as a citizen of channel `import`, one per appeal: the source systems give no
 * stable id of a person, and merging people by a name or a phone would be a guess.
 */
export async function insertAppealAuthor(
  tx: Tx,
  a: { key: AppealKey; name: string | null; phone: string | null; email: string | null },
  at: Date,
): Promise<number> {
  const row = await tx
    .insertInto('citizen')
    .values({
      channel: IMPORT_CHANNEL,
      external_id: `${a.key.source}:${a.key.externalId}`,
      display_name: a.name,
      phone: a.phone,
      email: a.email,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .columns(['channel', 'external_id'])
        .doUpdateSet({ display_name: a.name, phone: a.phone, email: a.email, updated_at: at }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The appeal's text as a message of channel `import`, already decided (its case is opened in the same transaction). */
export async function insertAppealMessage(
  tx: Tx,
  m: {
    key: AppealKey;
    sourceId: number;
    citizenId: number | null;
    text: string;
    geo: { lat: number; lon: number } | null;
    receivedAt: Date;
    raw: Record<string, unknown>;
  },
  at: Date,
): Promise<number> {
  const row = await tx
    .insertInto('message')
    .values({
      channel: IMPORT_CHANNEL,
      source_id: m.sourceId,
      external_id: m.key.externalId,
      kind: 'appeal',
      platform_ids: JSON.stringify({ source: m.key.source, external_id: m.key.externalId }),
      citizen_id: m.citizenId,
      text: m.text,
      attachments: '[]',
      geo_lat: m.geo?.lat ?? null,
      geo_lon: m.geo?.lon ?? null,
      permalink: null,
      thread: null,
      platform_at: m.receivedAt,
      received_at: at,
      raw: JSON.stringify(m.raw),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** What the source last said about an appeal (see migration 0024). */
export interface AppealState {
  source_category: string | null;
  source_department: string | null;
  source_status: string | null;
  applied_status: string | null;
  answer_text: string | null;
  answered_at: Date | null;
  closed_at: Date | null;
  rating: number | null;
}

export async function insertExternalAppeal(
  tx: Tx,
  a: AppealKey & { caseId: number; messageId: number; receivedAt: Date; state: AppealState },
  at: Date,
): Promise<void> {
  await tx
    .insertInto('external_appeal')
    .values({
      source: a.source,
      external_id: a.externalId,
      case_id: a.caseId,
      message_id: a.messageId,
      received_at: a.receivedAt,
      ...a.state,
      created_at: at,
      updated_at: at,
    })
    .execute();
}

export async function updateExternalAppeal(tx: Tx, key: AppealKey, state: Partial<AppealState>, at: Date): Promise<void> {
  await tx
    .updateTable('external_appeal')
    .set({ ...state, updated_at: at })
    .where('source', '=', key.source)
    .where('external_id', '=', key.externalId)
    .execute();
}

/**
 * An answer the source system gave (and delivered itself): recorded as a final answer at its own
 * time, so the response-time and completeness figures count it, never sent to anyone.
 */
export async function recordSourceAnswer(
  tx: Tx,
  a: { caseId: number; text: string; author: Actor; quality: Record<string, unknown> },
  at: Date,
): Promise<number> {
  const row = await tx
    .insertInto('answer')
    .values({
      case_id: a.caseId,
      kind: 'final',
      text: a.text,
      author: encodeActor(a.author),
      quality: JSON.stringify(a.quality),
      state: 'recorded',
      photos: '[]',
      created_at: at,
      delivered_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The citizen's rating given in the source system, kept like a poll's answer (one poll per case). */
export async function recordSourceRating(db: Executor, caseId: number, rating: number, at: Date): Promise<void> {
  await db
    .insertInto('poll')
    .values({ case_id: caseId, state: 'answered', rating, answered_at: at, created_at: at })
    .onConflict((oc) => oc.column('case_id').doUpdateSet({ state: 'answered', rating, answered_at: at }))
    .execute();
}

/** Moves a case one step of its lifecycle (the caller checked the move and holds the case's lock). */
export async function stepCaseStatus(tx: Tx, caseId: number, to: string, at: Date): Promise<void> {
  await tx
    .updateTable('case')
    .set({ status: to, updated_at: at, ...(to === 'triage' ? {} : { triage_reason: null }) })
    .where('id', '=', caseId)
    .execute();
}
