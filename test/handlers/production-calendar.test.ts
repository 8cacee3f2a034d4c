import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ru } from '../../bots/texts/ru.js';
import { loadDomainConfig } from '../../config/domain.js';
import { checkCalendarCoverage, provisionalOpenCases } from '../../handlers/calendar/index.js';
import { startCaseClock } from '../../handlers/cases/deadline-clock.js';
import { caseDetail, decideExtension, requestExtension, resumeCase } from '../../handlers/cases/index.js';
import { ManualClock } from '../../lib/clock.js';
import { type ProductionCalendar, WorkingCalendar } from '../../lib/deadlines/index.js';
import { caseCard } from '../../models/case-query.js';
import { inTransaction } from '../../models/database.js';
import { alertDetails } from '../../models/problem-query.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { seedCase } from '../helpers/rows.js';

/** Barnaul on the shipped calendar (2013–2026), or with 2027 too (its real facts do not matter here). */
function barnaul(with2027 = false): WorkingCalendar {
  const years = new Map(PRODUCTION.years);
  if (with2027) years.set(2027, new Map());
  const productionCalendar: ProductionCalendar = { years };
  return new WorkingCalendar({ productionCalendar, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
}

/**
 * Next year's production calendar on the real database: the operators' weekly alert while 2027 is
 * missing (one per ISO week, whatever the number of runs), and the provisional mark on deadlines
 * counted on the Labour Code fallback — set where a case's clock starts or moves, shown by the API's
 * case view and the official's card.
 */
describe('the production calendar’s next year', () => {
  let testDb: TestDatabase;
  const domain = loadDomainConfig('config/barnaul.yaml');
  const db = () => testDb.handle.db;
  beforeAll(async () => {
    testDb = await createTestDatabase('calendar', { migrate: true });
  });
  afterAll(async () => testDb?.drop());

  describe('the weekly alert', () => {
    const run = (at: string, calendar = barnaul()) => {
      const jobs = recordingQueue();
      return checkCalendarCoverage({ db: db(), jobs, calendar, clock: new ManualClock(local(at)) }).then((outcome) => ({
        outcome,
        jobs: jobs.jobs,
      }));
    };
    const alerts = () =>
      db().selectFrom('alert').select(['id', 'details']).where('kind', '=', 'calendar_missing').orderBy('id').execute();

    it('when it is 30 September, then nothing is raised', async () => {
      expect((await run('2026-09-30 10:00')).outcome).toEqual({ status: 'covered' });
      expect(await alerts()).toEqual([]);
    });

    it('when the job runs on 1 October and again that week, then the operators get exactly one alert', async () => {
      await seedCase(db(), { deadline_provisional: true, status: 'in_progress' });
      await seedCase(db(), { deadline_provisional: true, status: 'closed' });
      const first = await run('2026-10-01 10:00');
      expect(first.outcome).toMatchObject({ status: 'raised', week: '2026-W40', missing: [2027] });
      const alertId = first.outcome.status === 'raised' ? first.outcome.alertId : 0;
      expect(first.jobs).toEqual([{ name: 'notify-operators', payload: { alertId } }]);

      const again = await run('2026-10-01 15:00');
      expect(again.outcome).toEqual({ status: 'already_raised', week: '2026-W40', missing: [2027] });
      expect(again.jobs).toEqual([]);
      expect((await run('2026-10-02 10:00')).jobs).toEqual([]);
      expect((await run('2026-10-03 10:00')).outcome).toEqual({ status: 'day_off', missing: [2027] }); // a Saturday
      expect(await alerts()).toEqual([{ id: alertId, details: { week: '2026-W40', missing: [2027], provisionalOpenCases: 1 } }]);

      // What the operators read.
      const details = await alertDetails(db(), alertId);
      const text = ru.operatorAlert(
        { kind: 'calendar_missing', details: details?.details ?? {}, case: null, problem: null },
        domain.city,
      );
      expect(text).toContain('📅 Нет производственного календаря на 2027 год');
      expect(text).toContain('Открытых обращений с предварительным сроком: 1.');
      expect(text).toContain('mcu calendar import');
    });

    it('when two runs race in a new week, then one alert is raised', async () => {
      const [a, b] = await Promise.all([run('2026-10-05 10:00'), run('2026-10-05 10:00')]);
      expect([a.outcome.status, b.outcome.status].sort()).toEqual(['already_raised', 'raised']);
      expect([...a.jobs, ...b.jobs]).toHaveLength(1);
      expect((await alerts()).map((r) => (r.details as { week: string }).week)).toEqual(['2026-W40', '2026-W41']);
    });

    it('when 2027 has been added, then nothing more is raised', async () => {
      expect((await run('2026-10-12 10:00', barnaul(true))).outcome).toEqual({ status: 'covered' });
      expect(await alerts()).toHaveLength(2);
    });
  });

  describe('provisional deadlines', () => {
    const jobs = recordingQueue();
    const start = async (created: string, calendar = barnaul()) => {
      const c = await seedCase(db(), {
        channel: 'telegram',
        status: 'assigned',
        department: 'roads-transport',
        at: local(created),
      });
      await inTransaction(db(), (tx) =>
        startCaseClock(
          tx,
          { jobs, calendar, domain },
          { caseId: c.id, channel: 'telegram', priority: 'normal', start: local(created) },
        ),
      );
      return c.id;
    };
    const view = async (id: number) => {
      const c = await caseDetail({ db: db(), clock: new ManualClock('2027-01-01') }, id);
      return {
        deadlineAt: c?.deadlineAt,
        provisional: c?.deadlineProvisional,
        card: (await caseCard(db(), id))?.deadline_provisional,
      };
    };

    it('when a case’s 7 working days run into 2027, which the calendar lacks, then its deadline is marked provisional', async () => {
      const id = await start('2026-12-25 10:00');
      expect(await view(id)).toEqual({ deadlineAt: local('2027-01-14 17:00'), provisional: true, card: true });
      expect(await provisionalOpenCases({ db: db() })).toBeGreaterThanOrEqual(1);
    });

    it('when a case’s deadline stays in 2026, or 2027 is known, then it is not provisional', async () => {
      expect(await view(await start('2026-06-01 10:00'))).toMatchObject({ provisional: false, card: false });
      expect(await view(await start('2026-12-25 10:00', barnaul(true)))).toMatchObject({ provisional: false, card: false });
    });

    it('when a paused case resumes and its deadline moves into 2027, then it becomes provisional', async () => {
      const id = await start('2026-12-01 10:00');
      expect((await view(id)).provisional).toBe(false);
      // Due Thu 10 Dec 17:00; waiting from Thu 3 Dec 10:00 to Mon 28 Dec 10:00 is 135.4 working hours: 111.8 of
      // them fill 11–30 Dec, then (art. 112: 1–8 Jan off) Mon 11 and Tue 12 Jan, and 7.2 h of Wed 13 Jan.
      await db()
        .updateTable('case')
        .set({ paused_at: local('2026-12-03 10:00') })
        .where('id', '=', id)
        .execute();
      const clock = new ManualClock(local('2026-12-28 10:00'));
      const resumed = await resumeCase(
        { db: db(), clock, jobs, domain, calendar: barnaul() },
        { caseId: id, actor: { type: 'cli' } },
      );
      expect(resumed).toEqual({ status: 'resumed', deadlineAt: local('2027-01-13 16:00') });
      expect((await view(id)).provisional).toBe(true);
    });

    /** The official asks for the policy's whole `maxExtension` (5wd for social media) and an operator approves. */
    const extend = async (id: number) => {
      const deps = { db: db(), clock: new ManualClock(local('2026-12-20 10:00')), jobs, domain, calendar: barnaul() };
      const asked = await requestExtension(deps, { caseId: id, reason: 'ждём подрядчика', actor: { type: 'cli' } });
      if (asked.status !== 'requested') throw new Error(asked.status);
      return decideExtension(deps, { requestId: asked.requestId, approve: true, actor: { type: 'cli' } });
    };

    it('when a late-December deadline is extended into 2027, which the calendar lacks, then it becomes provisional', async () => {
      const id = await start('2026-12-18 10:00');
      const before = await view(id);
      expect(before.provisional).toBe(false);
      expect(before.deadlineAt?.getTime()).toBeLessThan(local('2027-01-01 00:00').getTime());
      const counted = await provisionalOpenCases({ db: db() });
      const decided = await extend(id);
      expect(decided.status).toBe('approved');
      const after = await view(id);
      expect(after.deadlineAt?.getTime()).toBeGreaterThan(local('2027-01-01 00:00').getTime());
      expect(after).toMatchObject({ provisional: true, card: true });
      // The weekly alert's count (the same query) now includes it.
      expect(await provisionalOpenCases({ db: db() })).toBe(counted + 1);
    });

    it('when an extension stays in 2026, then the deadline stays firm', async () => {
      const id = await start('2026-12-01 10:00');
      expect(await extend(id)).toMatchObject({ status: 'approved', until: local('2026-12-17 17:00') });
      expect(await view(id)).toMatchObject({ deadlineAt: local('2026-12-17 17:00'), provisional: false, card: false });
    });
  });
});
