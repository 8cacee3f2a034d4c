import { type Kysely, sql } from 'kysely';

/** The event ledger is pruned by age: an index on the receive time keeps that cheap. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists inbound_event_received_idx on inbound_event (received_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists inbound_event_received_idx`.execute(db);
}
