import { type Kysely, sql } from 'kysely';

/**
 * A private message the rules call a problem but that may be thanks or chatter (the intent model
 * leans to not-a-problem, or no rule decides) waits here for the citizen's answer to «Это обращение?»
 * or the timeout, whichever comes first; the timeout and a further message from the citizen make it
 * a case. `state` moves from pending exactly once, under a row lock.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('intent_question')
    .addColumn('message_id', 'bigint', (c) => c.primaryKey().references('message.id'))
    .addColumn('citizen_id', 'bigint', (c) => c.notNull().references('citizen.id'))
    // What the message would be if the citizen says it is not an appeal: thanks | spam.
    .addColumn('lean', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    // the citizen's actor | timeout | next_message
    .addColumn('decided_by', 'text')
    .addColumn('result_case_id', 'bigint', (c) => c.references('case.id'))
    .addColumn('asked_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addCheckConstraint('intent_question_state_ck', sql`state in ('pending', 'appeal', 'not_appeal', 'dropped')`)
    .addCheckConstraint('intent_question_lean_ck', sql`lean in ('thanks', 'spam')`)
    .execute();
  await sql`create index intent_question_pending_idx on intent_question (citizen_id, asked_at) where state = 'pending'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('intent_question').execute();
}
