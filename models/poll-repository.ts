import type { Executor } from './database.js';
import type { PollTable } from './schema.js';

export async function createPoll(db: Executor, caseId: number, state: 'scheduled' | 'unreachable', at: Date): Promise<void> {
  await db
    .insertInto('poll')
    .values({ case_id: caseId, state, created_at: at })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .execute();
}

export async function pollOf(db: Executor, caseId: number) {
  return db.selectFrom('poll').selectAll().where('case_id', '=', caseId).forUpdate().executeTakeFirst();
}

export async function updatePoll(
  db: Executor,
  caseId: number,
  set: Partial<Pick<PollTable, 'state' | 'solved' | 'rating'>> & { asked_at?: Date; reminded_at?: Date; answered_at?: Date },
): Promise<void> {
  await db.updateTable('poll').set(set).where('case_id', '=', caseId).execute();
}

/** The case's first private message: where a poll can be asked (null when the citizen wrote in public). */
export async function privateOrigin(db: Executor, caseId: number) {
  return db
    .selectFrom('message')
    .innerJoin('case', 'case.id', 'message.case_id')
    .select(['message.channel', 'message.kind', 'message.platform_ids', 'case.number', 'case.status', 'case.citizen_id'])
    .where('message.case_id', '=', caseId)
    .orderBy('message.id')
    .limit(1)
    .executeTakeFirst();
}
