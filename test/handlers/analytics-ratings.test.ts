import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { type DepartmentRating, type RatingsReport, ratings } from '../../handlers/analytics/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { Db } from '../../models/database.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedAnswer, seedCase, seedPoll } from '../helpers/rows.js';

/**
 * The ratings on a small history whose every figure is worked out by hand below. Barnaul's schedule:
 * Mon–Thu 08:00–17:00, Fri 08:00–16:00, lunch 12:00–12:48 (a full day 8.2 working hours, a Friday 7.2).
 * November 2026: Tue 3 is a pre-holiday short day (ends 16:00: 7.2 h), Wed 4 a holiday (0 h).
 * Period: Mon 2 – Sun 15 November (local); the previous period: Mon 19 October – Sun 1 November.
 * Weights (barnaul.yaml): onTime 0.3, answered 0.15, completeness 0.2, satisfaction 0.2, reopened 0.1,
 * repeats 0.05; minCases 5; repeatWindowDays 30.
 */
describe('ratings (2.2.6): a hand-computed history', () => {
  let testDb: TestDatabase;
  let db: Db;
  let report: RatingsReport;
  const domain = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const clock = new ManualClock(local('2026-11-30 10:00'));
  const from = local('2026-11-02 00:00');
  const to = local('2026-11-16 00:00');

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

  /** A case of `department` opened at `opened` (local), due `due`, with one clean final answer at `answered`. */
  async function simpleCase(department: string, opened: string, answered: string | null, due: string) {
    const c = await seedCase(db, {
      department,
      status: answered ? 'answered' : 'assigned',
      deadline_at: local(due),
      at: local(opened),
    });
    if (answered)
      await seedAnswer(db, { case_id: c.id, quality: JSON.stringify({ ok: true, problems: [] }), at: local(answered) });
    return c;
  }

  beforeAll(async () => {
    testDb = await createTestDatabase('analytics_ratings', { migrate: true });
    db = testDb.handle.db;
    const problem = await db
      .insertInto('problem')
      .values({
        category: 'roads',
        district: 'central',
        title: 'Дороги — Центральный район',
        first_at: local('2026-11-02 10:00'),
        last_at: local('2026-11-13 14:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ok = JSON.stringify({ ok: true, problems: [] });

    // --- roads-transport (A): 5 cases, ranked --------------------------------------------------
    // A1: a holiday inside its deadline. First (interim) answer Mon 14:00: 10–12 + 12:48–14:00 = 3.2 h.
    // Final Thu 10:00: Mon 10–17 (6.2) + Tue short (7.2) + Wed holiday (0) + Thu 08–10 (2) = 15.4 h. On time.
    const a1 = await seedCase(db, {
      department: 'roads-transport',
      status: 'closed',
      district: 'central',
      category: 'roads',
      problem_id: problem.id,
      deadline_at: local('2026-11-10 17:00'),
      at: local('2026-11-02 10:00'),
    });
    await seedAnswer(db, { case_id: a1.id, kind: 'interim', quality: ok, at: local('2026-11-02 14:00') });
    await seedAnswer(db, { case_id: a1.id, quality: ok, at: local('2026-11-05 10:00') });
    await seedPoll(db, {
      case_id: a1.id,
      state: 'answered',
      solved: true,
      rating: 5,
      asked_at: local('2026-11-06 10:00'),
      at: local('2026-11-05 10:00'),
    });
    // A merged duplicate of A1: not a case of its own.
    await seedCase(db, { department: 'roads-transport', status: 'closed', merged_into: a1.id, at: local('2026-11-02 11:00') });

    // A2: paused Tue 11:00 → resumed Thu 09:00, answered Thu 11:00. Tue 09–16 (short: 6.2) + Thu 08–11 (3)
    // = 9.2 h, less the pause Tue 11–16 (4.2) + Thu 08–09 (1) = 5.2 h → 4.0 h, first and final.
    const a2 = await seedCase(db, {
      department: 'roads-transport',
      status: 'answered',
      deadline_at: local('2026-11-13 17:00'),
      at: local('2026-11-03 09:00'),
    });
    await audit(a2.id, 'paused', local('2026-11-03 11:00'), { question: 'x' });
    await audit(a2.id, 'resumed', local('2026-11-05 09:00'), { pausedAt: local('2026-11-03 11:00').toISOString() });
    await seedAnswer(db, { case_id: a2.id, quality: ok, at: local('2026-11-05 11:00') });
    await seedPoll(db, {
      case_id: a2.id,
      state: 'answered',
      solved: true,
      rating: 4,
      asked_at: local('2026-11-06 11:00'),
      at: local('2026-11-05 11:00'),
    });

    // A3: a weak final answer held at 11:00 and approved at 15:00 (09–12 + 12:48–15 = 5.2 h, on time),
    // reopened by the citizen, answered again cleanly. Two final answers: one held, one clean.
    const a3 = await seedCase(db, {
      department: 'roads-transport',
      status: 'answered',
      deadline_at: local('2026-11-09 17:00'),
      at: local('2026-11-09 09:00'),
    });
    await seedAnswer(db, {
      case_id: a3.id,
      quality: JSON.stringify({ ok: false, problems: ['no_specifics'] }),
      reviewed_at: local('2026-11-09 15:00'),
      reviewed_by: 'operator:1',
      at: local('2026-11-09 11:00'),
    });
    await audit(a3.id, 'status_changed', local('2026-11-12 10:00'), { from: 'answered', to: 'reopened' });
    await seedAnswer(db, { case_id: a3.id, quality: ok, at: local('2026-11-13 10:00') });
    await seedPoll(db, {
      case_id: a3.id,
      state: 'answered',
      solved: false,
      rating: 2,
      asked_at: local('2026-11-10 10:00'),
      at: local('2026-11-09 15:00'),
    });

    // A4: no answer, past its deadline: due, not on time.
    await simpleCase('roads-transport', '2026-11-10 10:00', null, '2026-11-12 17:00');

    // A5: the same problem and district as A1, eight days after A1's answer: a repeat. Fri 14–16 (2) +
    // Mon 08–09 (1) = 3 h, answered after its deadline. Polled, no answer yet.
    const a5 = await seedCase(db, {
      department: 'roads-transport',
      status: 'answered',
      district: 'central',
      category: 'roads',
      problem_id: problem.id,
      deadline_at: local('2026-11-16 08:30'),
      at: local('2026-11-13 14:00'),
    });
    await seedAnswer(db, { case_id: a5.id, quality: ok, at: local('2026-11-16 09:00') });
    await seedPoll(db, { case_id: a5.id, state: 'asked', asked_at: local('2026-11-17 09:00'), at: local('2026-11-16 09:00') });

    // --- landscaping (B): 5 cases, each answered in 2 working hours, on time, no polls ------------
    for (const day of ['02', '03', '05', '06', '09'])
      await simpleCase('landscaping', `2026-11-${day} 09:00`, `2026-11-${day} 11:00`, '2026-11-20 17:00');

    // --- housing-utilities (C): 2 cases, under the minimum -------------------------------------
    await simpleCase('housing-utilities', '2026-11-02 09:00', '2026-11-02 10:00', '2026-11-05 17:00');
    // Waiting for the citizen since 20 November, its deadline past: not due (a pause is not overdue).
    await seedCase(db, {
      department: 'housing-utilities',
      status: 'in_progress',
      deadline_at: local('2026-11-25 17:00'),
      paused_at: local('2026-11-20 10:00'),
      at: local('2026-11-03 09:00'),
    });

    // --- the previous period: A had 5 clean answers on time, 1 h each ---------------------------
    for (const day of ['19', '20', '21', '22', '23'])
      await simpleCase('roads-transport', `2026-10-${day} 09:00`, `2026-10-${day} 10:00`, '2026-10-30 17:00');
    // Outside both periods: never counted.
    await simpleCase('landscaping', '2026-11-16 09:00', '2026-11-16 10:00', '2026-11-20 17:00');

    const outcome = await ratings({ db, clock, calendar, domain }, { from, to });
    if (outcome.status !== 'ok') throw new Error(outcome.message);
    report = outcome.report;
  });
  afterAll(async () => {
    await testDb.drop();
  });

  const row = (department: string): DepartmentRating => {
    const found = [...report.ranked, ...report.unranked].find((r) => r.department === department);
    if (!found) throw new Error(`no row for ${department}`);
    return found;
  };

  it('when a department has a full history, then every figure is the hand-computed one', () => {
    const a = row('roads-transport');
    expect(a.cases).toBe(5); // the merged duplicate is not a case
    expect(a.answered).toBe(4);
    expect(a.answeredShare).toBe(0.8);
    expect(a.due).toBe(5); // 4 answered + A4 past its deadline
    expect(a.answeredOnTime).toBe(3); // A1, A2, A3 (held, approved before its deadline); A5 late
    expect(a.onTimeShare).toBe(0.6);
    // First responses 3.0, 3.2, 4.0, 5.2 → median (3.2 + 4.0) / 2; p90 at 0.9 × 3 = 2.7 → 4.0 + 0.7 × 1.2.
    expect(a.firstResponseHours).toEqual({ median: 3.6, p90: 4.84 });
    // Final answers 3.0, 4.0, 5.2, 15.4 → median 4.6; p90 5.2 + 0.7 × 10.2 = 12.34.
    expect(a.finalAnswerHours).toEqual({ median: 4.6, p90: 12.34 });
    expect(a.completeness).toEqual({ finalAnswers: 5, clean: 4, held: 1, forced: 0, share: 0.8, otpiskaShare: 0.2 });
    // One reopening over 4 answered cases; A3 is still one case.
    expect(a.reopened).toEqual({ reopenings: 1, share: 0.25 });
    expect(a.repeats).toEqual({ cases: 1, share: 0.2 });
    // Polled 4 (A1, A2, A3, A5), answered 3, ratings 5, 4, 2.
    expect(a.satisfaction).toEqual({ polled: 4, answered: 3, rated: 3, share45: 0.6667, mean: 3.67 });
    // 0.3·0.6 + 0.15·0.8 + 0.2·0.8 + 0.2·0.6667 + 0.1·0.75 + 0.05·0.8 = 0.70834 → 70.8.
    expect(a.score).toBe(70.8);
  });

  it('when two departments have enough cases, then they are ranked by score; satisfaction without polls is left out, not zero', () => {
    const b = row('landscaping');
    expect(b).toMatchObject({ cases: 5, answered: 5, due: 5, answeredOnTime: 5, onTimeShare: 1 });
    expect(b.firstResponseHours).toEqual({ median: 2, p90: 2 });
    expect(b.satisfaction).toEqual({ polled: 0, answered: 0, rated: 0, share45: null, mean: null });
    // (0.3 + 0.15 + 0.2 + 0.1 + 0.05) / 0.8 of the weights that have a value = 100.
    expect(b.score).toBe(100);
    expect(report.ranked.map((r) => [r.department, r.rank])).toEqual([
      ['landscaping', 1],
      ['roads-transport', 2],
    ]);
  });

  it('when a department is under the minimum volume, then it is listed apart, unranked; a paused case is not due', () => {
    expect(report.unranked.map((r) => r.department)).toEqual(['housing-utilities']);
    const c = row('housing-utilities');
    expect(c).toMatchObject({ cases: 2, answered: 1, due: 1, answeredOnTime: 1, rank: null, unrankedReason: 'below_min_cases' });
  });

  it('when the previous period of the same length had figures, then the trend compares with it', () => {
    expect(report.previousPeriod).toEqual({ from: local('2026-10-19 00:00'), to: from });
    expect(row('roads-transport').trend).toEqual({ previousCases: 5, previousScore: 100, previousRank: 1, scoreDelta: -29.2 });
    expect(row('landscaping').trend).toEqual({ previousCases: 0, previousScore: null, previousRank: null, scoreDelta: null });
  });

  it('when one department is asked for, then only its row comes back, ranked among all', async () => {
    const outcome = await ratings({ db, clock, calendar, domain }, { from, to, department: 'roads-transport' });
    expect(outcome.status === 'ok' && outcome.report.ranked.map((r) => [r.department, r.rank])).toEqual([['roads-transport', 2]]);
    expect(outcome.status === 'ok' && outcome.report.unranked).toEqual([]);
  });

  it('when the input is bad, then the outcome names the field', async () => {
    const deps = { db, clock, calendar, domain };
    expect(await ratings(deps, { from: to, to: from })).toMatchObject({ status: 'invalid', code: 'INVALID_FROM' });
    expect(await ratings(deps, { from: local('2020-01-01 00:00'), to: local('2023-01-02 00:00') })).toMatchObject({
      status: 'invalid',
      code: 'INVALID_PERIOD',
    });
    expect(await ratings(deps, { from, to, department: 'no-such' })).toMatchObject({
      status: 'invalid',
      code: 'UNKNOWN_DEPARTMENT',
    });
  });

  it('never carries a citizen text or a case id', () => {
    const json = JSON.stringify(report);
    expect(json).not.toContain('Обращение');
    expect(json).not.toContain('"id"');
  });
});
