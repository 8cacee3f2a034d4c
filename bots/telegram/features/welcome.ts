import { Composer } from 'grammy';
import { may } from '../../../handlers/people/index.js';
import { failureSummary } from '../../../lib/log/failure-summary.js';
import { ru } from '../../texts/ru.js';
import { type BotContext, senderOf, type TelegramBotDeps } from '../context.js';
import { consentKeyboard } from '../keyboards.js';

/** /start in a private chat: who we are, then the consent question unless it was already given. */
export function welcomeFeature(deps: TelegramBotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  // Staff menus are non-essential: repeated failures (e.g. an emulator without chat scopes) become one line.
  const menuFailures = failureSummary(deps.log, { what: 'setMyCommands', unit: ['staff chat', 'staff chats'] });
  feature.chatType('private').command('start', async (ctx) => {
    // t.me/<bot>?start=<token>: an invite for an official or МЦУ staff member.
    const payload = ctx.match.trim();
    if (/^[A-Za-z0-9_-]{32}$/.test(payload) && deps.people && ctx.from) {
      const outcome = await deps.people.redeem(payload, String(ctx.from.id));
      if (outcome.status === 'bound') {
        const t = deps.people.titles(outcome.official.role, outcome.official.department);
        await ctx.reply(ru.officialBound(outcome.official.name, t.role, t.department));
        // Their own command menu in this chat (citizens keep the bot-wide one); non-essential.
        const triage = may(outcome.official, 'triage');
        await ctx.api
          .setMyCommands(triage ? [...ru.staffCommands, ...ru.operatorCommands] : ru.staffCommands, {
            scope: { type: 'chat', chat_id: ctx.chat.id },
          })
          .catch((error: unknown) => menuFailures.add(error));
      } else {
        await ctx.reply(ru.inviteRefused[outcome.status]);
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
