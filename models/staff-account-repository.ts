import { type ExpressionBuilder, sql } from 'kysely';
import type { Executor } from './database.js';
import type { Channel } from './intake.js';
import type { Database } from './schema.js';
import type { BoundAccount, StaffAccount } from './staff-account.js';

/**
 * The messenger accounts of officials and МЦУ staff (`official_account`, migration 0023): binding,
 * the preferred messenger, where a notice may go, and accounts that blocked the bot. The person behind
 * an account is `findOfficialByAccount` in people-repository.ts.
 */

/**
 * Binds a messenger account to a person, who then gets notices there first: the messenger where
 * someone just opened their invite is where they mean to work (`setPreferredChannel` changes it).
 * The account is moved from whoever had it; the person's previous account on the same messenger is
 * replaced; a blocked account bound again is written to again.
 */
export async function bindAccount(
  db: Executor,
  officialId: number,
  account: StaffAccount & { chatId: string },
  at: Date,
): Promise<void> {
  const previous = await db
    .selectFrom('official_account')
    .select('official_id')
    .where('channel', '=', account.channel)
    .where('user_id', '=', account.userId)
    .executeTakeFirst();
  await db
    .deleteFrom('official_account')
    .where('official_id', '=', officialId)
    .where('channel', '=', account.channel)
    .where('user_id', '<>', account.userId)
    .execute();
  await db
    .insertInto('official_account')
    .values({
      official_id: officialId,
      channel: account.channel,
      user_id: account.userId,
      chat_id: account.chatId,
      bound_at: at,
    })
    .onConflict((oc) =>
      oc
        .columns(['channel', 'user_id'])
        .doUpdateSet({ official_id: officialId, chat_id: account.chatId, bound_at: at, blocked_at: null }),
    )
    .execute();
  await db
    .updateTable('official')
    .set({ preferred_channel: account.channel, bound_at: at })
    .where('id', '=', officialId)
    .execute();
  if (previous && previous.official_id !== officialId) await settlePreferredChannel(db, previous.official_id);
}

/** A person whose preferred messenger lost its account prefers the one bound last of the rest (or none). */
async function settlePreferredChannel(db: Executor, officialId: number): Promise<void> {
  await sql`
    update official o set preferred_channel = (
      select a.channel from official_account a where a.official_id = o.id order by a.bound_at desc, a.channel limit 1)
    where o.id = ${officialId}
      and not exists (select 1 from official_account a where a.official_id = o.id and a.channel = o.preferred_channel)`.execute(
    db,
  );
}

/** A filter on `official`: active, with an account a notice can still reach (bound, not blocked). */
export function reachable(eb: ExpressionBuilder<Database, 'official'>) {
  return eb.and([
    eb('official.active', '=', true),
    eb.exists(
      eb
        .selectFrom('official_account')
        .select('official_account.user_id')
        .whereRef('official_account.official_id', '=', 'official.id')
        .where('official_account.blocked_at', 'is', null),
    ),
  ]);
}

/** Makes a bound messenger the person's preferred one; false when the person has no account there. */
export async function setPreferredChannel(db: Executor, officialId: number, channel: Channel): Promise<boolean> {
  const r = await db
    .updateTable('official')
    .set({ preferred_channel: channel })
    .where('id', '=', officialId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('official_account')
          .select('official_account.user_id')
          .whereRef('official_account.official_id', '=', 'official.id')
          .where('official_account.channel', '=', channel),
      ),
    )
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Every account of a person, the preferred one first, then the most recently bound. */
export async function accountsOf(db: Executor, officialId: number): Promise<BoundAccount[]> {
  const rows = await db
    .selectFrom('official_account')
    .innerJoin('official', 'official.id', 'official_account.official_id')
    .select([
      'official_account.channel',
      'official_account.user_id as userId',
      'official_account.chat_id as chatId',
      'official_account.blocked_at as blockedAt',
      sql<boolean>`official_account.channel is not distinct from official.preferred_channel`.as('preferred'),
    ])
    .where('official_account.official_id', '=', officialId)
    .orderBy('preferred', 'desc')
    .orderBy('official_account.bound_at', 'desc')
    .orderBy('official_account.channel')
    .execute();
  return rows;
}

/** Where a notice to an active person may go, in the order to try: bound, not blocked, preferred first. */
export async function deliveryAccounts(db: Executor, officialId: number): Promise<BoundAccount[]> {
  const person = await db.selectFrom('official').select('active').where('id', '=', officialId).executeTakeFirst();
  if (!person?.active) return [];
  return (await accountsOf(db, officialId)).filter((a) => a.blockedAt === null);
}

/**
 * The bot is blocked on this account (a 403): it is not written to again until bound anew. Found by
 * the user id (from a delivery) or by the chat (an adapter that only knows the chat). True when it was
 * not marked yet.
 */
export async function markAccountBlocked(
  db: Executor,
  account: { channel: Channel } & ({ userId: string } | { chatId: string }),
  at: Date,
): Promise<boolean> {
  let q = db
    .updateTable('official_account')
    .set({ blocked_at: at })
    .where('channel', '=', account.channel)
    .where('blocked_at', 'is', null);
  q = 'userId' in account ? q.where('user_id', '=', account.userId) : q.where('chat_id', '=', account.chatId);
  const r = await q.executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/**
 * The person wrote from this account (or pressed, or started the bot): it can be written to again, so a
 * block recorded after a 403 or a stop is lifted. A no-op (no row changes) for every other account.
 */
export async function clearAccountBlocked(db: Executor, account: { channel: Channel; userId: string }): Promise<boolean> {
  const r = await db
    .updateTable('official_account')
    .set({ blocked_at: null })
    .where('channel', '=', account.channel)
    .where('user_id', '=', account.userId)
    .where('blocked_at', 'is not', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Every person's accounts, in the order they were bound (the officials' list). */
export async function accountsByPerson(
  db: Executor,
): Promise<Map<number, { channel: Channel; userId: string; boundAt: Date; blocked: boolean }[]>> {
  const rows = await db
    .selectFrom('official_account')
    .select(['official_id', 'channel', 'user_id', 'bound_at', 'blocked_at'])
    .orderBy('official_id')
    .orderBy('bound_at')
    .execute();
  const byPerson = new Map<number, { channel: Channel; userId: string; boundAt: Date; blocked: boolean }[]>();
  for (const a of rows) {
    const list = byPerson.get(a.official_id) ?? [];
    list.push({ channel: a.channel, userId: a.user_id, boundAt: a.bound_at, blocked: a.blocked_at !== null });
    byPerson.set(a.official_id, list);
  }
  return byPerson;
}
