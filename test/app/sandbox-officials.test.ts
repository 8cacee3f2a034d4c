import { describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { makeApp, TEST_API_TOKEN, waitFor } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';

/** Everything fast: the whole loop (card → take → answer → poll → rating) in seconds. */
const FAST = {
  sandboxIntervalMs: 300,
  sandboxPace: {
    takeMs: [50, 150],
    answerMs: [200, 500],
    lateMs: [500, 1_000],
    typingMs: [50, 100],
    reviewMs: [100, 200],
  },
  sandboxDrill: { pollDelayMs: 500 },
} as const;

describe('sandbox: simulated officials work the cases, simulated citizens answer the polls', () => {
  it('when the sandbox runs with fast timings, then an official answers a case through Telegram and its citizen answers the poll', async () => {
    const testDb = await createTestDatabase('sandbox_officials');
    const { app } = makeApp({ SANDBOX: 'true', DATABASE_URL: testDb.url }, FAST);
    await app.start();
    try {
      const db = testDb.handle.db;
      // The staff are bound before the first citizen writes: an official and a head per department, an operator, the chain.
      const bound = await db
        .selectFrom('official')
        .leftJoin('official_account', 'official_account.official_id', 'official.id')
        .select(['official.role', 'official_account.channel', 'official.preferred_channel'])
        .execute();
      expect(bound.filter((o) => o.role === 'official').length).toBeGreaterThanOrEqual(10);
      expect(bound.some((o) => o.role === 'operator')).toBe(true);
      expect(bound.every((o) => o.channel === 'telegram' && o.preferred_channel === 'telegram')).toBe(true);

      const polled = await waitFor(
        () =>
          db
            .selectFrom('poll')
            .innerJoin('answer', 'answer.case_id', 'poll.case_id')
            .innerJoin('case', 'case.id', 'poll.case_id')
            .select(['poll.case_id as caseId', 'poll.solved', 'poll.rating', 'answer.author', 'case.status'])
            .where('poll.state', '=', 'answered')
            .where('answer.kind', '=', 'final')
            .where('answer.author', 'like', 'official:%')
            .executeTakeFirst(),
        25_000,
        250,
      );
      // «Да» and a rating of 3–5 close the case; «Нет» reopens it and the official takes it up again.
      if (polled.solved) {
        expect(polled.rating).toBeGreaterThanOrEqual(3);
        expect(polled.status).toBe('closed');
      } else {
        expect(['reopened', 'in_progress', 'answered']).toContain(polled.status);
      }
      expect(app.officials?.stats.taken).toBeGreaterThanOrEqual(1);
      expect(app.citizens?.stats.pollsAnswered).toBeGreaterThanOrEqual(1);

      // The drill's deadlines: minutes, as the API shows them.
      const res = await fetch(`${app.info.httpUrl}/api/v1/cases?limit=50`, {
        headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
      });
      const { items } = (await res.json()) as { items: { id: number; createdAt: string; deadlineAt: string | null }[] };
      const answered = items.find((c) => c.id === Number(polled.caseId));
      expect(answered?.deadlineAt).toBeTruthy();
      const termMs = Date.parse(answered?.deadlineAt ?? '') - Date.parse(answered?.createdAt ?? '');
      // A late official may have asked for more time (the operator approves): then the term is longer.
      const extended = await db
        .selectFrom('extension_request')
        .select('id')
        .where('case_id', '=', Number(polled.caseId))
        .where('state', '=', 'approved')
        .execute();
      if (extended.length === 0) expect(termMs).toBe(5 * 60_000);
      else expect(termMs).toBeGreaterThan(5 * 60_000);
    } finally {
      await app.stop();
      await testDb.drop();
    }
  }, 45_000);

  it('when the app is not a sandbox, then the domain keeps its own terms and quiet hours', () => {
    const domain = loadDomainConfig('config/barnaul.yaml');
    const { app } = makeApp({ SANDBOX: 'false' }, {}, domain);
    expect(app.domain.sla).toEqual(domain.sla);
    const { app: sandbox } = makeApp({ SANDBOX: 'true' }, {}, domain);
    expect(sandbox.domain.sla.policies.social).toEqual([
      { priority: 'normal', firstResponse: '2m', finalResponse: '5m', maxExtension: '5m' },
    ]);
    expect(sandbox.domain.sla.escalation.steps.map((s) => s.after)).toEqual(['1m', '2m', '3m', '4m']);
    expect(sandbox.domain.sla.quietHours).toEqual({ start: '00:00', end: '00:00' });
    expect(Object.isFrozen(sandbox.domain.sla.policies)).toBe(true);
  });
});
