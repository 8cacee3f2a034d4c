import { type Kysely, sql } from 'kysely';

/**
 * Targeted broadcasts (regulation 2.2.3): docs/architecture/broadcasts.md.
 *
 * - `subscription`: one row per citizen who subscribed — where broadcasts go (the private chat on the
 *   messenger they subscribed in), which districts and topics (empty = the whole city / every topic);
 *   `active` false after /unsubscribe, «Отписаться» or a blocked chat. `citizen.broadcasts_opted_out_at`:
 *   «Отписаться» under a broadcast also stops broadcasts about their own cases.
 * - `subscription_event`: what each citizen agreed to, when and where — never updated, only appended.
 * - `broadcast`: one message to a segment, its approval and lifecycle; `lease_*` lets one sender at a
 *   time work it (a crashed sender's lease runs out and another takes over).
 * - `broadcast_recipient`: the audience frozen when it starts, one row per chat, stamped one by one:
 *   pending → sending → sent | blocked | failed | skipped. Rows left `sending` by a crash are the sends
 *   in flight: they are sent again (the only way a recipient can get it twice).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('citizen').addColumn('broadcasts_opted_out_at', 'timestamptz').execute();

  await db.schema
    .createTable('subscription')
    .addColumn('citizen_id', 'bigint', (c) => c.primaryKey().references('citizen.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('districts', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('topics', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index subscription_active on subscription (channel) where active`.execute(db);

  await db.schema
    .createTable('subscription_event')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('citizen_id', 'bigint', (c) => c.notNull().references('citizen.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) =>
      c.notNull().check(sql`action in ('subscribe', 'change', 'unsubscribe', 'opt_out', 'blocked')`),
    )
    .addColumn('districts', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('topics', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('broadcast_id', 'bigint')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('subscription_event_citizen').on('subscription_event').columns(['citizen_id', 'id']).execute();

  await db.schema
    .createTable('broadcast')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('photo_url', 'text')
    .addColumn('allow_split', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('segment', 'jsonb', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull().check(sql`priority in ('normal', 'emergency')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`status in ('draft', 'scheduled', 'running', 'paused', 'done', 'cancelled')`),
    )
    .addColumn('author_id', 'bigint', (c) => c.references('official.id'))
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('approved_by_id', 'bigint', (c) => c.references('official.id'))
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'timestamptz')
    .addColumn('scheduled_at', 'timestamptz')
    .addColumn('recipients_total', 'integer')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('progress_message', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('summary_sent_at', 'timestamptz')
    .execute();
  await sql`create index broadcast_active on broadcast (status) where status in ('scheduled', 'running')`.execute(db);

  await db.schema
    .createTable('broadcast_recipient')
    .addColumn('broadcast_id', 'bigint', (c) => c.notNull().references('broadcast.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('citizen_id', 'bigint')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sending', 'sent', 'blocked', 'failed', 'skipped')`),
    )
    .addColumn('reason', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('available_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('message_id', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addPrimaryKeyConstraint('broadcast_recipient_pk', ['broadcast_id', 'seq'])
    .addUniqueConstraint('broadcast_recipient_chat', ['broadcast_id', 'channel', 'chat_id'])
    .execute();
  await sql`create index broadcast_recipient_todo on broadcast_recipient (broadcast_id, channel, seq)
    where status in ('pending', 'sending')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('broadcast_recipient').execute();
  await db.schema.dropTable('broadcast').execute();
  await db.schema.dropTable('subscription_event').execute();
  await db.schema.dropTable('subscription').execute();
  await db.schema.alterTable('citizen').dropColumn('broadcasts_opted_out_at').execute();
}
