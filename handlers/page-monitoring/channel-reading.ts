import {
  lastRecordedPost,
  type MonitoredPage,
  pageVoiceAccounts,
  type RecordedMessage,
  recordedMessages,
  sourceActiveSince,
  sourceStatus,
} from '../../models/page-monitoring-repository.js';
import type { HandlerDeps } from '../deps.js';
import { type ChannelProbe, type PageComment, type PagePost, type ReadOutcome, UNREADABLE } from './ports.js';

/**
 * A Telegram or MAX channel, read from what the inbox stored (docs/architecture/official-pages.md,
 * «Ограничения платформ»). The Bot APIs show no channel history: the bot sees a channel's posts as
 * updates (channel_post) only while it administers the channel, and comments only as messages of the
 * linked discussion group, if the bot is in it. Those updates are stored by the inbox like every other
 * (store first); the figures are computed from them. MAX channels' comments are read from the platform
 * (GET /messages/{mid}/comments, the bot an administrator with read_all_messages), as VK's are. The probe asks the platform whether the bot is an
 * administrator: a channel it does not administer is unreadable, never scored as zero.
 */
export async function readChannel(
  deps: Pick<HandlerDeps, 'db'>,
  probe: ChannelProbe | null | undefined,
  page: MonitoredPage,
  since: Date,
): Promise<ReadOutcome> {
  if (!probe) return { status: 'deferred', reason: `no ${page.platform} bot configured` };
  let probed: Awaited<ReturnType<ChannelProbe['probe']>>;
  try {
    probed = await probe.probe(page);
  } catch (error) {
    return { status: 'deferred', reason: `probe failed: ${(error as Error).name}` };
  }
  if (probed.status !== 'admin') return probed;

  const channel = { channel: page.platform, externalId: probed.chatId };
  // The inbox keeps a channel's posts only once an operator approved the channel as a source.
  if ((await sourceStatus(deps.db, channel.channel, channel.externalId)) !== 'active')
    return { status: 'unreadable', reason: UNREADABLE.notApproved, gone: false };

  const [stored, last, activeSince] = await Promise.all([
    recordedMessages(deps.db, channel, since),
    lastRecordedPost(deps.db, channel),
    sourceActiveSince(deps.db, channel.channel, channel.externalId),
  ]);
  const channelPosts = stored
    .filter((m) => m.kind === 'channel_post')
    .map((m) => ({ externalId: m.externalId, at: m.at, permalink: m.permalink, views: m.views }));
  // The latest post, also when it is older than the window: the freshness figure needs it.
  if (last && !channelPosts.some((p) => p.externalId === last.externalId)) channelPosts.push({ ...last, views: null });

  // MAX: the comments of the window's posts are read from the platform, with the page's replies.
  if (page.platform === 'max' && probe.comments) {
    const inWindow = channelPosts.filter((p) => p.at.getTime() >= since.getTime());
    let read: Awaited<ReturnType<NonNullable<ChannelProbe['comments']>>>;
    try {
      read = await probe.comments(
        probed.chatId,
        inWindow.map((p) => ({ id: p.externalId, postedAt: p.at })),
        since,
      );
    } catch (error) {
      return { status: 'deferred', reason: `comments failed: ${(error as Error).name}` };
    }
    // A MAX comment has no link of its own: the post's permalink is where the official finds it (and answers).
    const permalinks = new Map(channelPosts.map((p) => [p.externalId, p.permalink]));
    const withUrls = read.map((r) => ({
      postId: r.postId,
      comments: r.comments === null ? null : r.comments.map((c) => ({ ...c, url: c.url ?? permalinks.get(r.postId) ?? null })),
    }));
    const byPost = new Map(withUrls.map((r) => [r.postId, r.comments]));
    const posts: PagePost[] = channelPosts.map((p) => {
      const comments = byPost.get(p.externalId) ?? null;
      return {
        id: p.externalId,
        postedAt: p.at,
        views: p.views,
        likes: null,
        reposts: null,
        comments: comments ? comments.length : null,
        url: p.permalink,
        commentsRead: comments !== null,
      };
    });
    return {
      status: 'read',
      reading: {
        title: probed.title,
        commentSource: { channel: 'max', sourceExternalId: probed.chatId },
        observedSince: activeSince && activeSince.getTime() > since.getTime() ? activeSince : null,
        setup: probed.setup,
        posts,
        comments: withUrls.flatMap((r) => r.comments ?? []),
        commentsMeasured: true,
      },
    };
  }

  const group =
    page.platform === 'telegram' && probed.discussionChatId !== null
      ? { channel: 'telegram' as const, externalId: probed.discussionChatId }
      : null;
  const groupActive = group !== null && (await sourceStatus(deps.db, group.channel, group.externalId)) === 'active';
  const comments =
    groupActive && group
      ? discussionComments(
          await recordedMessages(deps.db, group, since),
          probed.chatId,
          group.externalId,
          await pageVoiceAccounts(deps.db, page),
        )
      : [];
  const perPost = new Map<string, number>();
  for (const c of comments) perPost.set(c.postId, (perPost.get(c.postId) ?? 0) + 1);

  const posts: PagePost[] = channelPosts.map((p) => ({
    id: p.externalId,
    postedAt: p.at,
    views: p.views,
    likes: null,
    reposts: null,
    comments: groupActive ? (perPost.get(p.externalId) ?? 0) : null,
    url: p.permalink,
    commentsRead: groupActive,
  }));
  return {
    status: 'read',
    reading: {
      title: probed.title,
      commentSource: groupActive && group ? { channel: 'telegram', sourceExternalId: group.externalId } : null,
      // Recorded since the operator approved the channel (the inbox drops its messages before): not its first sighting.
      observedSince: activeSince && activeSince.getTime() > since.getTime() ? activeSince : null,
      setup: probed.setup,
      posts,
      comments,
      commentsMeasured: groupActive,
    },
  };
}

