import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { AlertKind } from './schema.js';

export interface CaseStructure {
  status: string;
  category: string | null;
  categoryAuto: string | null;
  categoryConfidence: number | null;
  categoryRule: string | null;
  modelVersion: string | null;
  suggestions: { label: string; confidence: number }[] | null;
  district: string | null;
  districtReason: string;
  priority: 'urgent' | 'normal';
  urgencyRule: string | null;
  department: string;
  routingRule: string;
  triageReason: string | null;
}

export async function saveCaseStructure(db: Executor, caseId: number, s: CaseStructure, at: Date): Promise<void> {
  await db
    .updateTable('case')
    .set({
      status: s.status,
      category: s.category,
      category_auto: s.categoryAuto,
      category_confidence: s.categoryConfidence,
      category_rule: s.categoryRule,
      model_version: s.modelVersion,
      suggestions: s.suggestions ? JSON.stringify(s.suggestions) : null,
      district: s.district,
      district_reason: s.districtReason,
      priority: s.priority,
      urgency_rule: s.urgencyRule,
      department: s.department,
      routing_rule: s.routingRule,
      triage_reason: s.triageReason,
      updated_at: at,
    })
    .where('id', '=', caseId)
    .execute();
}

/** Recent cases of one category in one district (duplicate candidates), newest first. */
export async function recentCasesAt(
  db: Executor,
  place: { category: string; district: string },
  since: Date,
  excludeId: number,
): Promise<{ id: number; text: string; problem_id: number | null }[]> {
  return db
    .selectFrom('case')
    .select(['id', 'text', 'problem_id'])
    .where('category', '=', place.category)
    .where('district', '=', place.district)
    .where('created_at', '>=', since)
    .where('id', '!=', excludeId)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
}

export async function createProblem(
  db: Executor,
  p: { category: string; district: string; title: string },
  at: Date,
): Promise<number> {
  const row = await db
    .insertInto('problem')
    .values({ category: p.category, district: p.district, title: p.title, first_at: at, last_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Links cases to a problem and refreshes its counter from the truth (the cases themselves). */
export async function linkCasesToProblem(db: Executor, problemId: number, caseIds: number[], at: Date): Promise<number> {
  await db
    .updateTable('case')
    .set({ problem_id: problemId })
    .where('id', 'in', caseIds)
    .where('problem_id', 'is', null)
    .execute();
  const row = await db
    .updateTable('problem')
    .set({
      case_count: sql<number>`(select count(*)::int from "case" where problem_id = ${problemId})`,
      last_at: at,
    })
    .where('id', '=', problemId)
    .returning('case_count')
    .executeTakeFirstOrThrow();
  return row.case_count;
}

export async function countCasesAt(db: Executor, place: { category: string; district: string }, since: Date): Promise<number> {
  const row = await db
    .selectFrom('case')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('category', '=', place.category)
    .where('district', '=', place.district)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function caseIdsAt(db: Executor, place: { category: string; district: string }, since: Date): Promise<number[]> {
  const rows = await db
    .selectFrom('case')
    .select('id')
    .where('category', '=', place.category)
    .where('district', '=', place.district)
    .where('created_at', '>=', since)
    .execute();
  return rows.map((r) => r.id);
}

/** Marks the problem's spike as alerted unless it already was since `since`; true when this call marked it. */
export async function claimSpikeAlert(db: Executor, problemId: number, since: Date, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('problem')
    .set({ spike_alerted_at: at })
    .where('id', '=', problemId)
    .where((eb) => eb.or([eb('spike_alerted_at', 'is', null), eb('spike_alerted_at', '<', since)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertAlert(
  db: Executor,
  a: { kind: AlertKind; caseId: number | null; problemId: number | null; details: Record<string, unknown> },
  at: Date,
): Promise<number> {
  const row = await db
    .insertInto('alert')
    .values({ kind: a.kind, case_id: a.caseId, problem_id: a.problemId, details: JSON.stringify(a.details), created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertFeedback(
  db: Executor,
  f: { kind: 'thanks'; department: string | null; caseId: number | null; messageId: number },
  at: Date,
): Promise<void> {
  await db
    .insertInto('feedback')
    .values({ kind: f.kind, department: f.department, case_id: f.caseId, message_id: f.messageId, created_at: at })
    .execute();
}

/** The citizen's latest case in this source since `since` (open or answered): thanks are for it. */
export async function latestCaseOf(
  db: Executor,
  citizenId: number,
  sourceId: number,
  since: Date,
): Promise<{ id: number; department: string | null } | undefined> {
  return db
    .selectFrom('case')
    .select(['id', 'department'])
    .where('citizen_id', '=', citizenId)
    .where('source_id', '=', sourceId)
    .where('last_message_at', '>=', since)
    .orderBy('last_message_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function setCaseDeadlines(
  db: Executor,
  caseId: number,
  d: { regime: string; firstResponseAt: Date; finalResponseAt: Date; latestFinalResponseAt: Date | null; provisional: boolean },
): Promise<void> {
  await db
    .updateTable('case')
    .set({
      regime: d.regime,
      first_response_due_at: d.firstResponseAt,
      deadline_at: d.finalResponseAt,
      latest_deadline_at: d.latestFinalResponseAt,
      deadline_provisional: d.provisional,
    })
    .where('id', '=', caseId)
    .execute();
}
