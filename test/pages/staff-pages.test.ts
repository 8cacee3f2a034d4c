import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_COMMANDS, staffCommand } from '../../bots/conversation/staff.js';
import { ru } from '../../bots/texts/ru.js';
import { loadDomainConfig } from '../../config/domain.js';
import { bindPages, pageInputSchema } from '../../handlers/pages/index.js';
import { bindPeople } from '../../handlers/people/index.js';
import { hasReportContent } from '../../handlers/reports/index.js';
import { ManualClock } from '../../lib/clock.js';
import type { Db } from '../../models/database.js';
import type { WeeklyReport } from '../../models/report-repository.js';
import { local } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedOfficial } from '../helpers/rows.js';

/**
 * /pages in the staff conversation (any messenger: bots/conversation/staff.ts) on a real database: a
 * department's staff see their pages, those needing attention first, with the latest score; `cases:all`
 * sees every page; a citizen is refused. And the weekly report's «Официальные страницы» as sent.
 */
describe('the staff command /pages', () => {
  let testDb: TestDatabase;
  let db: Db;
  const domain = loadDomainConfig('config/barnaul.yaml');
  const clock = new ManualClock(local('2026-11-30 10:00'));
  let conversation: Parameters<typeof staffCommand>[0];
  const tg = (userId: string) => ({ channel: 'telegram' as const, userId });
  const roads = domain.departments.find((d) => d.id === 'roads-transport')?.name ?? '';

  beforeAll(async () => {
    testDb = await createTestDatabase('pages_staff', { migrate: true });
    db = testDb.handle.db;
    const deps = () => ({ db, clock, domain, calendar: null as never, log: null as never, jobs: null as never, pollDelayMs: 0 });
    const pages = bindPages(deps);
    conversation = { city: domain.city, people: bindPeople(deps), pages };
    await seedOfficial(db, { role: 'department_head', department: 'roads-transport', telegram: '8001' });
    await seedOfficial(db, { role: 'coordinator', department: 'info-policy', telegram: '8002' });
    await seedOfficial(db, { role: 'official', department: 'adm-central', telegram: '8003' });
    const service = { kind: 'service' as const, actor: { type: 'cli' as const } };
    const add = async (over: Record<string, unknown>) => {
      const outcome = await pages.create(service, pageInputSchema.parse({ ownerDepartment: 'roads-transport', ...over }));
      if (outcome.status !== 'ok') throw new Error(outcome.message);
      return outcome.value.id;
    };
    const scored = await add({ link: 'https://vk.com/roads_barnaul', title: 'Дороги Барнаула' });
    await db
      .insertInto('page_snapshot')
      .values({ page_id: scored, taken_at: local('2026-11-30 09:00'), readable: true, figures: '{}', score: '74.5' })
      .execute();
    await db
      .updateTable('official_page')
      .set({ readable: true, last_checked_at: local('2026-11-30 09:00') })
      .where('id', '=', scored)
      .execute();
    const hidden = await add({ link: '@roads_private' });
    await db
      .updateTable('official_page')
      .set({ readable: false, unreadable_reason: 'бот не администратор канала', last_checked_at: local('2026-11-30 09:00') })
      .where('id', '=', hidden)
      .execute();
    await add({ link: 'https://max.ru/roads_barnaul', status: 'planned' });
    await add({ link: 'https://vk.com/old_roads', status: 'closed' });
    await add({ link: 'https://t.me/housing_barnaul', ownerDepartment: 'housing-utilities', title: 'ЖКХ Барнаула' });
  });
  afterAll(async () => testDb?.drop());

  it('when /pages is a staff command, then every messenger offers it and the menu and help name it', () => {
    expect(STAFF_COMMANDS).toContain('pages');
    expect(ru.staffCommands.map((c) => c.command)).toContain('pages');
    expect(ru.officialHelp).toContain('/pages');
  });

  it('when a department head asks /pages, then their pages, the unreadable first with its reason, closed ones left out', async () => {
    const reply = await staffCommand(conversation, tg('8001'), 'pages', '');
    expect(reply?.text.split('\n')).toEqual([
      `Официальные страницы — ${roads}: действуют 2, планируются 1.`,
      'Средний балл: 74,5; не читаются: 1.',
      '',
      '• @roads_private (Telegram) — не читается: бот не администратор канала',
      '• Дороги Барнаула (VK) — 74,5 б.',
      '• roads_barnaul (MAX) — планируется',
    ]);
  });

  it('when a coordinator (cases:all) asks, then every department’s pages; an official of a department with none hears so', async () => {
    const all = await staffCommand(conversation, tg('8002'), 'pages', '');
    expect(all?.text).toMatch(/^Официальные страницы — все подразделения: действуют 3, планируются 1\./);
    expect(all?.text).toContain('ЖКХ Барнаула (Telegram) — ещё не проверялась');
    const none = await staffCommand(conversation, tg('8003'), 'pages', '');
    expect(none?.text).toMatch(/^Официальных страниц в реестре нет/);
  });

  it('when a citizen asks /pages, then «Недостаточно прав»; without the feature wired, nothing is said', async () => {
    expect((await staffCommand(conversation, tg('9999'), 'pages', ''))?.text).toBe('Недостаточно прав.');
    expect(await staffCommand({ city: domain.city }, tg('8001'), 'pages', '')).toBeNull();
  });

  it('when the weekly report has pages, then «Официальные страницы» says the count, the score and what needs attention', () => {
    const report: WeeklyReport = {
      week: { from: '2026-11-23', to: '2026-11-29' },
      scope: 'department',
      name: roads,
      current: { cases: 0, answered: 0, onTimeShare: null, firstResponseHours: null, satisfaction45: null },
      previous: { cases: 0, answered: 0, onTimeShare: null, firstResponseHours: null, satisfaction45: null },
      overdueNow: 0,
      problems: [],
      recommendations: [],
      pages: { count: 3, averageScore: 61.3, silent: 1, silentDays: 7, unanswered: 2, replyTermHours: 8, unreadable: 0 },
    };
    const text = ru.weeklyReport(report);
    expect(text).toContain(
      [
        'Официальные страницы:',
        'Действуют: 3; средний балл: 61,3.',
        'Молчат дольше 7 дн.: 1.',
        'Комментарии жителей без ответа дольше 8 раб. ч: 2.',
      ].join('\n'),
    );
    expect(text).not.toContain('Не удаётся прочитать');
    // Pages that need attention are something to say; pages that are fine, with no cases, are not.
    expect(hasReportContent(report)).toBe(true);
    const quiet = { ...report, pages: { ...report.pages, silent: 0, unanswered: 0 } } as WeeklyReport;
    expect(hasReportContent(quiet)).toBe(false);
  });
});
