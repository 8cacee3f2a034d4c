import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDays, factsReady, refreshCaseFacts } from '../../handlers/analytics/index.js';
import { ManualClock } from '../../lib/clock.js';
import { type ProductionCalendar, WorkingCalendar } from '../../lib/deadlines/index.js';
import { heatCells } from '../../models/analytics-heatmap.js';
import { departmentFigures } from '../../models/analytics-query.js';
import { factFigures, factHeatCells } from '../../models/case-facts-query.js';
import type { Db } from '../../models/database.js';
import { caseExportPages } from '../../models/export-query.js';
import { PROBLEM_STATUSES, problemFactList, problemList } from '../../models/problem-lifecycle.js';
import { seedRatingsHistory } from '../fixtures/ratings-history.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedAnswer, seedCase, seedPoll } from '../helpers/rows.js';

/**
 * The ratings read a per-case facts table kept by triggers and a refresher (migration 0028). On the
 * hand-built history of analytics-ratings.test.ts, and after every kind of write that moves a
 * figure, the facts give exactly the figures the direct computation (models/analytics-query.ts)
 * gives from the cases, answers, polls and audit trail — and the problems' facts (migration 0033)
 * the problem list the direct aggregation gives.
 */
describe('ratings facts (migration 0028): the same figures as the direct computation', () => {
  let testDb: TestDatabase;
  let db: Db;
  let ids: Awaited<ReturnType<typeof seedRatingsHistory>>;
  const clock = new ManualClock(local('2026-11-30 10:00'));
  let calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const deps = () => ({ db, clock, calendar });
  const ok = JSON.stringify({ ok: true, problems: [] });

  const periods = [
    // The hand-built period and the one before it: local midnights, so part UTC days at both ends.
    { from: local('2026-11-02 00:00'), to: local('2026-11-16 00:00') },
    { from: local('2026-10-19 00:00'), to: local('2026-11-02 00:00') },
    // Whole UTC days only (the day sums alone), and hours within one day (the facts alone).
    { from: new Date('2026-11-03T00:00:00Z'), to: new Date('2026-11-10T00:00:00Z') },
    { from: local('2026-11-05 09:30'), to: local('2026-11-05 16:00') },
    // Whole UTC months (their histograms) with and without days at either end.
    { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') },
    { from: new Date('2026-10-15T00:00:00Z'), to: new Date('2026-12-05T12:00:00Z') },
    // A year, and a week of nothing.
    { from: local('2025-12-01 00:00'), to: local('2026-12-01 00:00') },
    { from: local('2027-01-04 00:00'), to: local('2027-01-11 00:00') },
  ];

  /** The problem list by volume and by growth, and each status alone (resolved after 14 days). */
  async function problemLists(list: typeof problemList) {
    const now = clock.now();
    const common = { now, resolvedAfterDays: 14, windowDays: 30, limit: 100 };
    return {
      volume: await list(db, { ...common, sort: 'volume' }),
      growth: await list(db, { ...common, sort: 'growth', windowDays: 7 }),
      statuses: await Promise.all(PROBLEM_STATUSES.map((status) => list(db, { ...common, sort: 'volume', status }))),
    };
  }

  /** Every period's figures (by department and for the whole city) and heat cells, computed directly. */
  async function direct() {
    const now = clock.now();
    const out = [];
    for (const p of periods) {
      const span = calendarDays(
        calendar,
        new Date(Math.min(p.from.getTime(), now.getTime())),
        new Date(Math.max(p.to.getTime(), now.getTime())),
      );
      const common = { ...p, now, repeatWindowDays: 30, calendar: span };
      out.push({
        departments: await departmentFigures(db, common),
        city: await departmentFigures(db, { ...common, wholeCity: true }),
        heat: await heatCells(db, { ...p, now }),
      });
    }
    return { periods: out, problems: await problemLists(problemList) };
  }

  /** The same through the facts, refreshed first. */
  async function viaFacts() {
    expect(await factsReady(deps())).toBe(true);
    const now = clock.now();
    const departments = await factFigures(db, { periods, now, repeatWindowDays: 30 });
    const city = await factFigures(db, { periods, now, repeatWindowDays: 30, wholeCity: true });
    const out = [];
    for (const [i, p] of periods.entries())
      out.push({ departments: departments[i], city: city[i], heat: await factHeatCells(db, { ...p, now }) });
    return { periods: out, problems: await problemLists(problemFactList) };
  }

  const staleCount = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from case_fact_stale`.execute(db)).rows[0]?.n);

  beforeAll(async () => {
    testDb = await createTestDatabase('analytics_facts', { migrate: true });
    db = testDb.handle.db;
    ids = await seedRatingsHistory(db);
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it('when the hand-built history is read through the facts, then every figure equals the direct computation', async () => {
    expect(await staleCount()).toBeGreaterThan(0); // the writes marked their cases
    const facts = await viaFacts();
    expect(await staleCount()).toBe(0);
    const expected = await direct();
    expect(facts).toEqual(expected);
    expect(facts.problems.volume.length).toBeGreaterThan(0);
    // And they are the hand-computed ones (analytics-ratings.test.ts): roads-transport in the period.
    const roads = facts.periods[0]?.departments?.find((f) => f.department === 'roads-transport');
    expect(roads).toMatchObject({ cases: 5, answered: 4, due: 5, answeredOnTime: 3, reopenings: 1, repeats: 1, rated: 3 });
    expect(roads?.firstResponse).toEqual({ median: 3.6, p90: 4.84 });
    expect(roads?.finalAnswer).toEqual({ median: 4.6, p90: 12.34 });
  });

  it('when answers, approvals, reopenings, pauses, polls, routing, merges and deletions change cases, then the refreshed facts still equal the direct figures', async () => {
    // A held weak answer on a new case of the problem, then approved; a poll answered.
    const fresh = await seedCase(db, {
      department: 'landscaping',
      status: 'answered',
      district: 'central',
      category: 'roads',
      problem_id: ids.problem,
      deadline_at: local('2026-11-12 17:00'),
      at: local('2026-11-10 09:00'),
    });
    const held = await seedAnswer(db, {
      case_id: fresh.id,
      state: 'held',
      quality: JSON.stringify({ ok: false, problems: ['vague'] }),
      at: local('2026-11-10 15:00'),
    });
    expect(await viaFacts()).toEqual(await direct());
    await db
      .updateTable('answer')
      .set({ state: 'queued', reviewed_at: local('2026-11-11 09:30'), reviewed_by: 'operator:1' })
      .where('id', '=', held.id)
      .execute();
    await seedPoll(db, {
      case_id: fresh.id,
      state: 'answered',
      rating: 3,
      asked_at: local('2026-11-12 09:00'),
      at: local('2026-11-11 09:30'),
    });
    expect(await viaFacts()).toEqual(await direct());

    // A second reopening of A3; A2 waiting for the citizen again (a pause running until now).
    const audit = (caseId: number, action: string, at: Date, details: Record<string, unknown>) =>
      db
        .insertInto('audit_log')
        .values({
          actor: 'system',
          action,
          entity: 'case',
          entity_id: String(caseId),
          details: JSON.stringify(details),
          created_at: at,
        })
        .execute();
    await audit(ids.a3, 'status_changed', local('2026-11-14 10:00'), { from: 'answered', to: 'reopened' });
    await audit(ids.a2, 'paused', local('2026-11-05 10:00'), { question: 'y' });
    await db
      .updateTable('case')
      .set({ paused_at: local('2026-11-05 10:00') })
      .where('id', '=', ids.a2)
      .execute();
    await seedAnswer(db, { case_id: ids.a2, kind: 'interim', quality: ok, at: local('2026-11-05 14:00') });
    expect(await viaFacts()).toEqual(await direct());

    // A5 re-routed and its poll answered; A1 merged away (A5 is then no repeat of it), its deadline moved.
    await db.updateTable('case').set({ department: 'landscaping' }).where('id', '=', ids.a5).execute();
    await db
      .updateTable('poll')
      .set({ state: 'answered', rating: 5, answered_at: local('2026-11-17 10:00') })
      .where('case_id', '=', ids.a5)
      .execute();
    await db.updateTable('case').set({ merged_into: ids.a5 }).where('id', '=', ids.a1).execute();
    await db
      .updateTable('case')
      .set({ deadline_at: local('2026-11-20 17:00') })
      .where('id', '=', ids.a3)
      .execute();
    expect(await viaFacts()).toEqual(await direct());

    // The new case leaves the problem, then goes altogether.
    await db.updateTable('case').set({ problem_id: null }).where('id', '=', fresh.id).execute();
    expect(await viaFacts()).toEqual(await direct());
    await db.deleteFrom('poll').where('case_id', '=', fresh.id).execute();
    await db.deleteFrom('answer').where('case_id', '=', fresh.id).execute();
    await db.deleteFrom('case').where('id', '=', fresh.id).execute();
    expect(await viaFacts()).toEqual(await direct());
    const gone = await sql<{ n: string }>`select count(*) as n from case_fact where case_id = ${fresh.id}`.execute(db);
    expect(Number(gone.rows[0]?.n)).toBe(0);
  });

  it("when a department has hundreds of answers over several months, then its medians and 90th percentiles are percentile_cont's", async () => {
    // A deterministic spread: registrations over September–November 2026, answers an hour to weeks later,
    // some cases never answered, one in five with an interim reply first; a few equal durations.
    let seed = 7;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const start = local('2026-09-01 00:00').getTime();
    for (let i = 0; i < 400; i++) {
      const at = new Date(start + Math.floor(random() * 85 * 86_400_000));
      const c = await seedCase(db, {
        department: 'education',
        status: 'answered',
        deadline_at: new Date(at.getTime() + 5 * 86_400_000),
        at,
      });
      if (random() < 0.1) continue;
      // Answers are never later than now (the clock), as in life.
      const latest = clock.now().getTime() - 3_600_000 - at.getTime();
      const delay = i % 37 === 0 ? 3_600_000 : Math.min(latest, Math.floor(random() ** 3 * 30 * 86_400_000));
      if (random() < 0.2)
        await seedAnswer(db, { case_id: c.id, kind: 'interim', quality: ok, at: new Date(at.getTime() + delay / 3) });
      await seedAnswer(db, { case_id: c.id, quality: ok, at: new Date(at.getTime() + delay) });
    }
    const facts = await viaFacts();
    expect(facts).toEqual(await direct());
    const education = facts.periods[6]?.departments?.find((f) => f.department === 'education');
    expect(education?.finalAnswer.median).not.toBeNull();
  });

  it('when the production calendar changes a day, then the facts worked out over it are recomputed', async () => {
    const before = await viaFacts();
    // Thursday 5 November 2026 becomes a day off: working hours across it shrink.
    const years = new Map(PRODUCTION.years);
    const y2026 = new Map(years.get(2026));
    y2026.set('2026-11-05', 'day_off');
    years.set(2026, y2026);
    const changed: ProductionCalendar = { years };
    calendar = new WorkingCalendar({ productionCalendar: changed, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
    try {
      const after = await viaFacts();
      expect(after).toEqual(await direct());
      expect(after).not.toEqual(before);
    } finally {
      calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
    }
    expect(await viaFacts()).toEqual(await direct());
  });

  it('when more cases wait than a read refreshes itself, then the read says so (the caller computes directly) and the job catches up', async () => {
    await sql`insert into case_fact_stale (case_id) select id from "case" on conflict do nothing`.execute(db);
    expect(await factsReady(deps(), 3)).toBe(false);
    const outcome = await refreshCaseFacts(deps(), { batch: 4 });
    expect(outcome.refreshed).toBeGreaterThan(4); // several batches
    expect(await staleCount()).toBe(0);
    expect(await viaFacts()).toEqual(await direct());
  });

  it('when a case export runs while some facts wait for their refresh, then its rows are those of fresh facts', async () => {
    const read = async () => {
      const rows = [];
      for await (const page of caseExportPages(db, {}, { pageSize: 4, now: clock.now() })) rows.push(...page);
      return rows;
    };
    expect(await factsReady(deps())).toBe(true);
    const fresh = await read();
    await sql`insert into case_fact_stale (case_id) select id from "case" where id % 2 = 0 on conflict do nothing`.execute(db);
    // Their first answers wiped from the facts on purpose: a fact marked stale is not read.
    await sql`update case_fact set first_out = null where case_id % 2 = 0`.execute(db);
    expect(await read()).toEqual(fresh);
    expect(fresh.filter((r) => r.finalAnswerAt !== null).length).toBeGreaterThan(5);
  });
});
