import { type Kysely, sql } from 'kysely';

/**
 * Officials and МЦУ staff may bind an account on each messenger (Telegram, MAX, …) instead of one
 * Telegram account: `official_account` holds them, `official.preferred_channel` says where notices go
 * first. Every bound Telegram account moves over as it is (a Telegram private chat's id is the user's
 * id), and Telegram becomes those people's preferred messenger; then `telegram_user_id` goes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('official_account')
    .addColumn('official_id', 'bigint', (c) => c.notNull().references('official.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('bound_at', 'timestamptz', (c) => c.notNull())
    // Set when a send got "blocked" (403): the account is skipped until it is bound again.
    .addColumn('blocked_at', 'timestamptz')
    // An account belongs to one person at a time (binding it elsewhere moves it).
    .addPrimaryKeyConstraint('official_account_pk', ['channel', 'user_id'])
    .execute();
  // One account per messenger and person (a new one on the same messenger replaces the old), and the
  // look-up of a person's accounts.
  await db.schema
    .createIndex('official_account_person_idx')
    .on('official_account')
    .columns(['official_id', 'channel'])
    .unique()
    .execute();
  await db.schema.alterTable('official').addColumn('preferred_channel', 'text').execute();
  await sql`
    insert into official_account (official_id, channel, user_id, chat_id, bound_at)
    select id, 'telegram', telegram_user_id, telegram_user_id, coalesce(bound_at, created_at)
    from official where telegram_user_id is not null`.execute(db);
  await sql`update official set preferred_channel = 'telegram' where telegram_user_id is not null`.execute(db);
  await db.schema.alterTable('official').dropColumn('telegram_user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('official')
    .addColumn('telegram_user_id', 'text', (c) => c.unique())
    .execute();
  await sql`
    update official o set telegram_user_id = a.user_id
    from official_account a where a.official_id = o.id and a.channel = 'telegram'`.execute(db);
  await db.schema.alterTable('official').dropColumn('preferred_channel').execute();
  await db.schema.dropTable('official_account').execute();
}
