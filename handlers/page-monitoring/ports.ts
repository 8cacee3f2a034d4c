import type { PagePlatform } from '../../models/schema.js';

/**
 * What monitoring asks of the platforms, platform-neutral: bots/vk reads VK communities with the service
 * token; bots/telegram and bots/max only say whether the bot administers a channel and what the channel
 * shows (its posts and comments are recorded from the updates the inbox stored).
 */

/** A registered page as a platform adapter needs it. */
export interface PageRef {
  id: number;
  platform: PagePlatform;
  /** VK: a screen name, club123 or an id; Telegram: @username or the -100… chat id; MAX: the chat id or link name. */
  externalId: string;
  url: string;
}

/**
 * The set-up items of 270-ФЗ's methodology as one platform shows them; null where the platform does not
 * say (never counted for or against the page).
 */
export interface SetupItems {
  /** VK: the community's verified (state) mark. */
  verified: boolean | null;
  description: boolean | null;
  /** VK: contacts, a site or addresses; Telegram and MAX show none. */
  contacts: boolean | null;
  /** Citizens can comment: VK — false with the wall off or closed, else not measured; Telegram — a discussion group is linked. */
  commentsOpen: boolean | null;
}

/**
 * The set-up items a snapshot scores: the platform's, and the registry's responsible person (270-ФЗ's
 * methodology names one): `responsible_official_id` or `responsible_name` present.
 */
export interface PageSetup extends SetupItems {
  responsible: boolean;
}

export interface PagePost {
  id: string;
  postedAt: Date;
  views: number | null;
  likes: number | null;
  reposts: number | null;
  comments: number | null;
  url: string | null;
  /** False when this round did not read the post's comments (unchanged since the last round, or its read failed). */
  commentsRead: boolean;
}

/** A citizen's comment under a post, with the page's first reply to it (by the page itself), if any. */
export interface PageComment {
  id: string;
  postId: string;
  /** The platform's id of the commenter: personal data, stored, never logged. */
  authorId: string;
  text: string;
  createdAt: Date;
  url: string | null;
  reply: { id: string; at: Date; text: string } | null;
  /** A comment stored by the inbox (a Telegram discussion group): the case intake opened for it, if any. */
  caseId?: number | null;
}

/**
 * Where a page's comments are (or would be) stored as messages of the inbox: VK — the community's owner id
 * (`-123`, as the city's own community and polled public ones are keyed); Telegram — the discussion group's chat id;
 * MAX — the channel's chat id (its comments are read from the platform, stored as messages only when they become cases).
 */
export interface CommentSource {
  channel: PagePlatform;
  sourceExternalId: string;
}

/** What one round read of a page. */
export interface PageReading {
  /** The page's name on the platform. */
  title: string | null;
  /** Where its comments are stored as messages (null: the platform shows none). */
  commentSource: CommentSource | null;
  /** Since when the page is observed (Telegram, MAX: the bot's recording began); null: the whole window is read. */
  observedSince: Date | null;
  setup: SetupItems;
  /** Posts of the window (and the latest post, whenever it was). */
  posts: PagePost[];
  /** Citizens' comments under the posts whose comments were read. */
  comments: PageComment[];
  /** False where no comments could be seen (a Telegram channel without an approved discussion group): not measured. */
  commentsMeasured: boolean;
}

export type ReadOutcome =
  | { status: 'read'; reading: PageReading }
  /** The platform says the page cannot be read: deleted, blocked, private, the bot not its administrator. */
  | { status: 'unreadable'; reason: string; gone: boolean }
  /** A limit or an error of the platform: nothing is concluded about the page this round (it is retried). */
  | { status: 'deferred'; reason: string };

/** What a round asks of the VK reader. */
export interface ReadRequest {
  /** Posts older than this are not read for comments. */
  since: Date;
  /** Per page, the comment count of each post as last read in full: an unchanged post's comments are not read again. */
  known: ReadonlyMap<number, ReadonlyMap<string, number>>;
  /** Called as each page's reading completes (monitoring writes it while the reader goes on). */
  onPage(pageId: number, outcome: ReadOutcome): Promise<void>;
}

/** Reads VK communities, as many at once as its batching allows; bots/vk/pages-reader.ts. */
export interface PageReader {
  read(pages: readonly PageRef[], request: ReadRequest): Promise<void>;
}

/** What a messenger says of a channel the bot may administer. */
export type ProbeOutcome =
  | {
      status: 'admin';
      /** The channel's numeric chat id, as the inbox stores its posts. */
      chatId: string;
      /** Telegram: the linked discussion group's chat id, where comments are; null without one. */
      discussionChatId: string | null;
      title: string | null;
      setup: SetupItems;
    }
  | { status: 'unreadable'; reason: string; gone: boolean }
  | { status: 'deferred'; reason: string };

/** One post's comments as the platform answered them; null: not read this round (an error, retried next round). */
export interface PostComments {
  postId: string;
  comments: PageComment[] | null;
}

/** Telegram or MAX: whether the bot administers the channel, and what the channel shows; bots/telegram, bots/max. */
export interface ChannelProbe {
  probe(page: PageRef): Promise<ProbeOutcome>;
  /**
   * MAX: the comments of the channel's posts read from the platform (GET /messages/{mid}/comments), each
   * with the page's first reply. Absent (Telegram): comments are what the inbox stored from the discussion group.
   */
  comments?(chatId: string, posts: readonly { id: string; postedAt: Date }[], since: Date): Promise<PostComments[]>;
}

/** The platforms' adapters a round has (a platform without one is deferred, never failed). */
export interface PagePlatforms {
  vk?: PageReader | null;
  telegram?: ChannelProbe | null;
  max?: ChannelProbe | null;
}

/** The reason texts kept on the page and its snapshot (Russian: the registry and the console show them). */
export const UNREADABLE = {
  notAdmin: 'бот не администратор канала',
  deleted: 'сообщество удалено',
  banned: 'сообщество заблокировано',
  closed: 'закрытое сообщество',
  private: 'частное сообщество',
  notFound: 'страница не найдена',
  accessDenied: 'нет доступа к стене',
  channelGone: 'канал недоступен',
  notApproved: 'канал не подтверждён в МЦУ: его сообщения не сохраняются',
} as const;
