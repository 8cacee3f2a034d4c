import { type Kysely, sql } from 'kysely';

/**
 * A private message that came within the follow-up window but is about something else than the
 * citizen's open case waits here for the citizen's answer («Дополнение к обращению …» / «Новое
 * обращение») or the timeout, whichever comes first. `state` moves from pending exactly once, under
 * a row lock: the button and the timeout job can never both act. A short message without a topic of
 * its own («вот фото») sent while one is pending waits with it (`follows_message_id`) and goes where
 * it goes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('follow_up_choice')
    .addColumn('message_id', 'bigint', (c) => c.primaryKey().references('message.id'))
    .addColumn('citizen_id', 'bigint', (c) => c.notNull().references('citizen.id'))
    // The open case the citizen is asked about.
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('case.id'))
    .addColumn('follows_message_id', 'bigint', (c) => c.references('follow_up_choice.message_id'))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    // citizen:<channel> | timeout | with (it waited with another message)
    .addColumn('decided_by', 'text')
    // The case the message ended in: the offered one, or the one opened for it.
    .addColumn('result_case_id', 'bigint', (c) => c.references('case.id'))
    .addColumn('asked_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addCheckConstraint('follow_up_choice_state_ck', sql`state in ('pending', 'addition', 'new', 'dropped')`)
    .execute();
  await sql`create index follow_up_choice_pending_idx on follow_up_choice (citizen_id, asked_at) where state = 'pending' and follows_message_id is null`.execute(
    db,
  );
  await sql`create index follow_up_choice_follows_idx on follow_up_choice (follows_message_id) where follows_message_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('follow_up_choice').execute();
}
