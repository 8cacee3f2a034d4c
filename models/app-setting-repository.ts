import type { Executor } from './database.js';

/** Records `value` for `key` if none is recorded yet; returns the recorded value (the first writer's). */
export async function claimSetting(db: Executor, key: string, value: string, at: Date): Promise<string> {
  await db
    .insertInto('app_setting')
    .values({ key, value, created_at: at })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
