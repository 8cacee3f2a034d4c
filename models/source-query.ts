import type { Executor } from './database.js';
import type { SourceListItem } from './intake-repository.js';

/**
 * Sources (chats, communities, channels the bot was added to) a page at a time, for the console's
 * «Источники»: pending first is the operators' usual filter; keyset by id. `updatedAt` is the
 * version a decision form carries, so a source someone else decided meanwhile is not decided twice.
 */
export type SourcePageItem = SourceListItem & { updatedAt: Date };

export async function sourcePage(
  db: Executor,
  page: { limit: number; afterId?: number | undefined; status?: string | undefined; channel?: string | undefined },
): Promise<SourcePageItem[]> {
  let q = db
    .selectFrom('source')
    .select([
      'id',
      'channel',
      'external_id as externalId',
      'kind',
      'title',
      'official',
      'status',
      'created_at as createdAt',
      'updated_at as updatedAt',
    ]);
  if (page.status) q = q.where('status', '=', page.status as 'active');
  if (page.channel) q = q.where('channel', '=', page.channel);
  if (page.afterId !== undefined) q = q.where('id', '>', page.afterId);
  return q.orderBy('id').limit(page.limit).execute();
}

/** One source's state and version. */
export async function sourceState(
  db: Executor,
  id: number,
): Promise<{ status: string; official: boolean; updatedAt: Date } | undefined> {
  return db
    .selectFrom('source')
    .select(['status', 'official', 'updated_at as updatedAt'])
    .where('id', '=', id)
    .executeTakeFirst();
}
