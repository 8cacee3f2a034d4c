import { Composer } from 'grammy';
import { STAFF_COMMANDS, staffCommand } from '../../conversation/staff.js';
import { type BotContext, staffAccount, type TelegramBotDeps } from '../context.js';
import { inlineKeyboard } from '../keyboards.js';

/**
 * Officials' and operators' commands in a private chat: /my, /overdue, /case (people), /queue,
 * /category, /assign, /merge, /stats (commands), /broadcast (the staff's broadcasts). The words and the access checks are the
 * messenger-neutral staff conversation (bots/conversation/staff.ts); here only Telegram's delivery.
 */
export function officialsFeature(deps: TelegramBotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  for (const command of STAFF_COMMANDS) {
    feature.chatType('private').command(command, async (ctx) => {
      const reply = await staffCommand(deps, staffAccount(ctx.from), command, ctx.match);
      if (!reply) return;
      await ctx.reply(reply.text, reply.buttons?.length ? { reply_markup: inlineKeyboard(reply.buttons) } : undefined);
    });
  }
  return feature;
}
