import { Composer } from 'grammy';
import { ru } from '../../texts/ru.js';
import type { BotContext } from '../context.js';

/** /help in a private chat. */
export function helpFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.chatType('private').command('help', (ctx) => ctx.reply(ru.help));
  return feature;
}
