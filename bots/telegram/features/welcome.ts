import { Composer } from 'grammy';
import { ru } from '../../texts/ru.js';
import { type BotContext, senderOf, type TelegramBotDeps } from '../context.js';
import { consentKeyboard } from '../keyboards.js';

/** /start in a private chat: who we are, then the consent question unless it was already given. */
export function welcomeFeature(deps: TelegramBotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.chatType('private').command('start', async (ctx) => {
    await ctx.reply(ru.welcome);
    const sender = senderOf(ctx);
    const cases = sender ? await deps.intake.citizenCases(sender) : { status: 'consent_required' as const };
    if (cases.status === 'consent_required') await ctx.reply(ru.consentPrompt, { reply_markup: consentKeyboard() });
    else await ctx.reply(ru.consentGiven);
  });
  return feature;
}
