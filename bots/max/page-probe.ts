import { type Api, Bot, MaxError } from '@maxhub/max-bot-api';
import type { ChannelProbe, PageComment, PageRef, PostComments, ProbeOutcome } from '../../handlers/page-monitoring/index.js';
import { UNREADABLE } from '../../handlers/page-monitoring/index.js';

/** What the probe needs of the MAX Bot API (the SDK's Api; a fake in tests). */
export type MaxChannelApi = Pick<Api, 'getChat' | 'getChatMembership' | 'getChatAdmins' | 'getComments'>;

/** Comments asked for in one request (the newest of the interval), and the pages read for one post at most. */
const COMMENTS_PER_REQUEST = 100;
const MAX_PAGES_PER_POST = 20;
/** The least time between two comment requests: at most 10 a second, well under MAX's 30 a second per bot. */
const COMMENT_REQUEST_INTERVAL_MS = 100;

/** A comment as GET /messages/{mid}/comments answers it (CommentMessage; read defensively). */
interface CommentMessage {
  sender?: { user_id?: number; is_bot?: boolean } | null;
  timestamp?: number;
  link?: { type?: string; message?: { mid?: string } | null } | null;
  body?: { mid?: string; text?: string | null } | null;
}

/**
 * A MAX channel as monitoring sees it: GET /chats/{id} for its state and description, GET
 * /chats/{id}/members/me for whether the bot administers it. Its posts are recorded from updates by the
 * inbox; their comments are read with GET /messages/{mid}/comments (the bot an administrator with
 * read_all_messages): a comment whose sender is absent was published as the channel — the page's own, and
 * its reply when it replies to a citizen's comment (docs/architecture/official-pages.md, «Ограничения платформ»).
 */
export class MaxChannelProbe implements ChannelProbe {
  readonly #minIntervalMs: number;
  #lastRequestAt = 0;

  /** `minIntervalMs`: the least time between two comment requests (the probe runs outside the bot's pacer). */
  constructor(
    private readonly api: MaxChannelApi,
    options: { minIntervalMs?: number } = {},
  ) {
    this.#minIntervalMs = options.minIntervalMs ?? COMMENT_REQUEST_INTERVAL_MS;
  }

  async probe(page: PageRef): Promise<ProbeOutcome> {
    const id = page.externalId.trim();
    // GET /chats/{chatId} takes a channel's public link name in the same place (GET /chats/{chatLink}).
    const ref = /^-?\d+$/.test(id) ? Number(id) : id;
    try {
      const chat = await this.api.getChat(ref as number);
      if (chat.status !== 'active') return { status: 'unreadable', reason: UNREADABLE.channelGone, gone: chat.status !== 'left' };
      const me = await this.api.getChatMembership(chat.chat_id);
      if (!me.is_admin && !me.is_owner) return { status: 'unreadable', reason: UNREADABLE.notAdmin, gone: false };
      return {
        status: 'admin',
        chatId: String(chat.chat_id),
        discussionChatId: null,
        title: chat.title ?? null,
        setup: { verified: null, description: Boolean(chat.description?.trim()), contacts: null, commentsOpen: null },
      };
    } catch (error) {
      // Not a member (403) or no such chat (404): the bot does not administer it.
      if (error instanceof MaxError && (error.status === 403 || error.status === 404))
        return { status: 'unreadable', reason: UNREADABLE.notAdmin, gone: false };
      return { status: 'deferred', reason: error instanceof MaxError ? `MAX ${error.status}` : 'MAX unreachable' };
    }
  }

  async comments(chatId: string, posts: readonly { id: string; postedAt: Date }[], since: Date): Promise<PostComments[]> {
    let admins: ReadonlySet<number>;
    try {
      admins = await this.#admins(Number(chatId));
    } catch (error) {
      // Without the administrators an administrator's comment would count as a citizen's: no post is read.
      if (!(error instanceof MaxError)) throw error;
      return posts.map((p) => ({ postId: p.id, comments: null }));
    }
    const result: PostComments[] = [];
    for (const post of posts) {
      try {
        const read = await this.#allComments(post.id, since);
        // A post read only in part (the pages' cap) is not taken as read: it is deferred, read again next round.
        result.push({ postId: post.id, comments: read ? pageComments(post.id, read, admins) : null });
      } catch (error) {
        // Not a MAX answer (the network): the round concludes nothing; a MAX error leaves this post unread.
        if (!(error instanceof MaxError)) throw error;
        result.push({ postId: post.id, comments: null });
      }
    }
    return result;
  }

