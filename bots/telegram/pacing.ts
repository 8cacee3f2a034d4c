import type { Transformer } from 'grammy';
import type { BroadcastSettings } from '../../config/domain.js';
import { type KeyGap, Pacer } from '../../lib/pacer.js';

/** Telegram's limits per bot: messages a second overall, seconds between two messages to one chat, messages a minute to one group. */
export type TelegramLimits = BroadcastSettings['telegram'];

/** 0.95 of 30 messages/s: at most 29 in any second (lib/pacer.ts says why). */
const TELEGRAM_MARGIN = 0.95;

/** The bot's rate gate: one per bot token in a process, shared by every Api that sends for it. */
export function createTelegramPacer(limits: TelegramLimits): Pacer {
  return new Pacer({ perSecond: limits.perSecond, margin: TELEGRAM_MARGIN });
}

/** The gap Telegram wants between two messages to one chat: a group (negative id) 60/perGroupPerMinute s, else perChatSeconds. */
export function chatGap(chatId: string | number, limits: TelegramLimits): KeyGap {
  const group = Number(chatId) < 0;
  return { key: `tg:${chatId}`, gapMs: group ? 60_000 / limits.perGroupPerMinute : limits.perChatSeconds * 1000 };
}

/** Methods that put a message in a chat (Telegram's limits count them); getUpdates, getFile, answerCallbackQuery… are not paced. */
const MESSAGE_METHODS = /^(send(?!ChatAction$)|edit|copyMessage|forwardMessage)/;

/**
 * The priority lane on a grammY Api (the channel port's, the bot's replies): every message first takes
 * a token of the bot's pacer, so acknowledgements, answers and cards share the bot's 30/s with the
 * broadcasts and overtake them; a 429 Telegram answers anyway pauses every lane for its retry_after.
 * Installed before auto-retry, so each of its retries takes a token too.
 */
export function priorityLane(pacer: Pacer, limits: TelegramLimits): Transformer {
  return async (prev, method, payload, signal) => {
    if (!MESSAGE_METHODS.test(method)) return prev(method, payload, signal);
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    const gap = typeof chatId === 'number' || typeof chatId === 'string' ? chatGap(chatId, limits) : undefined;
    await pacer.take('priority', gap);
    const result = await prev(method, payload, signal);
    if (!result.ok && result.error_code === 429) pacer.pauseAll(result.parameters?.retry_after ?? 1);
    return result;
  };
}
