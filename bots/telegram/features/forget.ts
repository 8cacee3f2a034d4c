import { Composer } from 'grammy';
import { typedCommand } from '../../conversation/citizen.js';
import { ru } from '../../texts/ru.js';
import { type BotContext, senderOf, type TelegramBotDeps } from '../context.js';

/**
 * /forget in the private chat: what withdrawing consent does, then «/forget да» withdraws it and
 * anonymises the citizen at once (handlers/privacy). The update came through the inbox like every
 * other, so the decision is taken from the stored event; its own stored payload is scrubbed with the
 * rest. Registered before the intake, so neither form is stored as a message.
 */
export function forgetFeature(deps: Pick<TelegramBotDeps, 'privacy' | 'log'>): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.chatType('private').on('message:text', async (ctx, next) => {
    const command = typedCommand(ctx.message.text);
    const sender = senderOf(ctx);
    if ((command !== 'forget' && command !== 'forget_confirm') || !sender) return next();
    if (command === 'forget') {
      await ctx.reply(ru.forgetConfirm);
      return;
    }
    if (!deps.privacy) {
      deps.log.warn('/forget asked for but privacy is not wired in this instance');
      await ctx.reply(ru.help);
      return;
    }
    const outcome = await deps.privacy.forget(sender);
    await ctx.reply(outcome.status === 'forgotten' ? ru.forgotten(outcome.closedCases) : ru.forgetNothing);
  });
  return feature;
}
