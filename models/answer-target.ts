import type { Channel } from './intake.js';
import type { Recipient } from './outbound.js';
import { isMessenger } from './reply-target.js';

/** The messengers that answer by chat id (every one but VK, whose private chats and walls differ). */
type ChatMessenger = Exclude<Channel, 'vk' | 'import' | 'api'>;

/** Where an answer goes: back where the citizen wrote. */
export type AnswerTarget =
  | { channel: ChatMessenger; mode: 'private' | 'thread'; chatId: string; replyTo?: string }
  | { channel: 'vk'; mode: 'private'; peerId: number }
  | { channel: 'vk'; mode: 'wall'; ownerId: number; postId: number; commentId: number }
  | { channel: 'import' | 'api'; mode: 'record' }
  /** A comment read from an official page (VK, MAX): the department answers on the page itself, the bot writes nothing. */
  | { channel: ChatMessenger | 'vk'; mode: 'record'; onPage: true };

/**
 * From the case's first message: a private chat or discussion thread (Telegram, and any messenger that
 * stores `chat_id`), a VK private message
 * or a reply comment under the citizen's wall comment. Imports and a MAX channel's comments are only recorded; a place with no
 * way to answer (e.g. a comment under a VK photo) gives null.
 */
export function answerTargetFor(m: {
  channel: string;
  kind: string;
  platform_ids: Record<string, string | number>;
}): AnswerTarget | null {
  const ids = m.platform_ids;
  if (m.channel === 'import' || m.channel === 'api') return { channel: m.channel, mode: 'record' };
  // A channel's comment read by page monitoring stores `channel_id`, never `chat_id`: answering it would post
  // into the channel itself. Its answer is only recorded; the page's own reply closes the case (monitoring).
  if (isMessenger(m.channel) && m.channel !== 'vk' && m.kind === 'comment' && ids.channel_id !== undefined)
    return { channel: m.channel, mode: 'record', onPage: true };
  // The same for a comment under another community's wall (an official page read by monitoring): it stores
  // `page_owner_id`, never `owner_id` — the city's community token cannot comment on another community's wall.
  if (m.channel === 'vk' && m.kind === 'comment' && ids.page_owner_id !== undefined)
    return { channel: 'vk', mode: 'record', onPage: true };
  if (isMessenger(m.channel) && m.channel !== 'vk' && ids.chat_id !== undefined) {
    return {
      channel: m.channel,
      mode: m.kind === 'private' ? 'private' : 'thread',
      chatId: String(ids.chat_id),
      // The platform's message id as it was stored: Telegram's a number, MAX's a string mid.
      ...(ids.message_id !== undefined ? { replyTo: String(ids.message_id) } : {}),
    };
  }
  if (m.channel === 'vk' && m.kind === 'private' && ids.peer_id !== undefined)
    return { channel: 'vk', mode: 'private', peerId: Number(ids.peer_id) };
  if (
    m.channel === 'vk' &&
    m.kind === 'comment' &&
    ids.post_id !== undefined &&
    ids.comment_id !== undefined &&
    ids.owner_id !== undefined
  ) {
    return {
      channel: 'vk',
      mode: 'wall',
      ownerId: Number(ids.owner_id),
      postId: Number(ids.post_id),
      commentId: Number(ids.comment_id),
    };
  }
  return null;
}

/**
 * A comment read from an official page (a MAX channel's, another VK community's wall): its answer is given on
 * the page and only recorded here — what the official's card and the console say. `place`: the case's first
 * message, where delivery answers (models/case-query.ts `caseCard`'s `answer_place`).
 */
export function answerOnPage(place: Parameters<typeof answerTargetFor>[0] | null | undefined): boolean {
  const target = place ? answerTargetFor(place) : null;
  return target?.mode === 'record' && 'onPage' in target;
}

/** The outbound port's recipient for an answer: a chat message (in reply), or a reply comment in a VK thread. */
export function answerRecipient(target: Exclude<AnswerTarget, { mode: 'record' }>): Recipient {
  if (target.channel !== 'vk')
    return {
      channel: target.channel,
      chatId: target.chatId,
      ...(target.replyTo !== undefined ? { replyToMessageId: target.replyTo } : {}),
    };
  if (target.mode === 'private') return { channel: 'vk', chatId: String(target.peerId) };
  return {
    channel: 'vk',
    chatId: String(target.ownerId),
    thread: { postId: String(target.postId), commentId: String(target.commentId) },
  };
}
