import { Composer } from 'grammy';
import { ru } from '../../texts/ru.js';
import type { BotContext, TelegramBotDeps } from '../context.js';
import { caseKeyboard } from '../official-notifier.js';

/** Officials' commands: /my (the department's open cases). Everyone else gets «Недостаточно прав». */
export function officialsFeature(deps: TelegramBotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.chatType('private').command('my', async (ctx) => {
    if (!deps.people || !ctx.from) return;
    const result = await deps.people.myCases(String(ctx.from.id));
    if (result.status === 'forbidden') {
      await ctx.reply(ru.forbidden);
      return;
    }
    const t = deps.people.titles(result.official.role, result.official.department);
    if (result.cases.length === 0) {
      await ctx.reply(ru.myCasesEmpty(t.department));
      return;
    }
    await ctx.reply([ru.myCasesTitle(t.department), ...result.cases.map((c) => ru.myCaseLine(c))].join('\n'));
  });
  feature.chatType('private').command('overdue', async (ctx) => {
    if (!deps.people || !ctx.from) return;
    const arg = ctx.match.trim();
    if (arg !== '' && arg !== 'all') {
      await ctx.reply(ru.overdueUsage);
      return;
    }
    const result = await deps.people.overdue(String(ctx.from.id), arg === 'all');
    if (result.status === 'forbidden') {
      await ctx.reply(ru.forbidden);
      return;
    }
    const where = result.scope === 'all' ? 'все подразделения' : deps.people.titles('official', result.department).department;
    await ctx.reply(
      result.cases.length === 0
        ? ru.overdueEmpty(where)
        : [ru.overdueTitle(where), ...result.cases.map((c) => ru.myCaseLine(c))].join('\n'),
    );
  });
  feature.chatType('private').command('case', async (ctx) => {
    if (!deps.people || !ctx.from) return;
    const number = ctx.match.trim();
    if (!/^МЦУ-\d{4}-\d{6}$/.test(number)) {
      await ctx.reply(ru.caseUsage);
      return;
    }
    const result = await deps.people.caseCard(String(ctx.from.id), number);
    if (result.status === 'ok') await ctx.reply(ru.reminderCard(result.card), { reply_markup: caseKeyboard(result.card.id) });
    else await ctx.reply(result.status === 'forbidden' ? ru.forbidden : ru.caseNotFound(number));
  });
  feature.chatType('private').command('queue', async (ctx) => {
    if (!deps.people || !ctx.from) return;
    const result = await deps.people.queue(String(ctx.from.id));
    if (result.status === 'forbidden') {
      await ctx.reply(ru.forbidden);
      return;
    }
    await ctx.reply(
      result.cases.length === 0 ? ru.queueEmpty : [ru.queueTitle, ...result.cases.map((c) => ru.myCaseLine(c))].join('\n'),
    );
  });
  feature.chatType('private').command('category', async (ctx) => {
    if (!deps.people || !ctx.from) return;
    const [number, category, ...rest] = ctx.match.trim().split(/\s+/);
    if (!number || !category || rest.length > 0 || !/^МЦУ-\d{4}-\d{6}$/.test(number)) {
      await ctx.reply(ru.categoryUsage);
      return;
    }
    const result = await deps.people.category(String(ctx.from.id), number, category);
    await ctx.reply(ru.categoryResult(result, number, category));
  });
  return feature;
}
