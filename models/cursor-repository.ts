import type { Executor } from './database.js';

export async function loadCursor(db: Executor, name: string): Promise<string | null> {
  const row = await db.selectFrom('channel_cursor').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value ?? null;
}

export async function saveCursor(db: Executor, name: string, value: string, at: Date): Promise<void> {
  await db
    .insertInto('channel_cursor')
    .values({ name, value, updated_at: at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: at }))
    .execute();
}
