import { Composer } from 'grammy';
import { ru } from '../../texts/ru.js';
import type { BotContext, TelegramBotDeps } from '../context.js';

/** /help in a private chat: a citizen's help, and for МЦУ staff and officials their commands too. */
export function helpFeature(deps?: Pick<TelegramBotDeps, 'people'>): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.chatType('private').command('help', async (ctx) => {
    const staff = deps?.people ? await deps.people.staffKind(String(ctx.from.id)).catch(() => null) : null;
    await ctx.reply(ru.helpFor(staff));
  });
  return feature;
}
