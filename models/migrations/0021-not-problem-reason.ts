import type { Kysely } from 'kysely';

/** Why a message opened no case (`thanks_only`, `advert: link+price`, …), for the operators who check. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('message').addColumn('not_problem_reason', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('message').dropColumn('not_problem_reason').execute();
}
