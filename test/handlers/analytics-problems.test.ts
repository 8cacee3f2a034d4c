import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBoundaries } from '../../config/boundaries.js';
import { loadDomainConfig } from '../../config/domain.js';
import { factsReady, heatmap, problems } from '../../handlers/analytics/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { Db } from '../../models/database.js';
import { PROBLEM_STATUSES, problemFactList, problemList } from '../../models/problem-lifecycle.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedAnswer, seedCase } from '../helpers/rows.js';

/** The problem list's lifecycle and ordering, and the heat map (2.2.7), on small fixtures. problemResolvedAfterDays: 14. */
describe('problems and the heat map (2.2.7)', () => {
  let testDb: TestDatabase;
  let db: Db;
  const domain = loadDomainConfig('config/barnaul.yaml');
  const clock = new ManualClock(local('2026-11-02 12:00'));
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const deps = () => ({ db, clock, calendar, domain });

  const newProblem = async (category: string, district: string, title: string) =>
    (
      await db
        .insertInto('problem')
        .values({ category, district, title, first_at: clock.now(), last_at: clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const list = async (query: {
    district?: string;
    sort?: 'volume' | 'growth';
    status?: 'open' | 'in_work' | 'resolved' | 'recurring';
  }) => {
    const outcome = await problems(deps(), { sort: 'volume', windowDays: 30, limit: 100, ...query });
    if (outcome.status !== 'ok') throw new Error(outcome.message);
    return outcome.items;
  };
  const answer = async (caseId: number, at: string) => {
    await seedAnswer(db, { case_id: caseId, quality: '{"ok":true}', at: local(at) });
    await db.updateTable('case').set({ status: 'answered' }).where('id', '=', caseId).execute();
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('analytics_problems', { migrate: true });
    db = testDb.handle.db;
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it('when a problem goes through its life, then it is open → in work → resolved after N quiet days → recurring → resolved', async () => {
    const id = await newProblem('roads', 'central', 'Ямы — ул. Ленина');
    const x1 = await seedCase(db, {
      problem_id: id,
      category: 'roads',
      district: 'central',
      department: 'roads-transport',
      at: local('2026-11-02 10:00'),
    });
    const status = async () => (await list({ district: 'central' })).find((p) => p.id === id);

    expect(await status()).toMatchObject({ status: 'open', volume: 1, recurrences: 0, resolvedAt: null });
    await db.updateTable('case').set({ status: 'in_progress' }).where('id', '=', x1.id).execute();
    expect((await status())?.status).toBe('in_work');

    await answer(x1.id, '2026-11-05 10:00');
    clock.set(local('2026-11-19 09:59'));
    expect((await status())?.status).toBe('in_work'); // answered, but not quiet for 14 days yet
    clock.set(local('2026-11-19 10:00'));
    expect(await status()).toMatchObject({ status: 'resolved', resolvedAt: local('2026-11-19 10:00') });

    // Reopened by the citizen: no longer resolved, and not a recurrence (no new case).
    await db.updateTable('case').set({ status: 'reopened' }).where('id', '=', x1.id).execute();
    expect(await status()).toMatchObject({ status: 'in_work', recurrences: 0 });
    await db.updateTable('case').set({ status: 'answered' }).where('id', '=', x1.id).execute();

    // A new case after it was resolved: recurring.
    clock.set(local('2026-11-25 12:00'));
    const x2 = await seedCase(db, {
      problem_id: id,
      category: 'roads',
      district: 'central',
      department: 'roads-transport',
      at: local('2026-11-25 10:00'),
    });
    expect(await status()).toMatchObject({ status: 'recurring', volume: 2, recurrences: 1 });
    await answer(x2.id, '2026-11-26 10:00');
    clock.set(local('2026-12-10 10:00'));
    expect(await status()).toMatchObject({
      status: 'resolved',
      recurrences: 1,
      resolvedAt: local('2026-12-10 10:00'),
      firstSeen: local('2026-11-02 10:00'),
      lastSeen: local('2026-11-25 10:00'),
      districts: ['central'],
      categories: ['roads'],
      department: 'roads-transport',
    });
    expect((await list({ district: 'central', status: 'resolved' })).map((p) => p.id)).toEqual([id]);
    expect(await list({ district: 'central', status: 'open' })).toEqual([]);
  });

  it('when problems are sorted by volume or by growth, then the big old one and the fast new one swap places', async () => {
    clock.set(local('2026-12-10 10:00'));
    const old = await newProblem('waste', 'industrial', 'Мусор — пр. Космонавтов');
    const fresh = await newProblem('yards', 'industrial', 'Двор — ул. Попова');
    // Old: 4 cases 40–50 days ago (the previous 30-day window), none in the last 30 days: growth −4.
    for (const day of ['2026-10-25 10:00', '2026-10-26 10:00', '2026-10-27 10:00', '2026-10-28 10:00'])
      await seedCase(db, { problem_id: old, category: 'waste', district: 'industrial', at: local(day) });
    // Fresh: 2 cases this week: growth +2.
    for (const day of ['2026-12-08 10:00', '2026-12-09 10:00'])
      await seedCase(db, {
        problem_id: fresh,
        category: 'yards',
        district: 'leninsky',
        department: 'landscaping',
        at: local(day),
      });

    const byVolume = await list({ district: 'industrial' });
    expect(byVolume.map((p) => [p.id, p.volume])).toEqual([
      [old, 4],
      [fresh, 2],
    ]);
    expect(byVolume[0]?.trend).toEqual({ recent: 0, previous: 4, growth: -4 });
    const byGrowth = await list({ district: 'industrial', sort: 'growth' });
    expect(byGrowth.map((p) => p.id)).toEqual([fresh, old]);
    // Its cases' districts and department, not only the cluster's own.
    expect(byGrowth[0]).toMatchObject({
      trend: { recent: 2, previous: 0, growth: 2 },
      districts: ['leninsky'],
      department: 'landscaping',
      status: 'open',
    });
  });

  it('when the filters name an unknown category or district, then the outcome names the field', async () => {
    expect(await problems(deps(), { sort: 'volume', windowDays: 30, limit: 10, category: 'nope' })).toMatchObject({
      code: 'UNKNOWN_CATEGORY',
    });
    expect(await problems(deps(), { sort: 'volume', windowDays: 30, limit: 10, district: 'nope' })).toMatchObject({
      code: 'UNKNOWN_DISTRICT',
    });
  });

  it("when the list is read through the problems' facts, then it equals the aggregation of the cases themselves", async () => {
    // A merged duplicate with an answer of its own, and a third problem opened again after resolving.
    clock.set(local('2026-12-10 10:00'));
    const third = await newProblem('roads', 'leninsky', 'Ямы — ул. Малахова');
    const y1 = await seedCase(db, { problem_id: third, category: 'roads', district: 'leninsky', at: local('2026-11-01 10:00') });
    await answer(y1.id, '2026-11-02 10:00');
    await seedCase(db, {
      problem_id: third,
      category: 'roads',
      district: 'leninsky',
      merged_into: y1.id,
      status: 'closed',
      at: local('2026-11-20 10:00'),
    });
    await seedCase(db, { problem_id: third, category: 'roads', district: 'central', at: local('2026-12-01 10:00') });
    for (const at of ['2026-12-10 10:00', '2027-01-20 10:00']) {
      clock.set(local(at));
      expect(await factsReady(deps())).toBe(true);
      const now = clock.now();
      for (const query of [
        { sort: 'volume' as const },
        { sort: 'growth' as const, windowDays: 7 },
        ...PROBLEM_STATUSES.map((status) => ({ sort: 'volume' as const, status })),
        { sort: 'volume' as const, district: 'leninsky', offset: 1 },
      ]) {
        const q = { now, resolvedAfterDays: 14, windowDays: 30, limit: 100, ...query };
        const facts = await problemFactList(db, q);
        expect(facts).toEqual(await problemList(db, q));
        if (query.sort === 'volume' && !('status' in query) && !('district' in query)) expect(facts.length).toBeGreaterThan(3);
      }
    }
    expect((await list({ district: 'leninsky' })).find((p) => p.id === third)).toMatchObject({ volume: 3, recurrences: 1 });
  });

  describe('the heat map', () => {
    const from = local('2027-02-01 00:00');
    const to = local('2027-03-01 00:00');
    const boundaries = loadBoundaries(
      'test/fixtures/districts.geojson',
      domain.districts.map((d) => d.id),
    );
    const at = (s: string) => local(`2027-02-${s}`);

    beforeAll(async () => {
      clock.set(local('2027-03-10 10:00'));
      const place = (district: string | null, category: string | null) => ({ district, category, department: 'roads-transport' });
      // central × roads: 3 cases, one answered after its deadline (overdue), one on time, one open not yet due.
      const late = await seedCase(db, { ...place('central', 'roads'), deadline_at: at('05 17:00'), at: at('02 10:00') });
      await seedAnswer(db, { case_id: late.id, at: at('06 10:00') });
      const onTime = await seedCase(db, { ...place('central', 'roads'), deadline_at: at('05 17:00'), at: at('03 10:00') });
      await seedAnswer(db, { case_id: onTime.id, at: at('04 10:00') });
      await seedCase(db, { ...place('central', 'roads'), deadline_at: local('2027-03-20 17:00'), at: at('20 10:00') });
      // central × yards: 1 case.
      await seedCase(db, { ...place('central', 'yards'), deadline_at: local('2027-03-20 17:00'), at: at('10 10:00') });
      // leninsky × roads: open past its deadline (overdue) and paused past its deadline (not overdue).
      await seedCase(db, { ...place('leninsky', 'roads'), deadline_at: at('12 17:00'), at: at('10 10:00') });
      await seedCase(db, {
        ...place('leninsky', 'roads'),
        deadline_at: at('12 17:00'),
        paused_at: at('11 10:00'),
        at: at('10 11:00'),
      });
      // Left out: a merged duplicate, a case without a district, a case outside the period.
      await seedCase(db, { ...place('central', 'roads'), merged_into: late.id, status: 'closed', at: at('02 11:00') });
      await seedCase(db, { ...place(null, 'roads'), at: at('02 12:00') });
      await seedCase(db, { ...place('central', 'roads'), at: local('2027-03-02 10:00') });
    });

    const grid = async (metric: string, withBoundaries = false) => {
      const outcome = await heatmap({ ...deps(), boundaries }, { from, to, metric, boundaries: withBoundaries });
      if (outcome.status !== 'ok') throw new Error(outcome.message);
      return outcome.report;
    };
    const value = (r: Awaited<ReturnType<typeof grid>>, district: string, category: string) =>
      r.values[r.districts.findIndex((d) => d.id === district)]?.[r.categories.findIndex((c) => c.id === category)];

    it('when the metric is count, then each district × category cell holds its cases', async () => {
      const r = await grid('count');
      expect(r.cells).toEqual([
        { district: 'central', category: 'roads', cases: 3, overdue: 1, value: 3 },
        { district: 'central', category: 'yards', cases: 1, overdue: 0, value: 1 },
        { district: 'leninsky', category: 'roads', cases: 2, overdue: 1, value: 2 },
      ]);
      expect(value(r, 'central', 'roads')).toBe(3);
      expect(value(r, 'industrial', 'roads')).toBe(0);
      expect(r.values).toHaveLength(5);
      expect(r.totals.find((t) => t.district === 'central')).toEqual({ district: 'central', cases: 4, overdue: 1, value: 4 });
      expect(r.boundaries).toBeUndefined();
    });

    it('when the metric is per10k, then cases are divided by the district population (barnaul.yaml)', async () => {
      const r = await grid('per10k');
      // 3 / 128,290 × 10,000 = 0.2338…; 2 / 103,700 × 10,000 = 0.1928…; the district total 4 / 128,290 × 10,000 = 0.3117…
      expect(value(r, 'central', 'roads')).toBe(0.23);
      expect(value(r, 'leninsky', 'roads')).toBe(0.19);
      expect(r.totals.find((t) => t.district === 'central')?.value).toBe(0.31);
      expect(r.districts.find((d) => d.id === 'central')?.population).toBe(128290);
    });

    it('when the metric is overdue, then a paused case past its deadline does not count', async () => {
      const r = await grid('overdue');
      expect(value(r, 'central', 'roads')).toBe(1);
      expect(value(r, 'leninsky', 'roads')).toBe(1);
      expect(value(r, 'central', 'yards')).toBe(0);
    });

    it('when boundaries are asked for, then the districts come as GeoJSON with their totals', async () => {
      const r = await grid('count', true);
      expect(r.boundaries?.features.map((f) => f.properties)).toEqual([
        { district: 'central', name: 'Центральный район', value: 4 },
        { district: 'industrial', name: 'Индустриальный район', value: 0 },
      ]);
      expect(r.boundaries?.features[1]?.geometry.type).toBe('MultiPolygon');
    });

    it('when the metric or the period is wrong, then the outcome names the field', async () => {
      const d = deps();
      expect(await heatmap(d, { from, to, metric: 'density' })).toMatchObject({ code: 'INVALID_METRIC' });
      expect(await heatmap(d, { from: to, to: from, metric: 'count' })).toMatchObject({ code: 'INVALID_FROM' });
    });
  });
});
