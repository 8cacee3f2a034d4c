import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainConfigSchema } from '../../config/domain.js';
import type { DepartmentRating } from '../../handlers/analytics/index.js';
import { contrast, HEAT_SHADES, textOn } from '../../src/console/charts.js';
import { number, percent } from '../../src/console/format.js';
import { markdownToHtml } from '../../src/console/pages/analytics/markdown.js';
import { seedRatingsHistory } from '../fixtures/ratings-history.js';
import { TEST_API_TOKEN, testDomain } from '../helpers/app.js';
import { local } from '../helpers/barnaul-calendar.js';
import { seedAnswer, seedCase } from '../helpers/rows.js';
import { addPerson, type ConsoleApp, signIn, startConsoleApp, textOf } from './harness.js';

/**
 * The analytics pages (invented data): ratings with sparklines and the methodology, the problem list, the
 * heat map (with district boundaries, so its map too) and recommendations with their decisions. Each
 * test owns its months: ratings November 2026 (the ratings fixture), the heat map September, problems
 * July, recommendations the week of 23–29 November.
 */
describe('console analytics', () => {
  let c: ConsoleApp;
  beforeAll(async () => {
    c = await startWithBoundaries('console_analytics');
    await seedRatingsHistory(c.db);
  });
  afterAll(async () => {
    await c?.stop();
  });

  const api = async (path: string) => {
    const res = await fetch(`${c.url}${path}`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    expect(res.status).toBe(200);
    return res.json();
  };
  const rowOf = (html: string, department: string) =>
    new RegExp(`<tr id="dep-${department}">[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
  const hours = (h: number | null) =>
    h === null ? '—' : `${new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 }).format(h)} ч`;
  const november = 'from=2026-11-02&to=2026-11-15';
  const novemberApi = `from=${local('2026-11-02 00:00').toISOString()}&to=${local('2026-11-16 00:00').toISOString()}`;

  // ---------------------------------------------------------------------------------------------
  // Ratings
  // ---------------------------------------------------------------------------------------------

  it('when the head opens the ratings, then every department shows the API’s figures and a sparkline', async () => {
    const head = await signIn(c, await addPerson(c.db, { role: 'head', department: 'mcu' }));
    const page = await head.get(`/console/ratings?${november}`);
    expect(page.status).toBe(200);
    const report = (await api(`/api/v1/analytics/ratings?${novemberApi}`)) as {
      ranked: DepartmentRating[];
      unranked: DepartmentRating[];
    };
    expect(report.ranked.map((r) => r.department)).toEqual(['landscaping', 'roads-transport']);
    expect(report.unranked.map((r) => r.department)).toEqual(['housing-utilities']);
    for (const r of [...report.ranked, ...report.unranked]) {
      const row = rowOf(page.html, r.department);
      // Tags become spaces in textOf: «2 ч</span>, 90 %» reads «2 ч , 90 %».
      const text = textOf(row).replace(/ ,/g, ',');
      expect(text).toContain(r.name);
      expect(text).toContain(number(r.score));
      expect(text).toContain(`с ответом ${percent(r.answeredShare)} (${number(r.answered)} из ${number(r.cases)})`);
      expect(text).toContain(percent(r.onTimeShare));
      expect(text).toContain(`${number(r.answeredOnTime)} из ${number(r.due)}`);
      expect(text).toContain(`первый: медиана ${hours(r.firstResponseHours.median)}, 90 % — ${hours(r.firstResponseHours.p90)}`);
      expect(text).toContain(
        `окончательный: медиана ${hours(r.finalAnswerHours.median)}, 90 % — ${hours(r.finalAnswerHours.p90)}`,
      );
      expect(text).toContain(`возобновлений ${number(r.reopened.reopenings)} (${percent(r.reopened.share)} от ответов)`);
      expect(text).toContain(`повторных ${number(r.repeats.cases)} (${percent(r.repeats.share)} от обращений)`);
      expect(text).toContain(`полных ${number(r.completeness.clean)} из ${number(r.completeness.finalAnswers)}`);
      expect(text).toContain(`«отписок» ${percent(r.completeness.otpiskaShare)}`);
      expect(text).toContain(r.satisfaction.share45 === null ? 'нет оценок' : `${percent(r.satisfaction.share45)} оценок 4–5`);
      expect(text).toContain(`ответили ${number(r.satisfaction.answered)} из ${number(r.satisfaction.polled)}`);
      // The sparkline: an SVG image whose words end with this period's score.
      const label = /<svg role="img" aria-label="([^"]+)"/.exec(row)?.[1] ?? '';
      expect(label).toMatch(/^Балл по периодам, от раннего к текущему: /);
      const words = (v: number | null) => (v === null ? 'нет данных' : number(v));
      expect(label.endsWith(`; ${words(r.trend.previousScore)}; ${words(r.score)}`)).toBe(true);
      expect(row).toMatch(/<path d="M/);
    }
    expect(textOf(rowOf(page.html, 'landscaping'))).toMatch(/^1 /);
    expect(textOf(page.html)).toContain('мало обращений');
    // The methodology is one click away.
    expect(page.html).toContain('href="/console/ratings/methodology"');
  });

  it('when the methodology is opened, then the documentation is shown as HTML with its tables', async () => {
    const official = await signIn(c, await addPerson(c.db, { role: 'official', department: 'roads-transport' }));
    const page = await official.get('/console/ratings/methodology');
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<h2 id="ratings-the-problem-list-and-the-heat-map">/);
    expect(page.html).toContain('<th scope="col">Figure</th>');
    expect(page.html).toContain('<code>answeredShare</code>');
    expect(page.html).toContain('<pre><code>');
    expect(page.html).toContain('<a href="#the-facts-table">');
  });

  it('when a department head opens the ratings and its export, then only their department is there; another is 403', async () => {
    const chief = await signIn(c, await addPerson(c.db, { role: 'department_head', department: 'roads-transport' }));
    const page = await chief.get(`/console/ratings?${november}`);
    expect(page.status).toBe(200);
    expect(rowOf(page.html, 'roads-transport')).not.toBe('');
    expect(rowOf(page.html, 'landscaping')).toBe('');
    expect(rowOf(page.html, 'housing-utilities')).toBe('');
    // Ranked among all: the API's rank for the department.
    expect(textOf(rowOf(page.html, 'roads-transport'))).toMatch(/^2 /);
    const csv = await chief.get(`/console/ratings.csv?${november}`);
    expect(csv.status).toBe(200);
    const lines = csv.html.trim().split('\n').slice(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('roads-transport');
    expect((await chief.get('/console/ratings.csv?from=2026-11-15&to=2026-11-02')).status).toBe(400);
  });

  it('when the ratings are exported, then the CSV has exactly the rows the page shows', async () => {
    const head = await signIn(c, await addPerson(c.db, { role: 'head', department: 'mcu' }));
    const page = await head.get(`/console/ratings?${november}`);
    const shown = [...page.html.matchAll(/<tr id="dep-([a-z-]+)">/g)].map((m) => m[1]);
    const csv = await head.get(`/console/ratings.csv?${november}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = csv.html
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
      .slice(1);
    expect(rows.map((r) => r.split(';')[3])).toEqual(shown);
    const xlsx = await head.get(`/console/ratings.xlsx?${november}`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
  });

  it('when the period is reversed, then the form comes back 400 with the field marked', async () => {
    const head = await signIn(c, await addPerson(c.db, { role: 'head', department: 'mcu' }));
    const page = await head.get('/console/ratings?from=2026-11-15&to=2026-11-02');
    expect(page.status).toBe(400);
    expect(page.html).toMatch(/id="p-to"[^>]*aria-invalid="true"/);
    expect(textOf(page.html)).toContain('Дата «по» раньше даты «с»');
  });

  // ---------------------------------------------------------------------------------------------
  // The heat map
  // ---------------------------------------------------------------------------------------------

  it('when a heat map cell is opened, then the cases list shows exactly the cases the cell counts', async () => {
    const at = (s: string) => local(s);
    const main = [];
    for (const day of ['2026-09-01 00:00', '2026-09-10 12:00', '2026-09-30 23:59'])
      main.push(await seedCase(c.db, { district: 'central', category: 'roads', department: 'roads-transport', at: at(day) }));
    // Not counted: a merged duplicate, a case the next day, one without a category, another district.
    await seedCase(c.db, {
      district: 'central',
      category: 'roads',
      status: 'closed',
      merged_into: main[0]?.id ?? null,
      at: at('2026-09-11 10:00'),
    });
    await seedCase(c.db, { district: 'central', category: 'roads', at: at('2026-10-01 00:00') });
    await seedCase(c.db, { district: 'central', category: null, at: at('2026-09-12 10:00') });
    await seedCase(c.db, { district: 'industrial', category: 'roads', at: at('2026-09-12 10:00') });

    const head = await signIn(c, await addPerson(c.db, { role: 'head', department: 'mcu' }));
    const page = await head.get('/console/heatmap?from=2026-09-01&to=2026-09-30');
    expect(page.status).toBe(200);
    const roads = testDomain().categories.find((x) => x.id === 'roads')?.name ?? '';
    const link = new RegExp(
      `<a href="([^"]+)"[^>]*aria-label="Центральный район, ${escapeRegExp(roads)}: 3 обращения — открыть список">3</a>`,
    ).exec(page.html);
    expect(link).not.toBeNull();
    const href = (link?.[1] ?? '').replace(/&amp;/g, '&');
    expect(href).toContain('merged=no');
    const list = await head.get(href);
    expect(list.status).toBe(200);
    const numbers = [...list.html.matchAll(/<a href="\/console\/cases\/([^"]+)">/g)].map((m) => decodeURIComponent(m[1] ?? ''));
    expect(numbers.sort()).toEqual(main.map((m) => m.number).sort());
    // The grid has headers both ways, and the map of the configured boundaries is an image with its numbers.
    expect(page.html).toMatch(/<th scope="col" class="num">Центральный[^<]*<\/th>/);
    expect(page.html).toContain(`<th scope="row" data-label="Категория">${roads}</th>`);
    expect(page.html).toMatch(/<svg role="img" aria-label="Карта районов, обращений за период: [^"]*Центральный[^"]* — 3/);
    expect(textOf(page.html)).toContain('до 3');
  });

  it('when an official opens the heat map, problems or recommendations, or forges a decision, then 403', async () => {
    const official = await signIn(c, await addPerson(c.db, { role: 'official', department: 'roads-transport' }));
    await official.get('/console/cases');
    expect((await official.get('/console/heatmap')).status).toBe(403);
    expect((await official.get('/console/problems')).status).toBe(403);
    expect((await official.get('/console/problems.csv')).status).toBe(403);
    expect((await official.get('/console/recommendations')).status).toBe(403);
    const forged = await official.post('/console/recommendations/decision', {
      id: 'held-share-growth.culture.20261122T170000Z.20261129T170000Z',
      decision: 'accepted',
      shown: 'none',
      from: '2026-11-23',
      to: '2026-11-29',
    });
    expect(forged.status).toBe(403);
    expect(await c.db.selectFrom('recommendation_decision').selectAll().execute()).toEqual([]);
  });

  // ---------------------------------------------------------------------------------------------
  // Problems
  // ---------------------------------------------------------------------------------------------

  it('when the problem list is opened, then each problem links to its cases, filters stay in the URL and pages go on', async () => {
    const problems: number[] = [];
    for (let i = 0; i < 52; i++) {
      const p = await c.db
        .insertInto('problem')
        .values({
          category: 'heating',
          district: 'leninsky',
          title: `Отопление — Ленинский район ${i}`,
          first_at: local('2026-07-01 10:00'),
          last_at: local('2026-07-01 10:00'),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      problems.push(p.id);
      await seedCase(c.db, { category: 'heating', district: 'leninsky', problem_id: p.id, at: local('2026-07-01 10:00') });
    }
    const big = problems[0] as number;
    await seedCase(c.db, { category: 'heating', district: 'leninsky', problem_id: big, at: local('2026-07-02 10:00') });

    const head = await signIn(c, await addPerson(c.db, { role: 'operator', department: 'mcu' }));
    const first = await head.get('/console/problems?district=leninsky');
    expect(first.status).toBe(200);
    expect(first.html).toContain(`<a href="/console/cases?problem=${big}">Отопление — Ленинский район 0</a>`);
    expect(first.html).toMatch(/<option value="leninsky" selected>/);
    const rows = [...first.html.matchAll(/<a href="\/console\/cases\?problem=\d+">Отопление/g)];
    expect(rows).toHaveLength(50);
    const next = /href="(\/console\/problems\?[^"]*page=2[^"]*)"/.exec(first.html)?.[1]?.replace(/&amp;/g, '&') ?? '';
    expect(next).toContain('district=leninsky');
    const second = await head.get(next);
    expect([...second.html.matchAll(/<a href="\/console\/cases\?problem=\d+">Отопление/g)]).toHaveLength(2);

    const cases = await head.get(`/console/cases?problem=${big}`);
    expect([...cases.html.matchAll(/<a href="\/console\/cases\/[^"]+">/g)]).toHaveLength(2);

    const csv = await head.get('/console/problems.csv?district=leninsky');
    expect(csv.status).toBe(200);
    expect(csv.html.trim().split(/\r?\n/).slice(1)).toHaveLength(52);

    const resolved = await head.get('/console/problems?district=leninsky&status=resolved');
    expect(textOf(resolved.html)).toContain('Ничего не найдено');
    const unknown = await head.get('/console/problems?district=atlantis');
    expect(unknown.status).toBe(400);
    expect(unknown.html).toMatch(/id="f-district"[^>]*aria-invalid="true"/);
  });

  // ---------------------------------------------------------------------------------------------
  // Recommendations
  // ---------------------------------------------------------------------------------------------

  it('when the head accepts a recommendation, then it is decided in the database and a second decision says it already is', async () => {
    const ok = JSON.stringify({ ok: true, problems: [] });
    const weak = JSON.stringify({ ok: false, problems: ['no_action'] });
    const answered = async (opened: string, n: number, weakCount: number) => {
      for (let i = 0; i < n; i++) {
        const x = await seedCase(c.db, { department: 'culture', status: 'answered', at: local(opened) });
        await seedAnswer(c.db, { case_id: x.id, quality: i < weakCount ? weak : ok, at: local(opened) });
      }
    };
    await answered('2026-11-17 10:00', 5, 1);
    await answered('2026-11-24 10:00', 5, 2);

    const chief = await signIn(c, await addPerson(c.db, { role: 'head', department: 'mcu' }));
    const page = await chief.get('/console/recommendations?from=2026-11-23&to=2026-11-29');
    expect(page.status).toBe(200);
    const article = /<article class="card recommendation" id="(rec-held-share-growth-culture[^"]*)"[\s\S]*?<\/article>/.exec(
      page.html,
    );
    expect(article).not.toBeNull();
    const html = article?.[0] ?? '';
    expect(textOf(html)).toContain('доля «отписок» выросла с 20 % до 40 %');
    expect(textOf(html)).toContain('Доля «отписок» сейчас 40,0 %');
    const id = /name="id" value="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(id).toMatch(/^held-share-growth\.culture\./);

    // A dismissal without a comment: 400, the field marked, nothing saved.
    const bare = await chief.post('/console/recommendations/decision', {
      id,
      decision: 'dismissed',
      comment: ' ',
      shown: 'none',
      from: '2026-11-23',
      to: '2026-11-29',
    });
    expect(bare.status).toBe(400);
    expect(bare.html).toMatch(/<textarea[^>]*aria-invalid="true"/);
    expect(textOf(bare.html)).toContain('почему рекомендация отклонена');
    expect(await c.db.selectFrom('recommendation_decision').selectAll().execute()).toEqual([]);

    const form = {
      id,
      decision: 'accepted',
      comment: 'Разберём на планёрке',
      shown: 'none',
      from: '2026-11-23',
      to: '2026-11-29',
    };
    const accepted = await chief.post('/console/recommendations/decision', form);
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toContain('/console/recommendations?from=2026-11-23&to=2026-11-29');
    const row = await c.db
      .selectFrom('recommendation_decision')
      .selectAll()
      .where('recommendation_id', '=', id)
      .executeTakeFirst();
    expect(row?.decision).toBe('accepted');
    expect(row?.comment).toBe('Разберём на планёрке');
    expect(row?.decided_by).toMatch(/^official:\d+$/);

    const after = await chief.get(accepted.headers.get('location') ?? '');
    expect(textOf(after.html)).toContain('Решение сохранено');
    expect(textOf(after.html)).toContain('Решение уже принято: Принята');

    // The same form again (a second tab): refused as already decided, the first decision kept.
    const again = await chief.post('/console/recommendations/decision', { ...form, decision: 'dismissed', comment: 'Не нужно' });
    expect(again.status).toBe(409);
    expect(textOf(again.html)).toContain('Решение по этой рекомендации уже принято');
    const kept = await c.db
      .selectFrom('recommendation_decision')
      .selectAll()
      .where('recommendation_id', '=', id)
      .executeTakeFirst();
    expect(kept?.decision).toBe('accepted');

    // A department head sees their department's recommendations with no decision buttons; another's none.
    const culture = await signIn(c, await addPerson(c.db, { role: 'department_head', department: 'culture' }));
    const theirs = await culture.get('/console/recommendations?from=2026-11-23&to=2026-11-29');
    expect(theirs.status).toBe(200);
    expect(theirs.html).toContain('rec-held-share-growth-culture');
    expect(theirs.html).not.toContain('name="decision"');
    const roads = await signIn(c, await addPerson(c.db, { role: 'department_head', department: 'roads-transport' }));
    const none = await roads.get('/console/recommendations?from=2026-11-23&to=2026-11-29');
    expect(none.html).not.toContain('rec-held-share-growth-culture');
    expect((await culture.post('/console/recommendations/decision', { ...form, shown: 'accepted' })).status).toBe(403);
  });
});

describe('console analytics: pieces', () => {
  it('when a heat shade is chosen, then its text colour contrasts at least 4.5:1 (WCAG AA)', () => {
    for (const shade of HEAT_SHADES) expect(contrast(shade, textOn(shade))).toBeGreaterThanOrEqual(4.5);
  });

  it('when Markdown holds HTML, then it is escaped and only safe links become anchors', () => {
    const html = markdownToHtml(
      '# T <b>\n\nA <script>alert(1)</script> [x](javascript:alert(1)) [y](#t) `<i>`\n\n| a | b |\n| - | - |\n| 1 | <img> |',
    );
    expect(html).not.toMatch(/<script|<b>|<img|<i>|javascript:/);
    expect(html).toContain('<h2 id="t-b">T &lt;b&gt;</h2>');
    expect(html).toContain('<a href="#t">y</a>');
    expect(html).toContain('<code>&lt;i&gt;</code>');
  });
});

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The console app with district boundaries configured (the heat map draws its map only with them). */
async function startWithBoundaries(prefix: string): Promise<ConsoleApp> {
  const base = testDomain();
  const domain = domainConfigSchema.parse({
    ...base,
    structuring: { ...base.structuring, boundaries: resolve('test/fixtures/districts.geojson') },
  });
  return startConsoleApp(prefix, {}, domain);
}
