import { CHANNELS, type Channel, type ReplyTarget } from './intake.js';

/**
 * Where to answer a stored private message, from the platform ids its adapter recorded: VK `peer_id`;
 * any other messenger (Telegram, and one added later) `chat_id`/`message_id`.
 */
export function replyTargetFor(channel: string, ids: Record<string, string | number>): ReplyTarget | null {
  if (!isMessenger(channel)) return null;
  if (channel !== 'vk' && ids.chat_id !== undefined) {
    return {
      channel,
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

/** A channel one can write back to (not an import or the API). */
export function isMessenger(channel: string): channel is Exclude<Channel, 'import' | 'api'> {
  return (CHANNELS as readonly string[]).includes(channel) && channel !== 'import' && channel !== 'api';
}