/**
 * Citizens' comments in a Telegram discussion group and the page's replies to them. A comment is a
 * citizen's message in the thread of a channel post's copy (the automatic forward, which names the
 * channel post); the page replies as the channel (sender_chat is the channel), as the group's anonymous
 * administrator (sender_chat is the group) or by one of its people under their own name (`voices`: the owner
 * department's Telegram accounts, models/page-monitoring-repository.ts `pageVoiceAccounts`), in reply to the comment.
 */
export function discussionComments(
  messages: readonly RecordedMessage[],
  channelId: string,
  groupId: string,
  voices: ReadonlySet<string> = new Set(),
): PageComment[] {
  const postOfThread = new Map<string, string>();
  for (const m of messages)
    if (m.forwardedPostId !== null && m.senderChatId === channelId) postOfThread.set(m.externalId, m.forwardedPostId);
  const byPage = (m: RecordedMessage) =>
    m.senderChatId === channelId || m.senderChatId === groupId || (m.authorId !== null && voices.has(m.authorId));
  const comments: PageComment[] = [];
  const byId = new Map<string, PageComment>();
  for (const m of messages) {
    if (m.forwardedPostId !== null || byPage(m) || m.authorId === null || m.threadId === null) continue;
    const postId = postOfThread.get(m.threadId);
    if (postId === undefined) continue;
    const comment: PageComment = {
      id: m.externalId,
      postId,
      authorId: m.authorId,
      text: m.text,
      createdAt: m.at,
      url: m.permalink,
      reply: null,
      caseId: m.caseId,
    };
    comments.push(comment);
    byId.set(comment.id, comment);
  }
  for (const m of messages) {
    if (!byPage(m) || m.forwardedPostId !== null || m.replyToId === null) continue;
    const comment = byId.get(m.replyToId);
    if (comment && !comment.reply && m.at.getTime() >= comment.createdAt.getTime())
      comment.reply = { id: m.externalId, at: m.at, text: m.text };
  }
  return comments;
}
