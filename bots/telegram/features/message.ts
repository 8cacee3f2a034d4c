import { Composer, type Context } from 'grammy';
import { ru } from '../../texts/ru.js';

/** A citizen's message in a private chat is acknowledged. */
export function messageFeature(): Composer<Context> {
  const feature = new Composer<Context>();
  const privateChat = feature.chatType('private');
  privateChat.on(['message:text', 'message:photo', 'message:voice', 'message:location'], (ctx) => ctx.reply(ru.received));
  privateChat.on('message', (ctx) => ctx.reply(ru.unsupported));
  return feature;
}
