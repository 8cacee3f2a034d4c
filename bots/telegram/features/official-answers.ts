import { Composer, type Context } from 'grammy';
import { type ChatReply, officialText } from '../../conversation/staff.js';
import { type BotContext, staffAccount, type TelegramBotDeps } from '../context.js';
import { inlineKeyboard } from '../keyboards.js';

/** A reply of the staff conversation in this chat, with its buttons as an inline keyboard. */
export async function replyWith(ctx: Context, reply: ChatReply): Promise<void> {
  await ctx.reply(reply.text, reply.buttons?.length ? { reply_markup: inlineKeyboard(reply.buttons) } : undefined);
}

/**
 * Officials answer in the chat: a reply to a message naming a case, or the next message after
 * «Ответить». Runs before citizen intake; texts from anyone who is not an official pass through.
 */
export function officialAnswersFeature(deps: TelegramBotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.chatType('private').on('message:text', async (ctx, next) => {
    if (ctx.message.text.startsWith('/')) return next();
    const reply = await officialText(deps, staffAccount(ctx.from), ctx.message.text, ctx.message.reply_to_message?.text);
    if (!reply) return next();
    await replyWith(ctx, reply);
  });
  // A photo with a caption answers the same way: the caption is the text, the largest size is attached.
  feature.chatType('private').on('message:photo', async (ctx, next) => {
    const largest = ctx.message.photo.at(-1);
    if (!largest) return next();
    const reply = await officialText(
      deps,
      staffAccount(ctx.from),
      ctx.message.caption ?? '',
      ctx.message.reply_to_message?.text ?? ctx.message.reply_to_message?.caption,
      [{ telegramFileId: largest.file_id }],
    );
    if (!reply) return next();
    await replyWith(ctx, reply);
  });
  return feature;
}
