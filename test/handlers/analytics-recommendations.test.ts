import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ru } from '../../bots/texts/ru.js';
import { type DomainConfig, loadDomainConfig } from '../../config/domain.js';
import {
  type AnalyticsDeps,
  buildRecommendations,
  decideRecommendation,
  type Recommendation,
  recommendations,
  type Viewer,
} from '../../handlers/analytics/index.js';
import { buildWeeklyReport } from '../../handlers/reports/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import { auditOf } from '../../models/audit-repository.js';
import type { Db } from '../../models/database.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedAnswer, seedCase, seedPoll } from '../helpers/rows.js';

/**
 * The recommendations' rules on a hand-built history. The period is the week Mon 23 – Sun 29 November
 * 2026 (local), the previous period Mon 16 – Sun 22 November; now is Monday 30 November, 08:30 — so the
 * weekly report sent then speaks of the same week. Thresholds: barnaul.yaml's (growth 2, minCases 5,
 * repeats 3, late share 0.5, satisfaction gap 0.1).
 *
 * - held-share-growth: roads-transport 1 weak of 5 final answers before, 2 of 5 now (0.2 → 0.4: fires);
 *   education 1 of 5 in both (does not).
 * - repeat-complaints: problem P1 answered in central on 20 Nov, then 3 cases from central (fires; one more
 *   from leninsky is no repeat); problem P2 with 2 repeats (does not). Cases of avtodorstroy.
 * - late-in-one-district: heating late 3 of 5 in central, 0 of 5 in industrial (fires); hot-water late 3
 *   of 5 in both districts (two districts: does not).
 * - satisfaction-below-city: culture rated 5,5,3,2,1 (0.4), sport 5,5,5,5,4 (1.0); the city 7/10 = 0.7:
 *   culture is 0.3 below (fires), sport above (does not).
 */
