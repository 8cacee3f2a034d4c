import type { Kysely } from 'kysely';

/**
 * An event being decided carries its lease in `locked_until`: a claim skips every lane with an event
 * leased, so one chat never has two decisions at once (also when a later event became visible before
 * an earlier one, or a parked event is replayed behind newer ones).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbox_event').addColumn('locked_until', 'timestamptz').execute();
  // Messages whose case decision keeps failing are counted, and parked after a few sweeps.
  await db.schema
    .alterTable('message')
    .addColumn('decide_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('message').dropColumn('decide_failures').execute();
  await db.schema.alterTable('inbox_event').dropColumn('locked_until').execute();
}
