import { type Kysely, sql } from 'kysely';

/**
 * Intake: citizens, sources, messages (with edit history), the inbound-event ledger that makes
 * re-deliveries no-ops, cases with human-readable numbers, and public-community watermarks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('citizen')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('username', 'text')
    .addColumn('consent', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('consent_at', 'timestamptz')
    .addColumn('force_new_case', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('citizen_channel_external_uq', ['channel', 'external_id'])
    .addCheckConstraint('citizen_consent_ck', sql`consent in ('unknown', 'given', 'declined')`)
    .execute();

  await db.schema
    .createTable('source')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('official', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('source_channel_external_uq', ['channel', 'external_id'])
    .addCheckConstraint('source_status_ck', sql`status in ('active', 'pending', 'rejected')`)
    .execute();

  await db.schema
    .createTable('case')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('source_id', 'bigint', (c) => c.notNull().references('source.id'))
    .addColumn('citizen_id', 'bigint', (c) => c.references('citizen.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('district', 'text')
    .addColumn('department', 'text')
    .addColumn('priority', 'text', (c) => c.notNull().defaultTo('normal'))
    .addColumn('triage_reason', 'text')
    .addColumn('deadline_at', 'timestamptz')
    .addColumn('last_message_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_status_idx').on('case').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('case_citizen_idx').on('case').columns(['citizen_id', 'last_message_at']).execute();

  await db.schema
    .createTable('case_counter')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('message')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('source_id', 'bigint', (c) => c.notNull().references('source.id'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('platform_ids', 'jsonb', (c) => c.notNull())
    .addColumn('citizen_id', 'bigint', (c) => c.references('citizen.id'))
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('attachments', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('geo_lat', 'double precision')
    .addColumn('geo_lon', 'double precision')
    .addColumn('permalink', 'text')
    .addColumn('thread', 'jsonb')
    .addColumn('new_case', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('platform_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('edited_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('raw', 'jsonb', (c) => c.notNull())
    .addColumn('case_id', 'bigint', (c) => c.references('case.id'))
    .addColumn('processed_at', 'timestamptz')
    .addUniqueConstraint('message_key_uq', ['channel', 'source_id', 'external_id'])
    .execute();
  await db.schema.createIndex('message_case_idx').on('message').column('case_id').execute();
  await db.schema.createIndex('message_received_idx').on('message').columns(['received_at', 'id']).execute();

  await db.schema
    .createTable('message_edit')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('message_id', 'bigint', (c) => c.notNull().references('message.id'))
    .addColumn('previous_text', 'text', (c) => c.notNull())
    .addColumn('new_text', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // One row per platform event (Telegram update_id, VK event_id): a re-delivery finds its row and stops.
  await db.schema
    .createTable('inbound_event')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('inbound_event_pk', ['channel', 'event_id'])
    .execute();

  await db.schema
    .createTable('community_watermark')
    .addColumn('owner_id', 'bigint', (c) => c.primaryKey())
    .addColumn('last_post_id', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('comment_marks', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('polled_at', 'timestamptz')
    .execute();

  // Where a channel's reading stopped (e.g. the VK long-poll ts), so a restart resumes there.
  await db.schema
    .createTable('channel_cursor')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await sql`create index message_text_search_idx on message using gin (to_tsvector('russian', text))`.execute(db);
  await sql`create index case_text_search_idx on "case" using gin (to_tsvector('russian', text))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'channel_cursor',
    'community_watermark',
    'inbound_event',
    'message_edit',
    'message',
    'case_counter',
    'case',
    'source',
    'citizen',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
