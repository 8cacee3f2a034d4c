import type { Executor } from './database.js';

export interface CommunityWatermark {
  lastPostId: number;
  /** Per post id: the highest comment id already stored. */
  commentMarks: Record<string, number>;
}

export async function loadWatermark(db: Executor, ownerId: number): Promise<CommunityWatermark> {
  const row = await db
    .selectFrom('community_watermark')
    .select(['last_post_id', 'comment_marks'])
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return { lastPostId: row?.last_post_id ?? 0, commentMarks: row?.comment_marks ?? {} };
}

export async function saveWatermark(db: Executor, ownerId: number, mark: CommunityWatermark, at: Date): Promise<void> {
  const values = { last_post_id: mark.lastPostId, comment_marks: JSON.stringify(mark.commentMarks), polled_at: at };
  await db
    .insertInto('community_watermark')
    .values({ owner_id: ownerId, ...values })
    .onConflict((oc) => oc.column('owner_id').doUpdateSet(values))
    .execute();
}
