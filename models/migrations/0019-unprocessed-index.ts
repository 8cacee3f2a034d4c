import { type Kysely, sql } from 'kysely';

/** Messages whose case is not decided yet: the sweep that backs up inline deciding reads them by this index. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index message_unprocessed_idx on message (id) where processed_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists message_unprocessed_idx`.execute(db);
}
