import { Composer } from 'grammy';
import { type BotContext, staffAccount, type TelegramBotDeps } from '../context.js';

/**
 * A person's private chat with the bot, as a member of staff's delivery sees it: the update saying they
 * blocked the bot (`my_chat_member` → kicked) marks their Telegram account blocked, so notices go to
 * their other messenger at once rather than after a failed send; anything else they do there (a
 * message, a press, /start) shows the chat can be written to again and lifts a block recorded after a
 * 403, so cards come back without a new invite. One UPDATE that changes no row for everyone else.
 */
export function staffPresenceFeature(deps: Pick<TelegramBotDeps, 'people'>): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.use(async (ctx, next) => {
    const stopped = ctx.myChatMember && ['kicked', 'left'].includes(ctx.myChatMember.new_chat_member.status);
    if (deps.people && ctx.from && ctx.chat?.type === 'private' && !stopped)
      await deps.people.accountActive(staffAccount(ctx.from));
    await next();
  });
  return feature;
}
