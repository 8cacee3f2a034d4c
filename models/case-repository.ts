import { sql } from 'kysely';
import type { Executor } from './database.js';

export type CaseStatus = 'new' | 'triage' | 'assigned' | 'in_progress' | 'interim_replied' | 'answered' | 'closed' | 'reopened';
/** The partial index case_open_deadline_idx (migration 0033) names these: a change here needs a migration. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['new', 'triage', 'assigned', 'in_progress', 'interim_replied', 'reopened'];

/** Human-readable case number, e.g. МЦУ-2026-000123; the counter restarts every year. */
export async function nextCaseNumber(db: Executor, year: number): Promise<string> {
  const row = await db
    .insertInto('case_counter')
    .values({ year, last: 1 })
    .onConflict((oc) => oc.column('year').doUpdateSet({ last: sql`case_counter.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return `МЦУ-${year}-${String(row.last).padStart(6, '0')}`;
}

export interface NewCase {
  number: string;
  status: CaseStatus;
  channel: string;
  sourceId: number;
  citizenId: number | null;
  text: string;
  triageReason: string | null;
  at: Date;
}

export async function insertCase(db: Executor, c: NewCase): Promise<number> {
  const row = await db
    .insertInto('case')
    .values({
      number: c.number,
      status: c.status,
      channel: c.channel,
      source_id: c.sourceId,
      citizen_id: c.citizenId,
      text: c.text,
      triage_reason: c.triageReason,
      last_message_at: c.at,
      created_at: c.at,
      updated_at: c.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** What a follow-up is compared with: the case's topic as structuring decided it, and its first text. */
export interface FollowUpCase {
  id: number;
  number: string;
  category: string | null;
  district: string | null;
  text: string;
}

/** The citizen's most recent open case in this source whose last message is newer than `since`. */
export async function findOpenCaseForFollowUp(
  db: Executor,
  citizenId: number,
  sourceId: number,
  since: Date,
): Promise<FollowUpCase | undefined> {
  return db
    .selectFrom('case')
    .select(['id', 'number', 'category', 'district', 'text'])
    .where('citizen_id', '=', citizenId)
    .where('source_id', '=', sourceId)
    .where('status', 'in', OPEN_STATUSES)
    .where('last_message_at', '>=', since)
    .orderBy('last_message_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** The texts of the messages already joined to a case, newest first (a follow-up may resemble any of them). */
export async function caseMessageTexts(db: Executor, caseId: number, limit = 20): Promise<string[]> {
  const rows = await db
    .selectFrom('message')
    .select('text')
    .where('case_id', '=', caseId)
    .where('text', '<>', '')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.text);
}

/** A case locked for joining a message to it, if it is still open. */
export async function lockOpenCase(db: Executor, caseId: number): Promise<{ id: number; number: string } | undefined> {
  return db
    .selectFrom('case')
    .select(['id', 'number'])
    .where('id', '=', caseId)
    .where('status', 'in', OPEN_STATUSES)
    .forUpdate()
    .executeTakeFirst();
}

export async function touchCase(db: Executor, caseId: number, at: Date): Promise<void> {
  await db.updateTable('case').set({ last_message_at: at, updated_at: at }).where('id', '=', caseId).execute();
}

export interface MessageForProcessing {
  id: number;
  channel: string;
  source_id: number;
  source_kind: string;
  citizen_id: number | null;
  external_id: string;
  kind: string;
  text: string;
  new_case: boolean;
  platform_ids: Record<string, string | number>;
  case_id: number | null;
  processed_at: Date | null;
  received_at: Date;
  deleted_at: Date | null;
  geo_lat: number | null;
  geo_lon: number | null;
  thread: Record<string, unknown> | null;
}

/** Loads a message and locks it, so two workers can never process the same message at once. */
export async function lockMessageForProcessing(db: Executor, messageId: number): Promise<MessageForProcessing | undefined> {
  return db
    .selectFrom('message')
    .innerJoin('source', 'source.id', 'message.source_id')
    .select([
      'message.id',
      'message.channel',
      'message.source_id',
      'source.kind as source_kind',
      'message.citizen_id',
      'message.external_id',
      'message.kind',
      'message.text',
      'message.new_case',
      'message.platform_ids',
      'message.case_id',
      'message.processed_at',
      'message.received_at',
      'message.deleted_at',
      'message.geo_lat',
      'message.geo_lon',
      'message.thread',
    ])
    .where('message.id', '=', messageId)
    .forUpdate('message')
    .executeTakeFirst();
}

/** A message that opened no case because it is not a problem, with the reason (done, like attached). */
export async function markNotAProblem(db: Executor, messageId: number, reason: string, at: Date): Promise<void> {
  await db
    .updateTable('message')
    .set({ case_id: null, processed_at: at, not_problem_reason: reason.slice(0, 200) })
    .where('id', '=', messageId)
    .execute();
}

export async function attachMessageToCase(db: Executor, messageId: number, caseId: number | null, at: Date): Promise<void> {
  await db.updateTable('message').set({ case_id: caseId, processed_at: at }).where('id', '=', messageId).execute();
}

export interface CitizenCaseSummary {
  number: string;
  status: string;
  text: string;
  createdAt: Date;
}

/** A citizen's recent cases, newest first, for /status. */
export async function listCitizenCases(db: Executor, citizenId: number, limit = 10): Promise<CitizenCaseSummary[]> {
  return db
    .selectFrom('case')
    .select(['number', 'status', 'text', 'created_at as createdAt'])
    .where('citizen_id', '=', citizenId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function setCaseStatus(
  db: Executor,
  caseId: number,
  status: CaseStatus,
  triageReason: string | null,
  at: Date,
): Promise<void> {
  await db.updateTable('case').set({ status, triage_reason: triageReason, updated_at: at }).where('id', '=', caseId).execute();
}

/** Moves a case from `from` to `to` only if it is still in `from` (a concurrent change wins, not overwritten). */
export async function moveCaseStatus(db: Executor, caseId: number, from: string, to: CaseStatus, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('case')
    .set({ status: to, updated_at: at, ...(to === 'triage' ? {} : { triage_reason: null }) })
    .where('id', '=', caseId)
    .where('status', '=', from)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function caseStatusOf(db: Executor, caseId: number): Promise<string | undefined> {
  const row = await db.selectFrom('case').select('status').where('id', '=', caseId).forUpdate().executeTakeFirst();
  return row?.status;
}

/**
 * A message (`m`) that waits for the citizen — the follow-up choice (or waiting with one) or «Это
 * обращение?»: the answer or its timeout decides it, never deciding it again as new.
 */
const waitsForCitizen = sql`(exists (select 1 from follow_up_choice f where f.message_id = m.id)
  or exists (select 1 from intent_question q where q.message_id = m.id))`;

/** True when the message waits for the citizen's answer (see waitsForCitizen). */
export async function waitsForCitizenAnswer(db: Executor, messageId: number): Promise<boolean> {
  const row = await sql<{ waits: boolean }>`
    select ${waitsForCitizen} as waits from message m where m.id = ${messageId}`.execute(db);
  return row.rows[0]?.waits === true;
}

/**
 * Messages stored before `before` whose case was never decided, oldest first; a message waiting for
 * the citizen's follow-up choice (or waiting with one) or answer to «Это обращение?» is not among them, nor one whose deciding
 * failed `maxFailures` times (it is parked).
 */
export async function unprocessedMessages(db: Executor, before: Date, limit: number, maxFailures: number): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    select m.id from message m
    where m.processed_at is null and m.received_at < ${before} and m.decide_failures < ${maxFailures}
      and not ${waitsForCitizen}
    order by m.id
    limit ${limit}`.execute(db);
  return rows.rows.map((r) => r.id);
}

/** The stored, still undecided message under this platform key (a re-delivered event finds its message). */
export async function undecidedMessageByKey(
  db: Executor,
  key: { channel: string; sourceExternalId: string; externalId: string },
): Promise<number | undefined> {
  const row = await sql<{ id: number }>`
    select m.id from message m join source s on s.id = m.source_id
    where m.channel = ${key.channel} and s.channel = ${key.channel} and s.external_id = ${key.sourceExternalId}
      and m.external_id = ${key.externalId} and m.processed_at is null
      and not ${waitsForCitizen}`.execute(db);
  return row.rows[0]?.id;
}

/** One more failed attempt to decide a message's case; returns the count. */
export async function countDecideFailure(db: Executor, messageId: number): Promise<number> {
  const row = await sql<{ n: number }>`
    update message set decide_failures = decide_failures + 1 where id = ${messageId} returning decide_failures as n`.execute(db);
  return row.rows[0]?.n ?? 0;
}

/** After an operator's replay: the sweep tries the message again. */
export async function resetDecideFailures(db: Executor, messageId: number): Promise<boolean> {
  const row = await sql`update message set decide_failures = 0 where id = ${messageId} and processed_at is null`.execute(db);
  return Number(row.numAffectedRows ?? 0n) > 0;
}

/**
 * Questions to a citizen still pending long after their timeout (its job gave up, e.g. during an
 * outage): the follow-up choices (not the messages waiting with one) or «Это обращение?». The sweep
 * decides them as the timeout would have; a parked message (maxFailures) is left to the operators.
 */
export async function overdueQuestions(
  db: Executor,
  question: 'follow_up_choice' | 'intent_question',
  o: { askedBefore: Date; limit: number; maxFailures: number },
): Promise<number[]> {
  const own = question === 'follow_up_choice' ? sql`and q.follows_message_id is null` : sql``;
  const rows = await sql<{ message_id: number }>`
    select q.message_id from ${sql.table(question)} q join message m on m.id = q.message_id
    where q.state = 'pending' ${own} and q.asked_at < ${o.askedBefore} and m.decide_failures < ${o.maxFailures}
    order by q.message_id
    limit ${o.limit}`.execute(db);
  return rows.rows.map((r) => r.message_id);
}
