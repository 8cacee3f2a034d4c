import type { Executor } from './database.js';
import { encodeReminderKind, type ReminderKind } from './reminder-kind.js';
import { reachable } from './staff-account-repository.js';

export async function insertReminders(
  db: Executor,
  caseId: number,
  items: readonly { kind: ReminderKind; dueAt: Date }[],
): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('reminder')
    .values(items.map((i) => ({ case_id: caseId, kind: encodeReminderKind(i.kind), due_at: i.dueAt })))
    .onConflict((oc) => oc.columns(['case_id', 'kind']).doNothing())
    .execute();
}

/** The reminder with its case, locked: of two workers running the same reminder, one waits and then sees it sent. */
export async function lockReminder(db: Executor, caseId: number, kind: ReminderKind) {
  return db
    .selectFrom('reminder')
    .innerJoin('case', 'case.id', 'reminder.case_id')
    .select([
      'reminder.sent_at',
      'reminder.due_at',
      'case.paused_at',
      'case.assignee_id',
      'case.status',
      'case.priority',
      'case.department',
      'case.number',
    ])
    .where('reminder.case_id', '=', caseId)
    .where('reminder.kind', '=', encodeReminderKind(kind))
    .forUpdate('reminder')
    .executeTakeFirst();
}

export async function markReminder(db: Executor, caseId: number, kind: ReminderKind, outcome: string, at: Date): Promise<void> {
  await db
    .updateTable('reminder')
    .set({ sent_at: at, outcome })
    .where('case_id', '=', caseId)
    .where('kind', '=', encodeReminderKind(kind))
    .execute();
}

/** An assignee, by id, if a notice can reach them. */
export async function recipientById(db: Executor, officialId: number): Promise<number | undefined> {
  const row = await db.selectFrom('official').select('id').where('id', '=', officialId).where(reachable).executeTakeFirst();
  return row?.id;
}

/** People a notice can reach: of a department (by roles), or of a role anywhere. */
export async function recipients(db: Executor, filter: { department?: string; roles: readonly string[] }): Promise<number[]> {
  let q = db.selectFrom('official').select('id').where('role', 'in', filter.roles).where(reachable);
  if (filter.department) q = q.where('department', '=', filter.department);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => r.id);
}
