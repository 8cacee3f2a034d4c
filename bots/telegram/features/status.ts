import { Composer } from 'grammy';
import { ru } from '../../texts/ru.js';
import { type BotContext, senderOf, type TelegramBotDeps } from '../context.js';
import { consentKeyboard } from '../keyboards.js';

/** /status: the citizen's cases and their states. */
export function statusFeature(deps: TelegramBotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.chatType('private').command('status', async (ctx) => {
    const sender = senderOf(ctx);
    if (!sender) return;
    const result = await deps.intake.citizenCases(sender);
    if (result.status === 'consent_required') {
      await ctx.reply(ru.consentRequired, { reply_markup: consentKeyboard() });
      return;
    }
    if (result.cases.length === 0) {
      await ctx.reply(ru.statusEmpty);
      return;
    }
    await ctx.reply([ru.statusTitle, ...result.cases.map((c) => ru.statusLine(c.number, c.status, c.text))].join('\n'));
  });
  return feature;
}
