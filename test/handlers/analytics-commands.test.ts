import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffCommand } from '../../bots/conversation/staff.js';
import { loadDomainConfig } from '../../config/domain.js';
import { bindCommands } from '../../handlers/commands/index.js';
import { bindPeople } from '../../handlers/people/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { Db } from '../../models/database.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedAnswer, seedCase, seedOfficial } from '../helpers/rows.js';

/**
 * /rating and /problems in the staff conversation, on a real database: who may see what, and that the
 * reply carries the analytics' figures (the figures themselves are proven in analytics-ratings.test.ts).
 */
describe('staff commands /rating and /problems', () => {
  let testDb: TestDatabase;
  let db: Db;
  const domain = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const clock = new ManualClock(local('2026-11-30 10:00'));
  const city = domain.city;
  let conversation: Parameters<typeof staffCommand>[0];

  beforeAll(async () => {
    testDb = await createTestDatabase('analytics_commands', { migrate: true });
    db = testDb.handle.db;
    const log = (await import('pino')).pino({ level: 'silent' });
    const deps = () => ({ db, clock, calendar, domain, log, jobs: null as never, pollDelayMs: 0 });
    conversation = { city, people: bindPeople(deps), commands: bindCommands(deps) };
    await seedOfficial(db, { role: 'curator', department: 'mcu', telegram: '7001' });
    await seedOfficial(db, { role: 'department_head', department: 'housing-utilities', telegram: '7002' });
    const problem = await db
      .insertInto('problem')
      .values({
        category: 'heating',
        district: 'central',
        title: 'Отопление · Центральный',
        first_at: local('2026-11-20 09:00'),
        last_at: local('2026-11-25 09:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Six cases of housing-utilities (over the minimum of 5), five answered on time; two of roads (under it).
    for (let i = 0; i < 6; i++) {
      const c = await seedCase(db, {
        department: 'housing-utilities',
        category: 'heating',
        district: 'central',
        problem_id: problem.id,
        status: i < 5 ? 'answered' : 'assigned',
        deadline_at: local('2026-11-27 17:00'),
        at: local(`2026-11-2${i} 09:00`),
      });
      if (i < 5)
        await seedAnswer(db, {
          case_id: c.id,
          quality: JSON.stringify({ ok: true, problems: [] }),
          at: local('2026-11-26 10:00'),
        });
    }
    for (let i = 0; i < 2; i++)
      await seedCase(db, {
        department: 'roads-transport',
        status: 'assigned',
        deadline_at: local('2026-12-10 17:00'),
        at: local('2026-11-25 09:00'),
      });
  });

  afterAll(async () => {
    await testDb?.drop();
  });

  const tg = (userId: string) => ({ channel: 'telegram' as const, userId });

  it('when a curator asks /rating, then every department is listed: the ranked one with its figures, the small one apart', async () => {
    const reply = await staffCommand(conversation, tg('7001'), 'rating', '30');
    expect(reply?.text).toMatch(/^Рейтинг подразделений за 30 дн\.:/);
    const name = domain.departments.find((d) => d.id === 'housing-utilities')?.name ?? '';
    expect(reply?.text).toContain(`1. ${name}`);
    expect(reply?.text).toContain('обращений 6');
    expect(reply?.text).toMatch(/Вне рейтинга \(меньше 5 обращений/);
  });

  it('when a department head asks /rating, then only their department is shown', async () => {
    const reply = await staffCommand(conversation, tg('7002'), 'rating', '');
    expect(reply?.text).toMatch(/^Рейтинг вашего подразделения за 30 дн\.:/);
    const roads = domain.departments.find((d) => d.id === 'roads-transport')?.name ?? 'roads-transport';
    expect(reply?.text).not.toContain(roads);
  });

  it('when the period is not 1–366 days, then the usage; when a citizen asks, then «Недостаточно прав»', async () => {
    expect((await staffCommand(conversation, tg('7001'), 'rating', '0'))?.text).toMatch(/^Команда: \/rating/);
    expect((await staffCommand(conversation, tg('7001'), 'rating', 'год'))?.text).toMatch(/^Команда: \/rating/);
    expect((await staffCommand(conversation, tg('9999'), 'rating', ''))?.text).toBe('Недостаточно прав.');
    expect((await staffCommand(conversation, tg('9999'), 'problems', ''))?.text).toBe('Недостаточно прав.');
  });

  it('when a curator asks /problems, then the open problem is listed with its volume; a department head may not', async () => {
    const reply = await staffCommand(conversation, tg('7001'), 'problems', '');
    expect(reply?.text).toContain('Отопление · Центральный — 6');
    expect((await staffCommand(conversation, tg('7002'), 'problems', ''))?.text).toBe('Недостаточно прав.');
  });
});
