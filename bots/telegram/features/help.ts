import { Composer } from 'grammy';
import { helpText } from '../../conversation/staff.js';
import { type BotContext, staffAccount, type TelegramBotDeps } from '../context.js';

/** /help in a private chat: a citizen's help, and for МЦУ staff and officials their commands too. */
export function helpFeature(deps?: Pick<TelegramBotDeps, 'people'>): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.chatType('private').command('help', async (ctx) => {
    await ctx.reply(await helpText(deps ?? {}, staffAccount(ctx.from)));
  });
  return feature;
}
