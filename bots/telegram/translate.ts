import type { Chat, Message, Update } from 'grammy/types';
import type { Attachment, Author, IncomingMessage, MessageKind } from '../../models/intake.js';

const SNIPPET_LENGTH = 200;

/**
 * Translates a Telegram update into the neutral IncomingMessage. Returns null for updates that
 * carry no citizen text (service messages, member changes, …): the caller counts and ignores them.
 */
export function translateUpdate(update: Update): IncomingMessage | null {
  const [message, action] = pickMessage(update);
  if (!message) return null;
  if (isServiceMessage(message)) return null;
  const chat = message.chat;
  const isChannel = chat.type === 'channel';
  const isPrivate = chat.type === 'private';
  const kind: MessageKind = isPrivate
    ? 'private'
    : isChannel
      ? 'channel_post'
      : message.is_automatic_forward
        ? 'post'
        : isCommentOnChannelPost(message)
          ? 'comment'
          : 'chat';
  const reply = message.reply_to_message;
  return {
    channel: 'telegram',
    eventId: String(update.update_id),
    source: {
      externalId: String(chat.id),
      kind: isPrivate
        ? 'private'
        : isChannel
          ? 'official_channel'
          : kind === 'comment' || kind === 'post'
            ? 'discussion_group'
            : 'city_chat',
      title: isPrivate ? null : ((chat as Chat & { title?: string }).title ?? null),
      official: isChannel,
    },
    externalId: String(message.message_id),
    kind,
    action,
    author: authorOf(message),
    text: message.text ?? message.caption ?? '',
    attachments: attachmentsOf(message),
    geo: message.location ? { lat: message.location.latitude, lon: message.location.longitude } : null,
    permalink: permalinkOf(chat, message.message_id),
    thread:
      reply && !isPrivate
        ? {
            ...(reply.is_automatic_forward ? { postId: String(reply.message_id) } : { commentId: String(reply.message_id) }),
            snippet: (reply.text ?? reply.caption ?? '').slice(0, SNIPPET_LENGTH),
          }
        : null,
    platformIds: {
      update_id: update.update_id,
      chat_id: chat.id,
      message_id: message.message_id,
      ...(message.message_thread_id ? { thread_id: message.message_thread_id } : {}),
    },
    platformAt: new Date((message.edit_date ?? message.date) * 1000),
    raw: update,
    // The city's own channel posts (and their copies in the discussion group) are context, not cases.
    opensCase: kind !== 'channel_post' && kind !== 'post',
  };
}

function pickMessage(update: Update): [Message | undefined, 'new' | 'edit'] {
  if (update.message) return [update.message, 'new'];
  if (update.edited_message) return [update.edited_message, 'edit'];
  if (update.channel_post) return [update.channel_post, 'new'];
  if (update.edited_channel_post) return [update.edited_channel_post, 'edit'];
  return [undefined, 'new'];
}

function isServiceMessage(m: Message): boolean {
  return !(
    m.text !== undefined ||
    m.caption !== undefined ||
    m.photo ||
    m.document ||
    m.voice ||
    m.video ||
    m.audio ||
    m.location ||
    m.venue ||
    m.sticker ||
    m.video_note
  );
}

function isCommentOnChannelPost(m: Message): boolean {
  return (
    m.reply_to_message?.is_automatic_forward === true ||
    (m.is_topic_message !== true && m.message_thread_id !== undefined && m.reply_to_message?.sender_chat?.type === 'channel')
  );
}

function authorOf(m: Message): Author | null {
  if (m.from && !m.from.is_bot) {
    const name = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ');
    return { externalId: String(m.from.id), displayName: name || null, username: m.from.username ?? null };
  }
  return null;
}

function attachmentsOf(m: Message): Attachment[] {
  const out: Attachment[] = [];
  const largest = m.photo?.at(-1);
  if (largest) out.push({ type: 'photo', fileId: largest.file_id, ...(largest.file_size ? { size: largest.file_size } : {}) });
  if (m.document) {
    out.push({
      type: 'document',
      fileId: m.document.file_id,
      ...(m.document.file_name ? { name: m.document.file_name } : {}),
      ...(m.document.mime_type ? { mimeType: m.document.mime_type } : {}),
      ...(m.document.file_size ? { size: m.document.file_size } : {}),
    });
  }
  if (m.voice)
    out.push({ type: 'voice', fileId: m.voice.file_id, ...(m.voice.mime_type ? { mimeType: m.voice.mime_type } : {}) });
  if (m.video) out.push({ type: 'video', fileId: m.video.file_id });
  if (m.video_note) out.push({ type: 'video', fileId: m.video_note.file_id });
  if (m.audio) out.push({ type: 'audio', fileId: m.audio.file_id });
  if (m.sticker) out.push({ type: 'sticker', fileId: m.sticker.file_id });
  if (m.venue) out.push({ type: 'venue', name: m.venue.title });
  else if (m.location) out.push({ type: 'location' });
  return out;
}

/** Public chats and channels have t.me links; private chats and private groups do not. */
function permalinkOf(chat: Chat, messageId: number): string | null {
  const username = (chat as Chat & { username?: string }).username;
  if (chat.type !== 'private' && username) return `https://t.me/${username}/${messageId}`;
  return null;
}
