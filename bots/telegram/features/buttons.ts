import { Composer } from 'grammy';
import { isStaffAction, staffPress } from '../../conversation/staff.js';
import { ru } from '../../texts/ru.js';
import { decodeCallback } from '../callback-data.js';
import { authorOf, type BotContext, senderOf, staffAccount, type TelegramBotDeps } from '../context.js';
import { consentKeyboard } from '../keyboards.js';
import { replyWith } from './official-answers.js';
import { changePressedMessage } from './pressed-message.js';

/** Inline buttons: consent yes/no, «Новое обращение», the follow-up choice, polls and officials' actions. */
export function buttonsFeature(deps: TelegramBotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on('callback_query:data', async (ctx) => {
    const action = decodeCallback(ctx.callbackQuery.data);
    const author = authorOf(ctx);
    const sender = senderOf(ctx);
    // The presser as a member of staff (the staff buttons' use cases know people by it).
    const account = staffAccount(ctx.callbackQuery.from);
    // Our buttons are always under a message in a chat; a press without one (an inline message, a
    // payload from elsewhere) has nowhere to be answered: it is stale, not an error to retry.
    if (!action || !author || !sender || !ctx.chat) {
      await ctx.answerCallbackQuery({ text: ru.staleButton }).catch(() => {});
      return;
    }
    if (isStaffAction(action)) {
      const pressed = ctx.callbackQuery.message;
      const at = pressed
        ? { channel: 'telegram' as const, chatId: String(ctx.chat.id), messageId: String(pressed.message_id) }
        : null;
      const outcome = await staffPress(deps, account, action, who(ctx), at);
      if (!outcome) return;
      await ctx.answerCallbackQuery(outcome.notice ? { text: outcome.notice } : undefined).catch(() => {});
      await changePressedMessage(ctx, deps, outcome);
      if (outcome.reply) await replyWith(ctx, outcome.reply);
      if (outcome.decided) {
        // The alert keeps its text and shows the decision instead of the buttons, for everyone in the chat.
        const message = ctx.callbackQuery.message;
        const original = message && 'text' in message ? message.text : '';
        // grammY throws synchronously when the update carries no message to edit: not worth failing the update.
        try {
          await ctx.editMessageText(`${original ?? ''}\n\n${outcome.decided}`);
        } catch {
          // The decision is taken and answered above; the alert just keeps its buttons.
        }
      }
      return;
    }
    if (action.type === 'poll' || action.type === 'rate') {
      if (!deps.polls) return;
      const outcome = await deps.polls.answer({
        caseId: action.caseId,
        sender,
        ...(action.type === 'poll' ? { solved: action.solved } : { rating: action.rating }),
      });
      const notice = outcome === 'not_yours' ? ru.forbidden : outcome === 'stale' ? ru.staleButton : undefined;
      await ctx.answerCallbackQuery(notice ? { text: notice } : undefined).catch(() => {});
      return;
    }
    if (action.type === 'follow_up') {
      // The case number or «зарегистрировано» follows as a notification; here only a refused press is answered.
      const outcome = deps.followUps
        ? await deps.followUps.choose({ messageId: action.messageId, choice: action.choice, sender })
        : 'stale';
      const notice = outcome === 'not_yours' ? ru.forbidden : outcome === 'stale' ? ru.staleButton : undefined;
      await ctx.answerCallbackQuery(notice ? { text: notice } : undefined).catch(() => {});
      return;
    }
    if (action.type === 'intent') {
      // The case number, or the reply for thanks, follows as a notification; here only a refused press is answered.
      const outcome = await deps.intake.answerIntent({ messageId: action.messageId, appeal: action.appeal, sender });
      const notice = outcome === 'not_yours' ? ru.forbidden : outcome === 'stale' ? ru.staleButton : undefined;
      await ctx.answerCallbackQuery(notice ? { text: notice } : undefined).catch(() => {});
      return;
    }
    if (action.type === 'poll_comment') {
      if (!deps.polls) return;
      const outcome = await deps.polls.requestComment({ caseId: action.caseId, sender });
      const notice = outcome === 'not_yours' ? ru.forbidden : outcome === 'stale' ? ru.staleButton : undefined;
      await ctx.answerCallbackQuery(notice ? { text: notice } : undefined).catch(() => {});
      if (outcome === 'ready') await ctx.reply(ru.pollCommentPrompt);
      return;
    }
    if (action.type === 'consent') {
      const consent = action.answer === 'yes' ? 'given' : 'declined';
      await deps.intake.recordConsent({ channel: 'telegram', author, consent });
      await ctx.answerCallbackQuery().catch(() => {});
      await ctx.reply(consent === 'given' ? ru.consentGiven : ru.consentDeclined);
      return;
    }
    const result = await deps.intake.requestNewCase(sender);
    await ctx.answerCallbackQuery().catch(() => {});
    if (result === 'consent_required') await ctx.reply(ru.consentRequired, { reply_markup: consentKeyboard() });
    else await ctx.reply(ru.newCasePrompt);
  });
  return feature;
}

/** Who pressed a button, as operators see it in their chat (a name, not an id). */
function who(ctx: BotContext): string {
  const from = ctx.from;
  if (!from) return '—';
  return from.username ? `@${from.username}` : [from.first_name, from.last_name].filter(Boolean).join(' ');
}
