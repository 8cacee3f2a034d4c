import type { IncomingMessage } from '../../models/intake.js';

/**
 * Fixture builders for what the platforms send (Telegram Bot API updates, VK Callback API events) and for
 * what the channel adapters make of it (IncomingMessage). The shapes are the real ones, as the tests have
 * always sent them; anything a test needs beyond them goes in `extra`. Ids that must be unique come from
 * per-file counters unless given.
 */

/** 2025-11-29 07:06:40 UTC: the platforms' date of a message in the tests unless one is given. */
export const PLATFORM_DATE = 1_764_400_000;

let updateSeq = 100_000;
let vkSeq = 0;
let incomingSeq = 0;

export interface TelegramChat {
  id: number;
  type: string;
  [key: string]: unknown;
}
export interface TelegramUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  [key: string]: unknown;
}

/** The private chat of a user, as Telegram describes it in their messages. */
export function telegramPrivateChat(user: TelegramUser): TelegramChat {
  return { id: user.id, type: 'private', first_name: user.first_name, username: user.username };
}

export interface TelegramMessageInput {
  chat: TelegramChat;
  from?: TelegramUser;
  /** A text starting with «/» carries its bot_command entity, as Telegram sends it. */
  text?: string;
  /** The update's id; the next of this file's counter unless given. */
  updateId?: number;
  /** The message's id; the update's id unless given. */
  messageId?: number;
  date?: number;
  /** More fields of the message (a caption, a reply, a thread id…), after the others. */
  extra?: Record<string, unknown>;
}

/** A Telegram message (the `message` of an update). */
export function telegramMessage(m: Omit<TelegramMessageInput, 'updateId'> & { messageId: number }): Record<string, unknown> {
  const command = m.text?.startsWith('/')
    ? { entities: [{ type: 'bot_command', offset: 0, length: m.text.includes(' ') ? m.text.indexOf(' ') : m.text.length }] }
    : {};
  return {
    message_id: m.messageId,
    date: m.date ?? PLATFORM_DATE,
    chat: m.chat,
    ...(m.from ? { from: m.from } : {}),
    ...(m.text === undefined ? {} : { text: m.text }),
    ...command,
    ...m.extra,
  };
}

/** An update with a new message. */
export function telegramMessageUpdate(m: TelegramMessageInput): { update_id: number; message: Record<string, unknown> } {
  const updateId = m.updateId ?? ++updateSeq;
  return { update_id: updateId, message: telegramMessage({ ...m, messageId: m.messageId ?? updateId }) };
}

/** An update with a button press (an inline keyboard's callback data) under a message in the user's private chat. */
export function telegramCallbackUpdate(c: {
  from: TelegramUser;
  data: string;
  chat?: TelegramChat;
  updateId?: number;
  /** The callback query's id; the update's id unless given. */
  id?: string;
  date?: number;
}): { update_id: number; callback_query: Record<string, unknown> } {
  const updateId = c.updateId ?? ++updateSeq;
  return {
    update_id: updateId,
    callback_query: {
      id: c.id ?? String(updateId),
      from: c.from,
      chat_instance: 'ci-1',
      data: c.data,
      message: { message_id: 1, date: c.date ?? PLATFORM_DATE, chat: c.chat ?? telegramPrivateChat(c.from), text: '…' },
    },
  };
}

/** Where a VK community's Callback API events come from: its id and the secret they are signed with. */
export interface VkCommunity {
  groupId: number;
  /** Omitted from the event when not given. */
  secret?: string;
}

// A type, not an interface: an event is also a plain record (VkApiFake's long-poll event log).
export type VkEvent<T> = {
  group_id: number;
  type: string;
  event_id: string;
  v: string;
  secret?: string;
  object: T;
};

/** A VK Callback API event (API v5.199) of `type` carrying `object`. */
export function vkEvent<T>(community: VkCommunity, type: string, object: T, eventId = `vk-${++vkSeq}`): VkEvent<T> {
  return {
    group_id: community.groupId,
    type,
    event_id: eventId,
    v: '5.199',
    ...(community.secret === undefined ? {} : { secret: community.secret }),
    object,
  };
}

