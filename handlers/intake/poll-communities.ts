import type { IncomingMessage, IntakeOutcome } from '../../models/intake.js';
import { loadWatermark, saveWatermark } from '../../models/watermark-repository.js';
import type { HandlerDeps } from '../deps.js';
import { acceptFrom } from '../inbox/accept.js';
import { makeStorable, rawOfUnstorable } from '../inbox/storable.js';

/** The inbox channel of items read from public communities' walls. */
export const WALL_CHANNEL = 'vk-wall';

/** A wall item as stored in the inbox: what `decideWallItem` needs to translate it. */
export interface WallEvent {
  ownerId: number;
  name: string;
  /** The post a comment is under; null for a post. */
  postId: number | null;
  item: WallItem;
}

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
  /** Items new to the inbox (a re-read after a crash counts nothing twice). */
  posts: number;
  comments: number;
}

/**
 * Polls the configured public communities. Every item is committed raw to the inbox (channel
 * `vk-wall`, its wall key as the event id) and decided there like any platform event; the
 * watermark moves only after the items below it are committed, so a crash or restart re-reads
 * (and the inbox drops) rather than skips.
 */
export async function pollCommunities(
  deps: Pick<HandlerDeps, 'db' | 'clock'> & {
    reader: CommunityReader;
    communities: readonly { ownerId: number; name: string }[];
    recentPosts: number;
    /** Wakes the local inbox worker after new items were committed. */
    wake?: () => void;
  },
): Promise<PollReport[]> {
  const reports: PollReport[] = [];
  const store = async (events: WallEvent[]) => {
    const outcomes = events.map((event) => {
      const storable = makeStorable(event);
      return storable.ok
        ? { ok: true as const, eventId: keyOf(event), lane: `wall:${event.ownerId}`, payload: storable.value }
        : { ok: false as const, reason: storable.reason, raw: rawOfUnstorable(event) };
    });
    const { stored } = await acceptFrom(deps, { channel: WALL_CHANNEL, source: WALL_CHANNEL, outcomes });
    if (stored > 0) deps.wake?.();
    return stored;
  };
  for (const community of deps.communities) {
    const mark = await loadWatermark(deps.db, community.ownerId);
    const report: PollReport = { ownerId: community.ownerId, posts: 0, comments: 0 };
    const base = { ownerId: community.ownerId, name: community.name };

    const posts = await deps.reader.postsAfter(community.ownerId, mark.lastPostId);
    report.posts = await store(posts.map((item) => ({ ...base, postId: null, item })));
    for (const post of posts) {
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
    const events = Object.entries(comments).flatMap(([postId, items]) =>
      items.map((item) => ({ ...base, postId: Number(postId), item })),
    );
    report.comments = await store(events);
    for (const { postId, item } of events) {
      mark.commentMarks[String(postId)] = Math.max(mark.commentMarks[String(postId)] ?? 0, item.id);
    }
    mark.commentMarks = Object.fromEntries(watched.map((id) => [String(id), mark.commentMarks[String(id)] ?? 0]));
    await saveWatermark(deps.db, community.ownerId, mark, deps.clock.now());
    reports.push(report);
  }
  return reports;
}

/** Decides a wall item from the inbox: the same exactly-once intake as every other message. */
export async function decideWallItem(
  deps: { receive: (input: IncomingMessage) => Promise<IntakeOutcome> },
  event: WallEvent,
): Promise<IntakeOutcome> {
  const source = { externalId: String(event.ownerId), kind: 'public_community' as const, title: event.name, official: false };
  return deps.receive(toIncoming(source, event.ownerId, event.item, event.postId));
}

function keyOf(event: WallEvent): string {
  return event.postId === null
    ? `post:${event.ownerId}_${event.item.id}`
    : `wall:${event.ownerId}_${event.postId}:${event.item.id}`;
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
