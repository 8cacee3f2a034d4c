import { Composer } from 'grammy';
import { may } from '../../../handlers/people/index.js';
import { failureSummary } from '../../../lib/log/failure-summary.js';
import { INVITE_TOKEN, inviteReply } from '../../conversation/staff.js';
import { ru } from '../../texts/ru.js';
import { type BotContext, senderOf, staffAccount, type TelegramBotDeps } from '../context.js';
import { consentKeyboard } from '../keyboards.js';

/** /start in a private chat: who we are, then the consent question unless it was already given. */
export function welcomeFeature(deps: TelegramBotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  // Staff menus are non-essential: repeated failures (e.g. an emulator without chat scopes) become one line.
  const menuFailures = failureSummary(deps.log, { what: 'setMyCommands', unit: ['staff chat', 'staff chats'] });
  feature.chatType('private').command('start', async (ctx) => {
    // t.me/<bot>?start=<token>: an invite for an official or МЦУ staff member.
    const payload = ctx.match.trim();
    if (INVITE_TOKEN.test(payload) && deps.people && ctx.from) {
      // A private chat's id is the user's: notices go to this chat.
      const outcome = await deps.people.redeem(payload, { ...staffAccount(ctx.from), chatId: String(ctx.chat.id) });
      await ctx.reply(inviteReply(deps.people, outcome).text);
      if (outcome.status === 'bound') {
        // Their own command menu in this chat (citizens keep the bot-wide one); non-essential.
        const triage = may(outcome.official, 'triage');
        await ctx.api
          .setMyCommands(triage ? [...ru.staffCommands, ...ru.operatorCommands] : ru.staffCommands, {
            scope: { type: 'chat', chat_id: ctx.chat.id },
          })
          .catch((error: unknown) => menuFailures.add(error));
      }
      return;
    }
    await ctx.reply(ru.welcome(deps.city));
    const sender = senderOf(ctx);
    const cases = sender ? await deps.intake.citizenCases(sender) : { status: 'consent_required' as const };
    if (cases.status === 'consent_required') await ctx.reply(ru.consentPrompt, { reply_markup: consentKeyboard() });
    else await ctx.reply(ru.consentGiven);
  });
  return feature;
}