/** A community message from a user (`message_new`); `payload` is what a keyboard button carries. */
export function vkMessageNew(
  community: VkCommunity,
  m: { from: number; text: string; id?: number; peerId?: number; payload?: unknown; date?: number; eventId?: string },
): VkEvent<{ message: Record<string, unknown>; client_info: Record<string, unknown> }> {
  const id = m.id ?? ++vkSeq;
  const payload =
    m.payload === undefined ? {} : { payload: typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload) };
  return vkEvent(
    community,
    'message_new',
    {
      message: {
        date: m.date ?? PLATFORM_DATE + id,
        from_id: m.from,
        id,
        out: 0,
        attachments: [],
        conversation_message_id: id,
        fwd_messages: [],
        important: false,
        is_hidden: false,
        peer_id: m.peerId ?? m.from,
        random_id: 0,
        text: m.text,
        ...payload,
      },
      client_info: { button_actions: ['text', 'callback'], keyboard: true, inline_keyboard: true, carousel: true, lang_id: 0 },
    },
    m.eventId,
  );
}

/** A comment under a post on the community's wall (`wall_reply_new`, or its edit or restore). */
export function vkWallReply(
  community: VkCommunity,
  r: {
    id: number;
    text: string;
    from: number;
    postId?: number;
    date?: number;
    type?: 'wall_reply_new' | 'wall_reply_edit' | 'wall_reply_restore';
    eventId?: string;
  },
): VkEvent<Record<string, unknown>> {
  return vkEvent(
    community,
    r.type ?? 'wall_reply_new',
    {
      id: r.id,
      from_id: r.from,
      post_id: r.postId ?? 77,
      owner_id: -community.groupId,
      parents_stack: [],
      date: r.date ?? PLATFORM_DATE + 100,
      text: r.text,
      thread: { count: 0 },
      post_owner_id: -community.groupId,
    },
    r.eventId,
  );
}

/** The builders of one community's events, bound to its id and secret. */
export function vkCallbackPayloads(community: VkCommunity) {
  return {
    event: <T>(type: string, object: T, eventId?: string) => vkEvent(community, type, object, eventId),
    messageNew: (m: Parameters<typeof vkMessageNew>[1]) => vkMessageNew(community, m),
    wallReply: (r: Parameters<typeof vkWallReply>[1]) => vkWallReply(community, r),
  };
}

/**
 * What a channel adapter makes of an event: by default a new private Telegram text message that may open a
 * case, with fresh event and message ids (`i<n>`); every field can be given.
 */
export function incomingMessage(over: Partial<IncomingMessage> = {}): IncomingMessage {
  const n = ++incomingSeq;
  return {
    channel: 'telegram',
    eventId: `i${n}`,
    source: { externalId: '1', kind: 'private', official: false },
    externalId: `i${n}`,
    kind: 'private',
    action: 'new',
    author: { externalId: '1' },
    text: `Сообщение ${n}`,
    attachments: [],
    geo: null,
    permalink: null,
    thread: null,
    platformIds: {},
    platformAt: new Date('2026-11-29T03:00:00Z'),
    raw: {},
    opensCase: true,
    ...over,
  };
}

/**
 * What the VK adapter makes of a comment under a post on a community's wall: its place (permalink, thread,
 * platform ids) from the owner, post and comment ids; a re-delivery of the same comment has the same event id.
 */
export function incomingVkComment(
  c: { ownerId: number; postId: number; commentId: number; text: string; author: number | string },
  over: Partial<IncomingMessage> = {},
): IncomingMessage {
  const place = `${c.ownerId}_${c.postId}`;
  return incomingMessage({
    channel: 'vk',
    eventId: `wall_reply_new:${place}:${c.commentId}`,
    source: { externalId: String(c.ownerId), kind: 'official_community', official: true },
    externalId: `wall:${place}:${c.commentId}`,
    kind: 'comment',
    author: { externalId: String(c.author) },
    text: c.text,
    permalink: `https://vk.com/wall${place}?reply=${c.commentId}`,
    thread: { postId: String(c.postId) },
    platformIds: { owner_id: c.ownerId, post_id: c.postId, comment_id: c.commentId },
    ...over,
  });
}
