import { Composer, type Context } from 'grammy';
import { ru } from '../../texts/ru.js';

/** /help in a private chat. */
export function helpFeature(): Composer<Context> {
  const feature = new Composer<Context>();
  feature.chatType('private').command('help', (ctx) => ctx.reply(ru.help));
  return feature;
}
