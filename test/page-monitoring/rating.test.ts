import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { ratings, scoreHistory } from '../../handlers/analytics/index.js';
import { PAGE_DEFAULTS } from '../../handlers/page-monitoring/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { Db } from '../../models/database.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedAnswer, seedCase } from '../helpers/rows.js';

/**
 * The digital component of the department rating: the mean of the department's pages' scores in the period
 * (the last round of each page in it; a page that could not be read left out), weighted by `pages.ratingWeight`
 * among the rating's other components. Without the weight the rating is what it was.
 */
describe('the department rating with the digital component (real PostgreSQL)', () => {
  let testDb: TestDatabase;
  let db: Db;
  const barnaul = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const clock = new ManualClock(local('2026-11-30 10:00'));
  const period = { from: local('2026-11-02 00:00'), to: local('2026-11-16 00:00') };
  const withWeight = (ratingWeight: number) => ({ ...barnaul, pages: { ...PAGE_DEFAULTS, ratingWeight } });
  const roadsRow = async (domain: typeof barnaul) => {
    const outcome = await ratings({ db, clock, calendar, domain }, period);
    if (outcome.status !== 'ok') throw new Error(outcome.status);
    return {
      row: [...outcome.report.ranked, ...outcome.report.unranked].find((r) => r.department === 'roads-transport'),
      report: outcome.report,
    };
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('page_rating', { migrate: true });
    db = testDb.handle.db;
    // One case, answered in time, cleanly: every case component is 1 (no polls: satisfaction left out).
    const c = await seedCase(db, {
      department: 'roads-transport',
      status: 'answered',
      deadline_at: local('2026-11-10 17:00'),
      at: local('2026-11-02 10:00'),
    });
    await seedAnswer(db, { case_id: c.id, quality: JSON.stringify({ ok: true, problems: [] }), at: local('2026-11-03 10:00') });
    const page = async (title: string) =>
      (
        await db
          .insertInto('official_page')
          .values({
            platform: 'vk',
            external_id: title,
            url: `https://vk.com/${title}`,
            owner_department: 'roads-transport',
            status: 'active',
            created_at: local('2026-10-01 10:00'),
            updated_at: local('2026-10-01 10:00'),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const snapshot = (pageId: number, at: string, readable: boolean, score: string | null) =>
      db
        .insertInto('page_snapshot')
        .values({
          page_id: pageId,
          taken_at: local(at),
          readable,
          reason: readable ? null : 'частное сообщество',
          figures: '{}',
          score,
        })
        .execute();
    const a = await page('roads_a');
    const b = await page('roads_b');
    await snapshot(a, '2026-11-03 10:00', true, '90.00');
    await snapshot(a, '2026-11-12 10:00', true, '60.00'); // the period's last round of page a
    await snapshot(a, '2026-11-20 10:00', true, '10.00'); // after the period
    await snapshot(b, '2026-11-05 10:00', true, '20.00');
    await snapshot(b, '2026-11-14 10:00', false, null); // page b could not be read at the end: left out
  });
  afterAll(async () => testDb.drop());

  it('when the domain file has no pages section or a weight of 0, then the rating is unchanged', async () => {
    // barnaul.yaml has the section (weight 0.1): without it, as a domain file may be written.
    const plain = await roadsRow({ ...barnaul, pages: undefined });
    expect(plain.row?.score).toBe(100);
    expect(plain.row).not.toHaveProperty('digital');
    expect(plain.report).not.toHaveProperty('digitalWeight');
    const zero = await roadsRow(withWeight(0));
    expect(zero.row).toEqual(plain.row);
  });

  it('when pages.ratingWeight is set, then the department’s digital score joins the weighted mean', async () => {
    const { row, report } = await roadsRow(withWeight(0.1));
    expect(row?.digital).toEqual({ score: 60, weight: 0.1 });
    expect(report.digitalWeight).toBe(0.1);
    // Present weights: onTime 0.3 + answered 0.15 + completeness 0.2 + reopened 0.1 + repeats 0.05 = 0.8 (all 1),
    // plus digital 0.1 × 0.6: (0.8 + 0.06) / 0.9 = 95.6.
    expect(row?.score).toBe(Math.round(((0.8 + 0.06) / 0.9) * 1000) / 10);
    expect(row?.score).toBe(95.6);
  });

  it('when the score history is asked with pages.ratingWeight, then each period’s score has that period’s digital component', async () => {
    const later = { from: local('2026-11-16 00:00'), to: local('2026-11-30 00:00') };
    const history = await scoreHistory(
      { db, clock, calendar, domain: withWeight(0.1) },
      { periods: [period, later], department: 'roads-transport' },
    );
    if (history.status !== 'ok') throw new Error(history.status);
    // The first period as the rating: (0.8 + 0.1 × 0.6) / 0.9; the later one has no case: no score.
    expect(history.scores.get('roads-transport')).toEqual([95.6, null]);
    const plain = await scoreHistory({ db, clock, calendar, domain: { ...barnaul, pages: undefined } }, { periods: [period] });
    if (plain.status !== 'ok') throw new Error(plain.status);
    expect(plain.scores.get('roads-transport')).toEqual([100]);
  });
});
