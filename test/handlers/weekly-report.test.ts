import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffCommand } from '../../bots/conversation/staff.js';
import { render } from '../../bots/outbound/render.js';
import { ru } from '../../bots/texts/ru.js';
import { loadDomainConfig } from '../../config/domain.js';
import { bindCommands } from '../../handlers/commands/index.js';
import { bindPeople } from '../../handlers/people/index.js';
import {
  buildWeeklyReport,
  planWeeklyReports,
  sendWeeklyReport,
  type WeeklyReport,
  weeklyReportCron,
} from '../../handlers/reports/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { Channel } from '../../models/intake.js';
import type { ChannelPort, DeliveryResult } from '../../models/outbound.js';
import { createLogger } from '../../src/logger.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { seedAnswer, seedCase, seedOfficial, seedPoll } from '../helpers/rows.js';

/**
 * The weekly report on a two-week history worked out by hand. Barnaul's schedule: Mon–Thu 08:00–17:00,
 * Fri 08:00–16:00, lunch 12:00–12:48. The report is sent on Monday 30 November 2026, so it speaks of
 * Mon 23 – Sun 29 November against Mon 16 – Sun 22 November.
 *
 * Reported week:
 * - roads-transport: 5 cases (Mon 23, 09:00), each answered at 11:00 (2 working hours), on time; polls
 *   rated 5, 5, 3.
 * - housing-utilities: 5 cases (Tue 24, 09:00, due Wed 25, 17:00, one problem): 2 answered at 13:48
 *   (3 h + 1 h after lunch = 4 h), on time; 3 unanswered, overdue now.
 * City: 10 cases, 7 answered, on time 7/10 (due: 7 answered + 3 overdue), median first response of
 * 2,2,2,2,2,4,4 = 2 h, ratings 4–5: 2/3.
 *
 * Week before:
 * - roads-transport: 4 cases (Mon 16, 09:00), answered at 13:48 (4 h), on time; polls rated 5, 2.
 * - housing-utilities: 4 cases (Tue 17, 09:00, due Wed 18, 17:00) answered Fri 20, 10:00, late: Tue
 *   09–17 (7.2 h) + Wed 8.2 + Thu 8.2 + Fri 08–10 (2) = 25.6 h.
 * City: 8 cases, 8 answered, on time 4/8, median of four 4 h and four 25.6 h = 14.8 h, ratings 4–5: 1/2.
 * With minCases 5, both departments are ranked this week and neither the week before.
 */
