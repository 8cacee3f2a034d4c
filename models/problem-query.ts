import type { Executor } from './database.js';

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