describe('recommendations (2.2.9, 4.3): a hand-built history', () => {
  let testDb: TestDatabase;
  let db: Db;
  const domain = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const clock = new ManualClock(local('2026-11-30 08:30'));
  const period = { from: local('2026-11-23 00:00'), to: local('2026-11-30 00:00') };
  const ok = JSON.stringify({ ok: true, problems: [] });
  const weak = JSON.stringify({ ok: false, problems: ['no_action'] });
  const deps = (d: DomainConfig = domain): AnalyticsDeps => ({ db, clock, calendar, domain: d });
  const service: Viewer = { kind: 'service' };
  const staff = (role: string, department = 'mcu'): Viewer => ({ kind: 'person', role, department });
  let all: Recommendation[] = [];
  const byRule = (rule: string) => all.filter((r) => r.rule === rule);

  /** `n` cases of `department` opened at `opened`, each with a final answer; the first `weakCount` weak. */
  async function answeredCases(department: string, opened: string, n: number, weakCount: number) {
    for (let i = 0; i < n; i++) {
      const c = await seedCase(db, { department, status: 'answered', at: local(opened) });
      await seedAnswer(db, { case_id: c.id, quality: i < weakCount ? weak : ok, at: local(opened) });
    }
  }

  /** Cases of a category in a district, due Wed 25 17:00: `late` answered Fri 27, the rest on Tue 24. */
  async function dueCases(category: string, district: string, department: string, n: number, late: number) {
    for (let i = 0; i < n; i++) {
      const c = await seedCase(db, {
        department,
        category,
        district,
        status: 'answered',
        deadline_at: local('2026-11-25 17:00'),
        at: local('2026-11-24 09:00'),
      });
      await seedAnswer(db, { case_id: c.id, quality: ok, at: local(i < late ? '2026-11-27 10:00' : '2026-11-24 11:00') });
    }
  }

  async function problemWithRepeats(title: string, repeats: number) {
    const p = await db
      .insertInto('problem')
      .values({
        category: 'roads',
        district: 'central',
        title,
        first_at: local('2026-11-20 09:00'),
        last_at: local('2026-11-26 09:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const base = { department: 'avtodorstroy', category: 'roads', problem_id: p.id };
    const first = await seedCase(db, { ...base, district: 'central', status: 'answered', at: local('2026-11-20 09:00') });
    await seedAnswer(db, { case_id: first.id, quality: ok, at: local('2026-11-20 11:00') });
    for (let i = 0; i < repeats; i++) await seedCase(db, { ...base, district: 'central', at: local(`2026-11-2${4 + i} 09:00`) });
    await seedCase(db, { ...base, district: 'leninsky', at: local('2026-11-24 10:00') });
    return p.id;
  }

  let problemId = 0;
  beforeAll(async () => {
    testDb = await createTestDatabase('analytics_recommendations', { migrate: true });
    db = testDb.handle.db;
    await answeredCases('roads-transport', '2026-11-16 09:00', 5, 1);
    await answeredCases('roads-transport', '2026-11-23 09:00', 5, 2);
    await answeredCases('education', '2026-11-16 09:00', 5, 1);
    await answeredCases('education', '2026-11-23 09:00', 5, 1);

    problemId = await problemWithRepeats('Ямы на дорогах — Центральный район', 3);
    await problemWithRepeats('Ямы во дворах — Центральный район', 2);

    await dueCases('heating', 'central', 'heat-supplier', 5, 3);
    await dueCases('heating', 'industrial', 'heat-supplier', 5, 0);
    await dueCases('hot-water', 'central', 'water-utility', 5, 3);
    await dueCases('hot-water', 'industrial', 'water-utility', 5, 3);

    for (const [department, ratings] of [
      ['culture', [5, 5, 3, 2, 1]],
      ['sport', [5, 5, 5, 5, 4]],
    ] as const)
      for (const rating of ratings) {
        const c = await seedCase(db, { department, status: 'answered', at: local('2026-11-24 09:00') });
        await seedAnswer(db, { case_id: c.id, quality: ok, at: local('2026-11-24 11:00') });
        await seedPoll(db, {
          case_id: c.id,
          state: 'answered',
          rating,
          asked_at: local('2026-11-25 11:00'),
          at: local('2026-11-24 11:00'),
        });
      }
    all = await buildRecommendations(deps(), period);
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it('when the held-answer share doubled, then its department gets a recommendation; a steady one does not', () => {
    expect(byRule('held-share-growth')).toEqual([
      expect.objectContaining({
        id: 'held-share-growth.roads-transport.20261122T170000Z.20261129T170000Z',
        addressee: { kind: 'department', id: 'roads-transport' },
        evidence: expect.objectContaining({
          figures: expect.objectContaining({ otpiskaShare: 0.4, previousOtpiskaShare: 0.2, growth: 2, finalAnswers: 5 }),
        }),
      }),
    ]);
    const [r] = byRule('held-share-growth');
    expect(r?.evidence.cases).toHaveLength(2);
    expect(r?.title).toMatch(/доля «отписок» выросла с 20 % до 40 %/);
  });

  it('when a problem has 3 repeat complaints from one district, then it is recommended with the problem and its cases', () => {
    const found = byRule('repeat-complaints');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      addressee: { kind: 'department', id: 'avtodorstroy' },
      evidence: { problemId, figures: { repeats: 3, district: 'central', threshold: 3 } },
    });
    expect(found[0]?.evidence.cases).toHaveLength(3);
    expect(found[0]?.title).toBe('Повторные жалобы: «Ямы на дорогах — Центральный район», Центральный район — 3');
  });

  it('when a category is late in one district only, then that district is named; late in two, nothing', () => {
    const found = byRule('late-in-one-district');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      id: 'late-in-one-district.heating~central.20261122T170000Z.20261129T170000Z',
      addressee: { kind: 'department', id: 'heat-supplier' },
      evidence: {
        figures: { category: 'heating', district: 'central', due: 5, late: 3, lateShare: 0.6, otherDistrictsLateShare: 0 },
      },
    });
    expect(found[0]?.evidence.cases).toHaveLength(3);
  });

  it("when a department's satisfaction is more than 0.1 below the city's, then it is flagged; one above is not", () => {
    const found = byRule('satisfaction-below-city');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      addressee: { kind: 'department', id: 'culture' },
      evidence: { figures: { share45: 0.4, cityShare45: 0.7, gap: 0.3, rated: 5 } },
    });
    expect(found[0]?.evidence.cases).toHaveLength(3);
  });

  it("when the domain file's thresholds are stricter, then none of the rules fires", async () => {
    const strict = {
      ...domain,
      analytics: {
        ...(domain.analytics ?? { minCases: 5, weights: {} as never, problemResolvedAfterDays: 14, repeatWindowDays: 30 }),
        recommendations: { heldShareGrowth: 2.5, minCases: 5, repeatComplaints: 4, lateShare: 0.7, satisfactionGap: 0.3 },
      },
    } as DomainConfig;
    expect(await buildRecommendations(deps(strict), period)).toEqual([]);
  });

  it('when the period before has the history instead, then its recommendations are not this period’s', async () => {
    const earlier = await buildRecommendations(deps(), { from: local('2026-11-16 00:00'), to: local('2026-11-23 00:00') });
    expect(earlier).toEqual([]);
  });

  it('when МЦУ staff list them, then all four come with no decision; a department head sees only their own', async () => {
    const outcome = await recommendations(deps(), { ...period, viewer: staff('operator') });
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok') return;
    expect(outcome.report.items.map((r) => r.rule)).toEqual([
      'held-share-growth',
      'repeat-complaints',
      'late-in-one-district',
      'satisfaction-below-city',
    ]);
    expect(outcome.report.items[0]).toMatchObject({ decision: null, comment: null, decidedAt: null, decidedBy: null });
    const head = await recommendations(deps(), { ...period, viewer: staff('department_head', 'culture') });
    expect(head.status === 'ok' && head.report.items.map((r) => r.addressee)).toEqual([{ kind: 'department', id: 'culture' }]);
    expect((await recommendations(deps(), { ...period, viewer: staff('official', 'culture') })).status).toBe('forbidden');
  });

  it('when the period is backwards or over 3 years, then it is refused with its code', async () => {
    expect(await recommendations(deps(), { from: period.to, to: period.from, viewer: service })).toMatchObject({
      code: 'INVALID_FROM',
    });
    expect(
      await recommendations(deps(), { from: local('2020-01-01 00:00'), to: local('2023-01-02 00:00'), viewer: service }),
    ).toMatchObject({ code: 'INVALID_PERIOD' });
  });

  it('when the head accepts a recommendation, then it is stored, audited and shown on the next read', async () => {
    const id = byRule('held-share-growth')[0]?.id ?? '';
    const decided = await decideRecommendation(deps(), {
      id,
      decision: 'accepted',
      comment: 'Разобрать на планёрке',
      viewer: staff('head'),
      actor: { type: 'official', officialId: 7 },
    });
    expect(decided).toMatchObject({ status: 'ok', recommendation: { id, decision: 'accepted', decidedBy: 'official:7' } });
    const audit = await auditOf(db, 'recommendation', id);
    expect(audit).toEqual([
      expect.objectContaining({
        actor: 'official:7',
        action: 'recommendation_accepted',
        details: { rule: 'held-share-growth', decision: 'accepted', comment: 'Разобрать на планёрке' },
      }),
    ]);
    const listed = await recommendations(deps(), { ...period, viewer: service });
    const row = listed.status === 'ok' ? listed.report.items.find((r) => r.id === id) : undefined;
    expect(row).toMatchObject({ decision: 'accepted', comment: 'Разобрать на планёрке', decidedBy: 'official:7' });
    expect(row?.decidedAt).toEqual(clock.now());
  });

  it('when a dismissal has no comment, then it is refused; with one, it is stored and audited', async () => {
    const id = byRule('repeat-complaints')[0]?.id ?? '';
    const actor = { type: 'api', author: 'dashboard' } as const;
    expect(
      await decideRecommendation(deps(), { id, decision: 'dismissed', comment: '  ', viewer: service, actor }),
    ).toMatchObject({
      status: 'invalid',
      code: 'COMMENT_REQUIRED',
    });
    expect(
      await decideRecommendation(deps(), {
        id,
        decision: 'dismissed',
        comment: 'Ремонт уже в плане',
        viewer: staff('operator'),
        actor,
      }),
    ).toMatchObject({ status: 'ok', recommendation: { decision: 'dismissed', decidedBy: 'api:dashboard' } });
    expect((await auditOf(db, 'recommendation', id)).map((a) => a.action)).toEqual(['recommendation_dismissed']);
  });

  it('when the id is unknown, malformed or names nothing a rule gives, then not found; a department head may not decide', async () => {
    const actor = { type: 'system' } as const;
    const decide = (id: string, viewer: Viewer = service) =>
      decideRecommendation(deps(), { id, decision: 'accepted', comment: null, viewer, actor });
    expect((await decide('held-share-growth.education.20261122T170000Z.20261129T170000Z')).status).toBe('not_found');
    expect((await decide('no-such-rule.education.20261122T170000Z.20261129T170000Z')).status).toBe('not_found');
    expect((await decide('held-share-growth.roads-transport.2026-11-22.20261129T170000Z')).status).toBe('not_found');
    expect((await decide('x')).status).toBe('not_found');
    const culture = byRule('satisfaction-below-city')[0]?.id ?? '';
    expect((await decide(culture, staff('department_head', 'culture'))).status).toBe('forbidden');
    expect((await decide(culture, staff('block_owner'))).status).toBe('forbidden');
  });

  it('when the weekly report is built, then it lists the week’s recommendations for its scope, less the dismissed', async () => {
    const city = await buildWeeklyReport(deps(), { role: 'head', department: 'mcu' }, clock.now());
    expect(city?.recommendations).toEqual([
      byRule('held-share-growth')[0]?.title,
      byRule('late-in-one-district')[0]?.title,
      byRule('satisfaction-below-city')[0]?.title,
    ]);
    const text = ru.weeklyReport(city ?? ({} as never));
    expect(text).toContain('Рекомендации:');
    expect(text).toContain(`• ${byRule('satisfaction-below-city')[0]?.title}`);
    const own = await buildWeeklyReport(deps(), { role: 'department_head', department: 'culture' }, clock.now());
    expect(own?.recommendations).toEqual([byRule('satisfaction-below-city')[0]?.title]);
    const none = await buildWeeklyReport(deps(), { role: 'department_head', department: 'sport' }, clock.now());
    expect(none?.recommendations).toEqual([]);
    expect(ru.weeklyReport(none ?? ({} as never))).not.toContain('Рекомендации');
  });
});
