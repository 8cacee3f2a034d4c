import { Composer } from 'grammy';
import { caseCardButtons } from '../../outbound/buttons.js';
import { ru } from '../../texts/ru.js';
import type { BotContext, TelegramBotDeps } from '../context.js';
import { inlineKeyboard } from '../keyboards.js';

/**
 * Officials' and operators' commands: /my, /overdue, /case (people), /queue, /category, /assign, /merge,
 * /stats (commands). Everyone else gets «Недостаточно прав».
 */
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
    await ctx.reply([ru.myCasesTitle(t.department), ...result.cases.map((c) => ru.myCaseLine(c, deps.city))].join('\n'));
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
        : [ru.overdueTitle(where), ...result.cases.map((c) => ru.myCaseLine(c, deps.city))].join('\n'),
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
    if (result.status === 'ok')
      await ctx.reply(ru.reminderCard(result.card, deps.city), { reply_markup: inlineKeyboard(caseCardButtons(result.card)) });
    else await ctx.reply(result.status === 'forbidden' ? ru.forbidden : ru.caseNotFound(number));
  });
  feature.chatType('private').command('queue', async (ctx) => {
    if (!deps.commands || !ctx.from) return;
    const result = await deps.commands.queue(String(ctx.from.id));
    if (result.status === 'forbidden') {
      await ctx.reply(ru.forbidden);
      return;
    }
    await ctx.reply(
      result.cases.length === 0
        ? ru.queueEmpty
        : [ru.queueTitle, ...result.cases.map((c) => `${ru.myCaseLine(c, deps.city)}${ru.suggestionsLine(c.suggestions)}`)].join(
            '\n',
          ),
    );
  });
  feature.chatType('private').command('category', async (ctx) => {
    if (!deps.commands || !deps.people || !ctx.from) return;
    const [number, category, ...rest] = ctx.match.trim().split(/\s+/);
    if (!number || !category || rest.length > 0 || !/^МЦУ-\d{4}-\d{6}$/.test(number)) {
      await ctx.reply(ru.categoryUsage);
      return;
    }
    const result = await deps.commands.category(String(ctx.from.id), number, category);
    // Officials read department names, not ids.
    const department = result.department ? deps.people.titles('official', result.department).department : undefined;
    await ctx.reply(ru.categoryResult({ ...result, ...(department ? { department } : {}) }, number, category));
  });
  feature.chatType('private').command('assign', async (ctx) => {
    if (!deps.commands || !deps.people || !ctx.from) return;
    const [number, target, ...rest] = ctx.match.trim().split(/\s+/);
    if (!number || !target || rest.length > 0 || !CASE_NUMBER.test(number)) {
      await ctx.reply(ru.assignUsage);
      return;
    }
    const result = await deps.commands.assign(String(ctx.from.id), number, target);
    const department = 'department' in result ? deps.people.titles('official', result.department).department : undefined;
    await ctx.reply(ru.assignResult({ ...result, ...(department ? { department } : {}) }, number, target));
  });
  feature.chatType('private').command('merge', async (ctx) => {
    if (!deps.commands || !ctx.from) return;
    const [number, into, ...rest] = ctx.match.trim().split(/\s+/);
    if (!number || !into || rest.length > 0 || !CASE_NUMBER.test(number) || !CASE_NUMBER.test(into)) {
      await ctx.reply(ru.mergeUsage);
      return;
    }
    await ctx.reply(ru.mergeResult(await deps.commands.merge(String(ctx.from.id), number, into), number, into));
  });
  feature.chatType('private').command('stats', async (ctx) => {
    if (!deps.commands || !ctx.from) return;
    const arg = ctx.match.trim();
    const days = arg === '' ? 30 : Number(arg);
    if (!Number.isInteger(days) || days < 1 || days > 366) {
      await ctx.reply(ru.statsUsage);
      return;
    }
    const result = await deps.commands.stats(String(ctx.from.id), days);
    if (result.status === 'forbidden') {
      await ctx.reply(ru.forbidden);
      return;
    }
    await ctx.reply(ru.stats(result, days, (id) => deps.people?.titles('official', id).department ?? id));
  });
  return feature;
}

const CASE_NUMBER = /^МЦУ-\d{4}-\d{6}$/;
