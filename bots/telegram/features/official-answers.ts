import { Composer, type Context } from 'grammy';
import type { OfficialTextOutcome } from '../../../handlers/answers/index.js';
import { forceButtons } from '../../outbound/buttons.js';
import { ru, type TextCity } from '../../texts/ru.js';
import type { BotContext, TelegramBotDeps } from '../context.js';
import { inlineKeyboard } from '../keyboards.js';

/** An official's reply in the chat: sent, held, or back for revision with «Отправить всё равно». */
export async function replyToOfficial(ctx: Context, outcome: OfficialTextOutcome, city: TextCity): Promise<void> {
  switch (outcome.status) {
    case 'no_case':
      await ctx.reply(ru.officialNoCase);
      return;
    case 'forbidden':
      await ctx.reply(ru.forbidden);
      return;
    case 'needs_revision':
      await ctx.reply(ru.answerNeedsRevision(outcome.quality.problems), {
        reply_markup: inlineKeyboard(forceButtons()),
      });
      return;
    case 'queued':
      await ctx.reply(ru.answerSent(outcome.caseNumber ?? ''));
      return;
    case 'held':
      await ctx.reply(ru.answerHeld(outcome.caseNumber ?? ''));
      return;
    case 'extension':
      await ctx.reply(ru.extensionResult(outcome.result, city));
      return;
    case 'redirect':
      await ctx.reply(ru.redirectResult(outcome.result));
      return;
    case 'question':
      await ctx.reply(ru.askResult(outcome.result));
      return;
    case 'invalid_transition':
      await ctx.reply(ru.answerNotAllowed(outcome.from));
      return;
    default:
      await ctx.reply(ru.staleButton);
  }
}

/**
 * Officials answer in the chat: a reply to a message naming a case, or the next message after
 * «Ответить». Runs before citizen intake; texts from anyone who is not an official pass through.
 */
export function officialAnswersFeature(deps: TelegramBotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.chatType('private').on('message:text', async (ctx, next) => {
    if (!deps.answers || ctx.message.text.startsWith('/')) return next();
    const outcome = await deps.answers.submit(String(ctx.from.id), ctx.message.text, ctx.message.reply_to_message?.text);
    if (outcome.status === 'not_official') return next();
    await replyToOfficial(ctx, outcome, deps.city);
  });
  // A photo with a caption answers the same way: the caption is the text, the largest size is attached.
  feature.chatType('private').on('message:photo', async (ctx, next) => {
    if (!deps.answers) return next();
    const largest = ctx.message.photo.at(-1);
    if (!largest) return next();
    const outcome = await deps.answers.submit(
      String(ctx.from.id),
      ctx.message.caption ?? '',
      ctx.message.reply_to_message?.text ?? ctx.message.reply_to_message?.caption,
      [{ telegramFileId: largest.file_id }],
    );
    if (outcome.status === 'not_official') return next();
    await replyToOfficial(ctx, outcome, deps.city);
  });
  return feature;
}
