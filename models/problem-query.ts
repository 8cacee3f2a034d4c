import type { Executor } from './database.js';
import type { AlertKind } from './schema.js';

export interface ProblemView {
  id: number;
  category: string;
  district: string;
  title: string;
  caseCount: number;
  status: string;
  firstAt: Date;
  lastAt: Date;
  spikeAlertedAt: Date | null;
}

/** The city's recurring problems, most active first. */
export async function listProblems(
  db: Executor,
  filters: { status?: string; category?: string; district?: string; limit: number },
): Promise<ProblemView[]> {
  let q = db
    .selectFrom('problem')
    .select([
      'id',
      'category',
      'district',
      'title',
      'case_count as caseCount',
      'status',
      'first_at as firstAt',
      'last_at as lastAt',
      'spike_alerted_at as spikeAlertedAt',
    ]);
  if (filters.status) q = q.where('status', '=', filters.status);
  if (filters.category) q = q.where('category', '=', filters.category);
  if (filters.district) q = q.where('district', '=', filters.district);
  return q.orderBy('last_at', 'desc').orderBy('case_count', 'desc').limit(filters.limit).execute();
}

export interface AlertView {
  id: number;
  kind: string;
  caseId: number | null;
  problemId: number | null;
  details: Record<string, unknown>;
  createdAt: Date;
  acknowledgedAt: Date | null;
}

export async function listAlerts(db: Executor, filters: { open?: boolean; limit: number }): Promise<AlertView[]> {
  let q = db
    .selectFrom('alert')
    .select([
      'id',
      'kind',
      'case_id as caseId',
      'problem_id as problemId',
      'details',
      'created_at as createdAt',
      'acknowledged_at as acknowledgedAt',
    ]);
  if (filters.open) q = q.where('acknowledged_at', 'is', null);
  return q.orderBy('id', 'desc').limit(filters.limit).execute();
}

export async function acknowledgeAlert(db: Executor, id: number, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('alert')
    .set({ acknowledged_at: at })
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export interface AlertDetails {
  id: number;
  kind: AlertKind;
  caseId: number | null;
  details: Record<string, unknown>;
  case: {
    number: string;
    text: string;
    category: string | null;
    district: string | null;
    department: string | null;
    urgencyRule: string | null;
  } | null;
  problem: { title: string; caseCount: number; category: string; district: string } | null;
}

/** An alert with what an operator needs to act on it: the case or the problem behind it. */
export async function alertDetails(db: Executor, id: number): Promise<AlertDetails | undefined> {
  const row = await db
    .selectFrom('alert')
    .leftJoin('case', 'case.id', 'alert.case_id')
    .leftJoin('problem', 'problem.id', 'alert.problem_id')
    .select([
      'alert.id',
      'alert.kind',
      'alert.case_id',
      'alert.details',
      'case.number as case_number',
      'case.text as case_text',
      'case.category as case_category',
      'case.district as case_district',
      'case.department as case_department',
      'case.urgency_rule as case_urgency_rule',
      'problem.title as problem_title',
      'problem.case_count as problem_count',
      'problem.category as problem_category',
      'problem.district as problem_district',
    ])
    .where('alert.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    kind: row.kind,
    caseId: row.case_id,
    details: row.details,
    case: row.case_number
      ? {
          number: row.case_number,
          text: row.case_text ?? '',
          category: row.case_category ?? null,
          district: row.case_district ?? null,
          department: row.case_department ?? null,
          urgencyRule: row.case_urgency_rule ?? null,
        }
      : null,
    problem: row.problem_title
      ? {
          title: row.problem_title,
          caseCount: row.problem_count ?? 0,
          category: row.problem_category ?? '',
          district: row.problem_district ?? '',
        }
      : null,
  };
}
