import { Composer, type Context } from 'grammy';
import { ru } from '../../texts/ru.js';

/** /start in a private chat: who we are and what to write. */
export function welcomeFeature(): Composer<Context> {
  const feature = new Composer<Context>();
  feature.chatType('private').command('start', (ctx) => ctx.reply(ru.welcome));
  return feature;
}
