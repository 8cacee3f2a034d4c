import type { UserFromGetMe } from 'grammy/types';
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';

/** A preset bot identity so tests never call getMe on a real server. */
export const BOT_INFO: UserFromGetMe = {
  id: 666,
  is_bot: true,
  first_name: 'МЦУ Барнаул',
  username: 'TestNameBot',
  can_join_groups: true,
  can_read_all_group_messages: true,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
} as UserFromGetMe;

interface StoredBotMessage {
  message: { chat_id?: number | string; text?: string; reply_markup?: unknown };
}

/** Everything the bot has sent to `chatId` through the emulator so far. */
export function botMessagesTo(server: TelegramServer, chatId: number): { text: string; replyMarkup: unknown }[] {
  const records = (server as unknown as { storage: { botMessages: StoredBotMessage[] } }).storage.botMessages;
  return records
    .filter((r) => String(r.message.chat_id) === String(chatId))
    .map((r) => ({ text: String(r.message.text ?? ''), replyMarkup: r.message.reply_markup }));
}

/** Waits until the bot has sent `chatId` a message matching `pattern` after the first `skip` ones. */
export async function waitForBotMessage(
  server: TelegramServer,
  chatId: number,
  pattern: RegExp,
  skip = 0,
  timeoutMs = 10_000,
): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const found = botMessagesTo(server, chatId)
      .slice(skip)
      .find((m) => pattern.test(m.text));
    if (found) return found.text;
    await new Promise((r) => setTimeout(r, 50));
  }
  const seen = botMessagesTo(server, chatId).map((m) => m.text.slice(0, 80));
  throw new Error(`bot did not send ${pattern} to ${chatId}; it sent: ${JSON.stringify(seen)}`);
}
