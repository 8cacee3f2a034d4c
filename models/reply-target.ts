import type { Channel, ReplyTarget } from './intake.js';

/**
 * Where to answer a stored private message, from the platform ids its adapter recorded:
 * Telegram `chat_id`/`message_id`, VK `peer_id`.
 */
export function replyTargetFor(channel: string, ids: Record<string, string | number>): ReplyTarget | null {
  if (channel === 'telegram' && ids.chat_id !== undefined) {
    return {
      channel: 'telegram',
      chatId: String(ids.chat_id),
      ...(ids.message_id !== undefined ? { replyToMessageId: String(ids.message_id) } : {}),
    };
  }
  if (channel === 'vk' && ids.peer_id !== undefined) {
    const messageId = ids.message_id ?? ids.conversation_message_id;
    return {
      channel: 'vk' as Channel,
      chatId: String(ids.peer_id),
      ...(messageId !== undefined ? { replyToMessageId: String(messageId) } : {}),
    };
  }
  return null;
}
