import { Composer } from 'grammy';
import { helpText } from '../../conversation/staff.js';
import { ru } from '../../texts/ru.js';
import { type BotContext, staffAccount, type TelegramBotDeps } from '../context.js';
import { RetryableUpdateError } from '../errors.js';
import { consentKeyboard } from '../keyboards.js';
import { translateUpdate } from '../translate.js';

/**
 * Every message, edit and channel post goes into the durable intake. Private chats get a reply;
 * groups and channels are captured silently. If storing fails the update is not acknowledged.
 */
export function intakeFeature(deps: TelegramBotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on(['message', 'edited_message', 'channel_post', 'edited_channel_post'], async (ctx, next) => {
    const isPrivate = ctx.chat.type === 'private';
    const message = ctx.message;
    if (isPrivate && message?.text?.startsWith('/') && message.entities?.[0]?.type === 'bot_command') {
      // A command no feature above recognised: say so, with the help this person needs.
      const help = ctx.from ? await helpText(deps, staffAccount(ctx.from)) : ru.helpFor(null);
      await ctx.reply(`${ru.unknownCommand}\n\n${help}`);
      return;
    }
    const input = translateUpdate(ctx.update);
    if (!input) {
      if (isPrivate && message) await ctx.reply(ru.unsupported);
      return next();
    }
    let outcome: Awaited<ReturnType<TelegramBotDeps['intake']['receive']>>;
    try {
      outcome = await deps.intake.receive(input);
    } catch (error) {
      throw new RetryableUpdateError('intake could not store the update', { cause: error });
    }
    if (!isPrivate || input.action !== 'new') return;
    switch (outcome.status) {
      case 'consent_required':
        await ctx.reply(ru.consentRequired, { reply_markup: consentKeyboard() });
        return;
      case 'declined':
        await ctx.reply(ru.declinedInfo);
        return;
      case 'stored':
        // The case number comes from the worker in a moment; meanwhile show that we are on it.
        await ctx.replyWithChatAction('typing').catch((e) => deps.log.debug({ err: e }, 'sendChatAction failed (non-essential)'));
        return;
      default:
        return;
    }
  });
  return feature;
}