  /** The channel's administrators (GET /chats/{id}/members/admins): writing under their own name, not citizens. */
  async #admins(chatId: number): Promise<ReadonlySet<number>> {
    await this.#pace();
    const answer = await this.api.getChatAdmins(chatId);
    return new Set((answer.members ?? []).map((m) => m.user_id).filter((id): id is number => typeof id === 'number'));
  }

  /** Waits so that two comment requests are at least `minIntervalMs` apart. */
  async #pace(): Promise<void> {
    const wait = this.#lastRequestAt + this.#minIntervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.#lastRequestAt = Date.now();
  }

  /**
   * The post's comments since `since`, the newest first, older pages asked for with `before`; null when they
   * could not all be read within the cap. `before` is exclusive: the next page asks from the oldest
   * comment's millisecond included, so comments sharing it are not skipped (the ids de-duplicate).
   */
  async #allComments(postId: string, since: Date): Promise<CommentMessage[] | null> {
    const all: CommentMessage[] = [];
    const seen = new Set<string>();
    let before: number | undefined;
    for (let page = 0; page < MAX_PAGES_PER_POST; page += 1) {
      await this.#pace();
      const answer = await this.api.getComments(postId, {
        after: since.getTime(),
        count: COMMENTS_PER_REQUEST,
        ...(before !== undefined ? { before } : {}),
      });
      const messages = (answer.messages ?? []) as CommentMessage[];
      let oldest: number | undefined;
      let added = 0;
      for (const m of messages) {
        if (typeof m.timestamp === 'number' && (oldest === undefined || m.timestamp < oldest)) oldest = m.timestamp;
        const mid = m.body?.mid;
        if (!mid || seen.has(mid)) continue;
        seen.add(mid);
        all.push(m);
        added += 1;
      }
      if (messages.length < COMMENTS_PER_REQUEST) return all;
      // A full page that brought nothing new (more comments in one millisecond than a page holds) or no time
      // to go on from: the rest cannot be reached, the post is not read.
      if (added === 0 || oldest === undefined) return null;
      before = oldest + 1;
    }
    return null;
  }
}

/**
 * Citizens' comments under one post and the page's first reply to each: a comment with a sender that is
 * neither a bot nor one of the channel's administrators is a citizen's; one without a sender (published as the channel) replying to it is the page's.
 */
export function pageComments(
  postId: string,
  messages: readonly CommentMessage[],
  admins: ReadonlySet<number> = new Set(),
): PageComment[] {
  const comments: PageComment[] = [];
  const byId = new Map<string, PageComment>();
  const at = (m: CommentMessage) => (typeof m.timestamp === 'number' ? new Date(m.timestamp) : null);
  for (const m of messages) {
    const id = m.body?.mid;
    const createdAt = at(m);
    const author = m.sender?.user_id;
    if (!id || !createdAt || !m.sender || m.sender.is_bot || author === undefined || admins.has(author)) continue;
    const comment: PageComment = {
      id,
      postId,
      authorId: String(author),
      text: m.body?.text ?? '',
      createdAt,
      url: null,
      reply: null,
    };
    comments.push(comment);
    byId.set(id, comment);
  }
  const byTime = [...messages].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  for (const m of byTime) {
    const id = m.body?.mid;
    const replyAt = at(m);
    // The page answers as the channel (no sender) or by one of its administrators under their own name.
    const byPage = !m.sender || (m.sender.user_id !== undefined && admins.has(m.sender.user_id));
    if (!byPage || !id || !replyAt || m.link?.type !== 'reply' || !m.link.message?.mid) continue;
    const comment = byId.get(m.link.message.mid);
    if (comment && !comment.reply && replyAt.getTime() >= comment.createdAt.getTime())
      comment.reply = { id, at: replyAt, text: m.body?.text ?? '' };
  }
  return comments;
}

/** The probe on its own SDK client (a few requests a round: outside the bot's pacer). */
export function createMaxChannelProbe(options: { token: string; baseUrl: string }): MaxChannelProbe {
  return new MaxChannelProbe(new Bot(options.token, { clientOptions: { baseUrl: options.baseUrl } }).api);
}
