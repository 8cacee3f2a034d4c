import type { IncomingMessage } from '../../models/intake.js';
import { loadWatermark, saveWatermark } from '../../models/watermark-repository.js';
import type { IntakeDeps } from './deps.js';
import { receiveMessage } from './receive-message.js';

export interface WallItem {
  id: number;
  fromId: number;
  date: number;
  text: string;
  raw: unknown;
}

/** Reads a public community's wall; the VK adapter implements it with wall.get and batched wall.getComments. */
export interface CommunityReader {
  /** Posts newer than `afterId`, oldest first (pages until it reaches `afterId` or its page limit). */
  postsAfter(ownerId: number, afterId: number): Promise<WallItem[]>;
  /** For each post, comments newer than its mark, oldest first. */
  commentsAfter(ownerId: number, marks: Record<number, number>): Promise<Record<number, WallItem[]>>;
}

export interface PollReport {
  ownerId: number;
  posts: number;
  comments: number;
}

/**
 * Polls the configured public communities. Every item goes through the same exactly-once intake;
 * the watermark moves only after the items below it are stored, so a crash or restart re-reads
 * (and intake drops) rather than skips.
 */
export async function pollCommunities(
  deps: IntakeDeps & { reader: CommunityReader; communities: readonly { ownerId: number; name: string }[]; recentPosts: number },
): Promise<PollReport[]> {
  const reports: PollReport[] = [];
  for (const community of deps.communities) {
    const mark = await loadWatermark(deps.db, community.ownerId);
    const report: PollReport = { ownerId: community.ownerId, posts: 0, comments: 0 };
    const source = {
      externalId: String(community.ownerId),
      kind: 'public_community' as const,
      title: community.name,
      official: false,
    };

    const posts = await deps.reader.postsAfter(community.ownerId, mark.lastPostId);
    for (const post of posts) {
      const outcome = await receiveMessage(deps, toIncoming(source, community.ownerId, post, null));
      if (outcome.status === 'stored') report.posts++;
      mark.lastPostId = Math.max(mark.lastPostId, post.id);
      mark.commentMarks[String(post.id)] ??= 0;
    }

    // Only the latest posts are watched for comments: older threads go quiet and would cost requests.
    const watched = Object.keys(mark.commentMarks)
      .map(Number)
      .sort((a, b) => b - a)
      .slice(0, deps.recentPosts);
    const marks = Object.fromEntries(watched.map((id) => [id, mark.commentMarks[String(id)] ?? 0]));
    const comments = await deps.reader.commentsAfter(community.ownerId, marks);
    for (const [postId, items] of Object.entries(comments)) {
      for (const comment of items) {
        const outcome = await receiveMessage(deps, toIncoming(source, community.ownerId, comment, Number(postId)));
        if (outcome.status === 'stored') report.comments++;
        mark.commentMarks[postId] = Math.max(mark.commentMarks[postId] ?? 0, comment.id);
      }
    }
    mark.commentMarks = Object.fromEntries(watched.map((id) => [String(id), mark.commentMarks[String(id)] ?? 0]));
    await saveWatermark(deps.db, community.ownerId, mark, deps.clock.now());
    reports.push(report);
  }
  return reports;
}

function toIncoming(source: IncomingMessage['source'], ownerId: number, item: WallItem, postId: number | null): IncomingMessage {
  const isComment = postId !== null;
  return {
    channel: 'vk',
    eventId: null,
    source,
    externalId: isComment ? `wall:${ownerId}_${postId}:${item.id}` : `post:${ownerId}_${item.id}`,
    kind: isComment ? 'comment' : 'post',
    action: 'new',
    author: item.fromId > 0 ? { externalId: String(item.fromId) } : null,
    text: item.text,
    attachments: [],
    geo: null,
    permalink: isComment
      ? `https://vk.com/wall${ownerId}_${postId}?reply=${item.id}`
      : `https://vk.com/wall${ownerId}_${item.id}`,
    thread: isComment ? { postId: String(postId) } : null,
    platformIds: {
      owner_id: ownerId,
      ...(isComment ? { post_id: postId, comment_id: item.id } : { post_id: item.id }),
      from_id: item.fromId,
    },
    platformAt: new Date(item.date * 1000),
    raw: item.raw,
    // Posts by the community itself (fromId < 0) are the community's news, context for comments.
    opensCase: item.fromId > 0,
  };
}