describe('the weekly report', () => {
  let testDb: TestDatabase;
  const domain = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const log = createLogger({ level: 'silent' });
  const MONDAY = '2026-11-30 08:30';
  const ok = JSON.stringify({ ok: true, problems: [] });
  const db = () => testDb.handle.db;
  const at = (s: string) => new ManualClock(local(s));
  const people: Record<string, number> = {};
  const nameOf = (id: string) => domain.departments.find((d) => d.id === id);

  async function answered(department: string, opened: string, answer: string, due: string, extra: { problem_id?: number } = {}) {
    const c = await seedCase(db(), { department, status: 'answered', deadline_at: local(due), at: local(opened), ...extra });
    await seedAnswer(db(), { case_id: c.id, quality: ok, at: local(answer) });
    return c;
  }
  const rate = (caseId: number, rating: number, when: string) =>
    seedPoll(db(), { case_id: caseId, state: 'answered', solved: rating >= 4, rating, asked_at: local(when), at: local(when) });

  beforeAll(async () => {
    testDb = await createTestDatabase('weekly_report', { migrate: true });
    const problem = await db()
      .insertInto('problem')
      .values({
        category: 'heating',
        district: 'central',
        title: 'Отопление · Центральный',
        first_at: local('2026-11-24 09:00'),
        last_at: local('2026-11-24 09:00'),
      })
      .returningAll()
      .executeTakeFirstOrThrow();

    // Reported week.
    for (let i = 0; i < 5; i++) {
      const c = await answered('roads-transport', '2026-11-23 09:00', '2026-11-23 11:00', '2026-11-27 17:00');
      if (i < 3) await rate(c.id, i < 2 ? 5 : 3, '2026-11-24 10:00');
    }
    for (let i = 0; i < 5; i++) {
      if (i < 2)
        await answered('housing-utilities', '2026-11-24 09:00', '2026-11-24 13:48', '2026-11-25 17:00', {
          problem_id: problem.id,
        });
      else
        await seedCase(db(), {
          department: 'housing-utilities',
          status: 'assigned',
          problem_id: problem.id,
          deadline_at: local('2026-11-25 17:00'),
          at: local('2026-11-24 09:00'),
        });
    }
    // The week before.
    for (let i = 0; i < 4; i++) {
      const c = await answered('roads-transport', '2026-11-16 09:00', '2026-11-16 13:48', '2026-11-20 16:00');
      if (i < 2) await rate(c.id, i === 0 ? 5 : 2, '2026-11-17 10:00');
    }
    for (let i = 0; i < 4; i++) await answered('housing-utilities', '2026-11-17 09:00', '2026-11-20 10:00', '2026-11-18 17:00');

    const person = async (key: string, role: string, department: string, bind = true) => {
      people[key] = (
        await seedOfficial(db(), {
          role,
          department,
          telegram: bind ? `80${Object.keys(people).length}` : null,
          at: local(MONDAY),
        })
      ).id;
    };
    await person('curator', 'curator', 'mcu');
    await person('head', 'head', 'mcu');
    await person('housingHead', 'department_head', 'housing-utilities');
    await person('official', 'official', 'housing-utilities');
    await person('unboundOwner', 'block_owner', 'roads-transport', false);
  });
  afterAll(async () => testDb?.drop());

  const deps = (clock: ManualClock) => ({ db: db(), clock, calendar, domain, log });

  it('when the curator gets it, then the city figures of both weeks with their changes, problems, late, best and worst', async () => {
    const report = (await buildWeeklyReport(
      deps(at(MONDAY)),
      { role: 'curator', department: 'mcu' },
      local(MONDAY),
    )) as WeeklyReport;
    expect(report.week).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(report.scope).toBe('city');
    expect(report.current).toEqual({ cases: 10, answered: 7, onTimeShare: 0.7, firstResponseHours: 2, satisfaction45: 0.6667 });
    expect(report.previous).toEqual({ cases: 8, answered: 8, onTimeShare: 0.5, firstResponseHours: 14.8, satisfaction45: 0.5 });
    expect(report.overdueNow).toBe(3);
    expect(report.problems).toEqual([{ title: 'Отопление · Центральный', status: 'in_work', recent: 5, growth: 5 }]);
    const housing = nameOf('housing-utilities');
    const roads = nameOf('roads-transport');
    const short = (d: typeof housing) => d?.shortName ?? d?.name;
    expect(report.late).toEqual({
      departments: [{ name: short(housing), score: expect.any(Number), onTimeShare: 0.4, overdue: 3 }],
      more: 0,
      threshold: 0.8,
    });
    // roads: 100 × (0.3 + 0.15 + 0.2 + 0.2 × 0.6667 + 0.1 + 0.05) = 93.3.
    expect(report.best).toEqual([{ name: short(roads), score: 93.3, onTimeShare: 1, overdue: 0 }]);
    expect(report.worst?.map((d) => d.name)).toEqual([short(housing)]);
    expect(report.recommendations).toEqual([]);

    const text = ru.weeklyReport(report);
    expect(text).toContain('📊 Еженедельный отчёт за 23.11–29.11.2026');
    expect(text).toContain('• Поступило обращений: 10 (+2)');
    expect(text).toContain('• Дан ответ по существу: 7 (−1)');
    expect(text).toContain('• Ответы в срок: 70 % (+20 п. п.)');
    expect(text).toContain('• Первый ответ (медиана): 2 раб. ч (−12,8 ч)');
    expect(text).toContain('• Оценки 4–5: 67 % (+17 п. п.)');
    expect(text).toContain('Просрочено сейчас: 3.');
    expect(text).toContain('• Отопление · Центральный — 5 (▲5); в работе');
    expect(text).toContain(`• ${short(housing)}: в срок 40 %, просрочено 3`);
    expect(text).toContain(`Лучшие по баллу: ${short(roads)} — 93 б.`);
    // No recommendations yet: the section is left out.
    expect(text).not.toContain('Рекомендации');
  });

  it("when a department head gets it, then only their department's line, its rank, overdue and problems", async () => {
    const report = (await buildWeeklyReport(
      deps(at(MONDAY)),
      { role: 'department_head', department: 'housing-utilities' },
      local(MONDAY),
    )) as WeeklyReport;
    expect(report.scope).toBe('department');
    expect(report.name).toBe(nameOf('housing-utilities')?.name);
    expect(report.current).toEqual({ cases: 5, answered: 2, onTimeShare: 0.4, firstResponseHours: 4, satisfaction45: null });
    expect(report.previous).toEqual({ cases: 4, answered: 4, onTimeShare: 0, firstResponseHours: 25.6, satisfaction45: null });
    expect(report.overdueNow).toBe(3);
    // Score: (0.3 × 0.4 + 0.15 × 0.4 + 0.2 + 0.1 + 0.05) / 0.8 = 66.25 → 66.3; the week before (unranked, under
    // 5 cases, but scored): (0 + 0.15 + 0.2 + 0.1 + 0.05) / 0.8 = 62.5.
    expect(report.rank).toEqual({ rank: 2, of: 2, previousRank: null, score: 66.3, scoreDelta: 3.8 });
    expect(report.problems.map((p) => p.title)).toEqual(['Отопление · Центральный']);
    expect(report.late).toBeUndefined();
    expect(report.best).toBeUndefined();

    const text = ru.weeklyReport(report);
    expect(text).toContain('• Поступило обращений: 5 (+1)');
    expect(text).toContain('• Ответы в срок: 40 % (+40 п. п.)');
    expect(text).toContain('• Первый ответ (медиана): 4 раб. ч (−21,6 ч)');
    expect(text).toContain('• Оценки 4–5: —');
    expect(text).toContain('Место в рейтинге: 2 из 2, балл 66 (+4).');
    // Nothing of the other department.
    expect(text).not.toContain(nameOf('roads-transport')?.name);
  });

  it('when the roads head asks, then the housing problem is not theirs', async () => {
    const report = await buildWeeklyReport(
      deps(at(MONDAY)),
      { role: 'department_head', department: 'roads-transport' },
      local(MONDAY),
    );
    expect(report?.problems).toEqual([]);
    expect(report?.current).toMatchObject({ cases: 5, answered: 5, onTimeShare: 1, firstResponseHours: 2 });
    expect(
      await buildWeeklyReport(deps(at(MONDAY)), { role: 'official', department: 'roads-transport' }, local(MONDAY)),
    ).toBeNull();
  });

  const rowsOf = (weekStart: string) =>
    db()
      .selectFrom('weekly_report')
      .select(['official_id', 'outcome'])
      .where(sql<string>`week_start::text`, '=', weekStart)
      .orderBy('official_id')
      .execute();

  it('when it runs on a working Monday, then one send per reachable recipient, once; on Tuesday nothing', async () => {
    const jobs = recordingQueue();
    const outcome = await planWeeklyReports({ ...deps(at(MONDAY)), jobs });
    expect(outcome).toEqual({ status: 'planned', date: '2026-11-30', weekStart: '2026-11-30', planned: 3 });
    // The official is no recipient; the block owner bound no messenger.
    expect(jobs.jobs.map((j) => j.payload)).toEqual(
      [people.curator, people.head, people.housingHead].map((officialId) => ({ officialId, weekStart: '2026-11-30' })),
    );
    expect(jobs.jobs.every((j) => j.name === 'send-weekly-report')).toBe(true);

    const again = recordingQueue();
    expect(await planWeeklyReports({ ...deps(at('2026-11-30 09:00')), jobs: again })).toMatchObject({ planned: 0 });
    expect(again.jobs).toEqual([]);
    expect(await planWeeklyReports({ ...deps(at('2026-12-01 08:30')), jobs: again })).toEqual({
      status: 'not_first',
      date: '2026-12-01',
    });
    expect(await rowsOf('2026-11-30')).toHaveLength(3);
    expect(weeklyReportCron('08:30')).toBe('30 8 * * *');
  });

  it('when Monday is a holiday (23 February), then nothing that day and the report goes on Tuesday', async () => {
    const jobs = recordingQueue();
    expect(await planWeeklyReports({ ...deps(at('2026-02-23 08:30')), jobs })).toEqual({ status: 'day_off', date: '2026-02-23' });
    expect(jobs.jobs).toEqual([]);
    expect(await planWeeklyReports({ ...deps(at('2026-02-24 08:30')), jobs })).toEqual({
      status: 'planned',
      date: '2026-02-24',
      weekStart: '2026-02-23',
      planned: 3,
    });
    expect(await rowsOf('2026-02-23')).toHaveLength(3);
  });

  /** A channel port that answers per messenger as told, and records every send. */
  function messengers(answers: Partial<Record<Channel, DeliveryResult['status']>> = {}) {
    const sent: { to: string; report: WeeklyReport }[] = [];
    const tried: string[] = [];
    const port: ChannelPort = {
      send: async (to, message) => {
        tried.push(`${to.channel}:${to.chatId}`);
        const status = answers[to.channel] ?? 'sent';
        if (status === 'blocked') return { status, reason: 'Forbidden: bot was blocked by the user' };
        if (message.kind === 'weekly_report') sent.push({ to: to.chatId, report: message.report });
        return { status: 'sent' };
      },
      edit: async () => ({ status: 'failed', reason: 'no edits in this test' }),
    };
    return { port, sent, tried };
  }

  it('when the send job runs twice, then the report goes once, rendered for the messenger', async () => {
    const m = messengers();
    const send = { ...deps(at('2026-11-30 08:31')), jobs: recordingQueue(), outbound: m.port };
    const payload = { officialId: people.curator as number, weekStart: '2026-11-30' };
    expect(await sendWeeklyReport(send, payload)).toBe('sent');
    expect(await sendWeeklyReport(send, payload)).toBe('already');
    expect(m.sent).toHaveLength(1);
    expect(m.sent[0]?.report.current.cases).toBe(10);
    const rendered = render(
      { kind: 'weekly_report', report: m.sent[0]?.report as WeeklyReport },
      { channel: 'telegram', chatId: '1' },
      domain.city,
    );
    expect(rendered.text).toMatch(/^📊 Еженедельный отчёт/);
    expect(rendered.buttons).toEqual([]);
    expect((await rowsOf('2026-11-30')).find((r) => r.official_id === payload.officialId)?.outcome).toBe('sent');
  });

  it('when the preferred messenger is blocked, then the other gets it; blocked everywhere, it is recorded and not retried', async () => {
    const both = await seedOfficial(db(), {
      role: 'head',
      department: 'mcu',
      accounts: [
        { channel: 'max', userId: '9101', chatId: '7701' },
        { channel: 'telegram', userId: '5101' },
      ],
      at: local(MONDAY),
    });
    const plan = recordingQueue();
    expect(await planWeeklyReports({ ...deps(at('2026-11-30 10:00')), jobs: plan })).toMatchObject({ planned: 1 });
    const m = messengers({ max: 'blocked' });
    const send = { ...deps(at('2026-11-30 10:01')), jobs: recordingQueue(), outbound: m.port };
    expect(await sendWeeklyReport(send, { officialId: both.id, weekStart: '2026-11-30' })).toBe('sent');
    expect(m.tried).toEqual(['max:7701', 'telegram:5101']);
    expect(m.sent.map((s) => s.to)).toEqual(['5101']);

    const blocked = messengers({ telegram: 'blocked' });
    const head = { officialId: people.head as number, weekStart: '2026-11-30' };
    const blockedDeps = { ...deps(at('2026-11-30 10:02')), jobs: recordingQueue(), outbound: blocked.port };
    expect(await sendWeeklyReport(blockedDeps, head)).toBe('blocked');
    expect(await sendWeeklyReport(blockedDeps, head)).toBe('already');
    expect((await rowsOf('2026-11-30')).find((r) => r.official_id === head.officialId)?.outcome).toBe('blocked');
  });

  it('when the send only runs in the quiet hours, then it waits for their end; in a later week it is dropped', async () => {
    const m = messengers();
    const jobs = recordingQueue();
    const payload = { officialId: people.housingHead as number, weekStart: '2026-11-30' };
    expect(await sendWeeklyReport({ ...deps(at('2026-11-30 23:00')), jobs, outbound: m.port }, payload)).toBe('deferred');
    expect(jobs.jobs).toEqual([{ name: 'send-weekly-report', payload, startAfter: local('2026-12-01 08:00') }]);
    expect(m.sent).toEqual([]);
    expect(await sendWeeklyReport({ ...deps(at('2026-12-07 09:00')), jobs, outbound: m.port }, payload)).toBe('skipped');
    expect((await rowsOf('2026-11-30')).find((r) => r.official_id === payload.officialId)?.outcome).toBe('skipped:late');
  });

  it('when staff ask /report, then the same report for them; a plain official may not', async () => {
    const clock = at('2026-11-30 11:00');
    const d = () => ({ ...deps(clock), jobs: null as never, pollDelayMs: 0 });
    const conversation = { city: domain.city, people: bindPeople(d), commands: bindCommands(d) };
    const tg = (userId: string) => ({ channel: 'telegram' as const, userId });
    const telegramOf = async (id: number) =>
      (
        await db()
          .selectFrom('official_account')
          .select('user_id')
          .where('official_id', '=', id)
          .where('channel', '=', 'telegram')
          .executeTakeFirstOrThrow()
      ).user_id;
    const curator = await staffCommand(conversation, tg(await telegramOf(people.curator as number)), 'report', '');
    expect(curator?.text).toContain('• Поступило обращений: 10 (+2)');
    const head = await staffCommand(conversation, tg(await telegramOf(people.housingHead as number)), 'report', '');
    expect(head?.text).toContain('Место в рейтинге: 2 из 2');
    expect((await staffCommand(conversation, tg(await telegramOf(people.official as number)), 'report', ''))?.text).toBe(
      'Недостаточно прав.',
    );
    expect((await staffCommand(conversation, tg('99999'), 'report', ''))?.text).toBe('Недостаточно прав.');
  });
});
