import { GrammyError } from 'grammy';
import type { PressOutcome } from '../../conversation/staff.js';
import type { BotContext, TelegramBotDeps } from '../context.js';
import { inlineKeyboard } from '../keyboards.js';

/**
 * What a staff press does to the message under the button: new buttons, or a new text and buttons (a
 * broadcast's preview becoming its progress message). Where Telegram refuses the edit (the message is gone
 * or too old), the new text goes as a new message — and when it is a broadcast's progress, that one is
 * stored instead, so the sender edits it from then on.
 */
export async function changePressedMessage(ctx: BotContext, deps: TelegramBotDeps, outcome: PressOutcome): Promise<void> {
  if (outcome.buttons) {
    // grammY throws synchronously when the update carries no message: a stale keyboard is no failure.
    try {
      await ctx.editMessageReplyMarkup({ reply_markup: inlineKeyboard(outcome.buttons) });
    } catch {
      // The press is decided; only the old buttons stay.
    }
  }
  const edit = outcome.edit;
  if (!edit) return;
  const markup = { reply_markup: inlineKeyboard(edit.buttons ?? []) };
  try {
    await ctx.editMessageText(edit.text, markup);
    return;
  } catch (error) {
    if (error instanceof GrammyError && /message is not modified/i.test(error.description)) return;
  }
  const sent = await ctx.reply(edit.text, markup);
  if (outcome.progressOf !== undefined && deps.staffBroadcasts)
    await deps.staffBroadcasts.setProgressMessage(outcome.progressOf, {
      channel: 'telegram',
      chatId: String(sent.chat.id),
      messageId: String(sent.message_id),
    });
}
