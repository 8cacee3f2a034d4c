import { type Kysely, sql } from 'kysely';

/**
 * The inbox: every inbound platform event, committed raw before the platform is acknowledged, and
 * the unit of work of the workers that decide on it. Dead letters learn which inbox event they
 * came from, the error that parked it, and when an operator replayed it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inbox_event')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    // Events of one lane (a chat, a wall thread) are decided one after another, in arrival order.
    .addColumn('lane', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // Not before this time: the lease of the worker that holds it, or the backoff after a failure.
    .addColumn('available_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('done_at', 'timestamptz')
    .addUniqueConstraint('inbox_event_uq', ['channel', 'event_id'])
    .addCheckConstraint('inbox_event_status_ck', sql`status in ('pending', 'done', 'parked')`)
    .execute();
  await sql`create index inbox_event_due_idx on inbox_event (id) where status = 'pending'`.execute(db);
  await sql`create index inbox_event_lane_idx on inbox_event (channel, lane, id) where status = 'pending'`.execute(db);
  await db.schema.createIndex('inbox_event_received_idx').on('inbox_event').column('received_at').execute();

  await db.schema
    .alterTable('dead_letter')
    .addColumn('inbox_id', 'bigint', (c) => c.references('inbox_event.id').onDelete('set null'))
    .addColumn('error', 'text')
    .addColumn('replayed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('dead_letter_created_idx').on('dead_letter').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('dead_letter_created_idx').execute();
  await db.schema.alterTable('dead_letter').dropColumn('inbox_id').dropColumn('error').dropColumn('replayed_at').execute();
  await db.schema.dropTable('inbox_event').execute();
}
