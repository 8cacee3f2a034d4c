import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listedCalendarFiles, loadProductionCalendar } from '../../config/calendar.js';
import { loadDomainConfig } from '../../config/domain.js';
import { computeDeadlines, pickPolicy, WorkingCalendar } from '../../lib/deadlines/index.js';
import { CASE_STATUSES } from '../../models/case-lifecycle.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/** `mcu demo seed|clear` on a test database: a small history, then its invariants. */
describe('mcu demo', () => {
  let testDb: TestDatabase;
  const UNTIL = '2026-03-15T12:00:00+07:00';
  beforeAll(async () => {
    testDb = await createTestDatabase('cli_demo');
  });
  afterAll(async () => testDb.drop());

  const mcu = (url: string, ...args: string[]) =>
    spawnSync(process.execPath, ['bin/mcu.js', 'demo', ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
  const q = async <T>(text: string): Promise<T[]> => {
    const { sql } = await import('kysely');
    return (await sql.raw<T>(text).execute(testDb.handle.db)).rows;
  };

  it('when 2,000 cases are seeded, then a summary by month; counts, numbers and the counter agree', async () => {
    const run = mcu(testDb.url, 'seed', '--cases', '2000', '--seed', '7', '--until', UNTIL);
    expect(run.stderr).toContain('2000/2000 cases');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^cases: 2000 \(МЦУ-2025-000001 … МЦУ-2026-\d{6}\)\nanswers: \d+/);
    expect(run.stdout).toMatch(/reopenings: [1-9]\d*/);
    expect(run.stdout).toMatch(/per month:\n {2}2025-03 {2}\d+/);
    const [counts] = await q<{ cases: number; numbers: number; messages: number }>(
      `select count(*)::int as cases, count(distinct number)::int as numbers,
        (select count(*)::int from message where case_id is not null) as messages from "case"`,
    );
    expect(counts).toEqual({ cases: 2000, numbers: 2000, messages: 2000 });
    // The counters were advanced: the app's next number follows the seeded ones.
    const counters = await q<{ year: number; last: number; max: number }>(
      `select k.year, k.last, max(substring(c.number from 10)::int) as max from case_counter k
        join "case" c on substring(c.number from 5 for 4)::int = k.year group by k.year, k.last`,
    );
    for (const c of counters) expect(c.last).toBe(c.max);
    expect((await q<{ mode: string }>(`select value as mode from app_setting where key = 'mode'`))[0]?.mode).toBe('sandbox');
  });

  it('when seeded, then the year has seasons: heating and snow in winter, greenery and playgrounds in summer', async () => {
    const rows = await q<{ category: string; winter: number; summer: number }>(
      `select category_auto as category,
        count(*) filter (where extract(month from created_at at time zone 'Asia/Barnaul') in (12, 1, 2))::int as winter,
        count(*) filter (where extract(month from created_at at time zone 'Asia/Barnaul') in (6, 7, 8))::int as summer
       from "case" group by category_auto`,
    );
    const of = (c: string) => rows.find((r) => r.category === c) ?? { winter: 0, summer: 0 };
    expect(of('heating').winter).toBeGreaterThan(5 * of('heating').summer);
    expect(of('snow-ice').winter).toBeGreaterThan(10 * of('snow-ice').summer);
    expect(of('greenery').summer).toBeGreaterThan(3 * of('greenery').winter);
    expect(of('playgrounds').summer).toBeGreaterThan(3 * of('playgrounds').winter);
    // Districts by population: Индустриальный (186 k) has more than Октябрьский (99 k).
    const byDistrict = await q<{ district: string; n: number }>(
      `select district, count(*)::int as n from "case" group by district`,
    );
    const n = (d: string) => byDistrict.find((r) => r.district === d)?.n ?? 0;
    expect(n('industrial')).toBeGreaterThan(n('oktyabrsky'));
    // Channels and sources: bots, comments, ПОС/ИМ.
    const channels = (await q<{ channel: string }>(`select distinct channel from "case" order by 1`)).map((r) => r.channel);
    expect(channels).toEqual(['import', 'max', 'telegram', 'vk']);
    const problems = await q<{ n: number }>(`select count(*)::int as n from problem where case_count >= 2`);
    expect(problems[0]?.n).toBeGreaterThan(10);
  });

  it('when seeded, then no invariant is broken', async () => {
    const bad = async (where: string) => (await q<{ n: number }>(`select count(*)::int as n from ${where}`))[0]?.n;
    // Every status is a known one; categories, districts and departments are the domain file's.
    const statuses = (await q<{ status: string }>(`select distinct status from "case"`)).map((r) => r.status);
    for (const s of statuses) expect(CASE_STATUSES).toContain(s);
    // Answered and closed cases have a final answer let out after the case was opened.
    expect(
      await bad(`"case" c where c.status in ('answered', 'closed') and not exists (
        select 1 from answer a where a.case_id = c.id and a.kind = 'final'
          and a.state in ('sent', 'recorded') and a.created_at >= c.created_at)`),
    ).toBe(0);
    // No answer before its case, no poll before its answer, no event after --until.
    expect(await bad(`answer a join "case" c on c.id = a.case_id where a.created_at < c.created_at`)).toBe(0);
    expect(await bad(`"case" where updated_at < created_at or updated_at > '${UNTIL}'::timestamptz`)).toBe(0);
    expect(await bad(`poll p where p.answered_at is not null and (p.asked_at is null or p.answered_at < p.asked_at)`)).toBe(0);
    // Reopened cases have a reopening in the audit trail, from a poll answered «Нет» or 1–2.
    expect(
      await bad(`"case" c where c.status = 'reopened' and not exists (select 1 from audit_log l
        where l.entity = 'case' and l.entity_id = c.id::text and l.action = 'status_changed' and l.details->>'to' = 'reopened')`),
    ).toBe(0);
    expect(await bad(`poll where state = 'answered' and (rating between 3 and 5) and solved`)).toBeGreaterThan(0);
    const reopenedPolls = await q<{ ok: boolean }>(
      `select bool_and(p.solved = false or p.rating <= 2) as ok from audit_log l join poll p on p.case_id = l.entity_id::bigint
        where l.action = 'status_changed' and l.details->>'to' = 'reopened'`,
    );
    expect(reopenedPolls[0]?.ok).toBe(true);
    // Closed cases' polls said yes with 3–5; a held «отписка» is not let out.
    expect(
      await bad(`"case" c join poll p on p.case_id = c.id where c.status = 'closed' and not (p.solved and p.rating >= 3)`),
    ).toBe(0);
    expect(await bad(`answer where state = 'held' and (quality->>'ok')::boolean`)).toBe(0);
    // Extensions stay within the policy's maximum; an approved one moved the deadline.
    expect(
      await bad(`extension_request e join "case" c on c.id = e.case_id where e.requested_until > c.latest_deadline_at`),
    ).toBe(0);
    expect(
      await bad(
        `extension_request e join "case" c on c.id = e.case_id where e.state = 'approved' and c.deadline_at <> e.requested_until`,
      ),
    ).toBe(0);
    // Problems count their cases.
    expect(await bad(`problem p where case_count <> (select count(*) from "case" c where c.problem_id = p.id)`)).toBe(0);
  });

  it('when seeded, then the deadlines are the engine’s (computeDeadlines on the production calendar)', async () => {
    const path = resolve('config/barnaul.yaml');
    const domain = loadDomainConfig(path);
    const calendar = WorkingCalendar.forCity(domain.city, loadProductionCalendar(listedCalendarFiles(path, domain)));
    const sample = await q<{
      created_at: Date;
      channel: string;
      regime: string;
      priority: string;
      first: Date;
      latest: Date | null;
      deadline: Date;
      id: number;
    }>(
      `select c.id, c.created_at, c.channel, c.regime, c.priority, c.first_response_due_at as first, c.latest_deadline_at as latest,
        coalesce((select e.previous_deadline_at from extension_request e where e.case_id = c.id), c.deadline_at) as deadline
       from "case" c order by c.id limit 300`,
    );
    for (const c of sample) {
      const policy = pickPolicy(domain.sla.policies, {
        regime: c.regime as 'social' | 'pos',
        priority: c.priority === 'urgent' ? 'urgent' : 'normal',
        channel: c.channel,
      });
      const d = computeDeadlines(calendar, policy, c.created_at);
      expect({ id: c.id, first: c.first, final: c.deadline, latest: c.latest }).toEqual({
        id: c.id,
        first: d.firstResponseAt,
        final: d.finalResponseAt,
        latest: d.latestFinalResponseAt ?? null,
      });
    }
  });

  it('when seeded twice with the same seed elsewhere, then the same history; clear removes the demo rows', async () => {
    const other = await createTestDatabase('cli_demo_twice');
    try {
      expect(mcu(other.url, 'seed', '--cases', '300', '--seed', '7', '--until', UNTIL).status).toBe(0);
      const a = mcu(other.url, 'seed', '--cases', '300', '--seed', '7', '--until', UNTIL);
      expect(a.status).toBe(0);
      const texts = async () =>
        (
          await (
            await import('kysely')
          ).sql
            .raw<{ text: string; status: string; at: Date }>(`select text, status, created_at as at from "case" order by id`)
            .execute(other.handle.db)
        ).rows;
      const rows = await texts();
      expect(rows.slice(300).map((r) => [r.text, r.status, r.at.getTime()])).toEqual(
        rows.slice(0, 300).map((r) => [r.text, r.status, r.at.getTime()]),
      );
      const clear = mcu(other.url, 'clear');
      expect(clear.status).toBe(0);
      expect(clear.stdout).toMatch(/^cases: 600\n/);
      expect(await texts()).toEqual([]);
    } finally {
      await other.drop();
    }
  });

  it('when the database is live, then seed and clear refuse with exit 2 and write nothing', async () => {
    const live = await createTestDatabase('cli_demo_live', { migrate: true });
    try {
      await live.handle.db.insertInto('app_setting').values({ key: 'mode', value: 'live', created_at: new Date() }).execute();
      for (const args of [['seed', '--cases', '100'], ['clear']]) {
        const run = mcu(live.url, ...args);
        expect(run.status).toBe(2);
        expect(run.stderr).toMatch(/belongs to the live app/);
      }
      expect((await live.handle.db.selectFrom('case').select('id').execute()).length).toBe(0);
    } finally {
      await live.drop();
    }
  });
});
