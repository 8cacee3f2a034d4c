import type { Executor } from './database.js';
import { encodeReminderKind, type ReminderKind } from './reminder-kind.js';

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

/** The Telegram account of an active, bound person (an assignee), if any. */
export async function recipientById(db: Executor, officialId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('official')
    .select('telegram_user_id')
    .where('id', '=', officialId)
    .where('active', '=', true)
    .where('telegram_user_id', 'is not', null)
    .executeTakeFirst();
  return row?.telegram_user_id ?? undefined;
}

/** Telegram accounts of active people: of a department (by roles), or of a role anywhere. */
export async function recipients(db: Executor, filter: { department?: string; roles: readonly string[] }): Promise<string[]> {
  let q = db
    .selectFrom('official')
    .select('telegram_user_id')
    .where('active', '=', true)
    .where('telegram_user_id', 'is not', null)
    .where('role', 'in', filter.roles);
  if (filter.department) q = q.where('department', '=', filter.department);
  const rows = await q.execute();
  return rows.map((r) => r.telegram_user_id as string);
}
