import { describe, expect, it } from 'vitest';
import { parseMaxPayload } from '../../bots/max/payload.js';
import { ru } from '../../bots/texts/ru.js';
import { loadDomainConfig } from '../../config/domain.js';
import { sandboxMaxDepartment } from '../../src/sandbox/sandbox-staff.js';
import { makeApp, TEST_API_TOKEN, waitFor } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { botMessagesTo } from '../helpers/telegram.js';

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
        .select(['official.role', 'official.department', 'official_account.channel', 'official.preferred_channel'])
        .execute();
      expect(bound.filter((o) => o.role === 'official').length).toBeGreaterThanOrEqual(10);
      expect(bound.some((o) => o.role === 'operator')).toBe(true);
      // One department works in MAX (the next test follows it); everyone else in Telegram.
      const maxDepartment = sandboxMaxDepartment(app.domain);
      expect(
        bound
          .filter((o) => o.department !== maxDepartment)
          .every((o) => o.channel === 'telegram' && o.preferred_channel === 'telegram'),
      ).toBe(true);

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
            // All in Telegram: a Telegram citizen's case in a Telegram department (the MAX department's: the next test).
            .where('case.channel', '=', 'telegram')
            .where('case.department', '!=', sandboxMaxDepartment(app.domain))
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
      // (The case by its id: with fast citizens it may be past the list's first page by now.)
      const res = await fetch(`${app.info.httpUrl}/api/v1/cases/${polled.caseId}`, {
        headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
      });
      const answered = (await res.json()) as { id: number; createdAt: string; deadlineAt: string | null };
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

  it('when the sandbox runs with MAX, then a case of the MAX department gets its card in MAX, its official answers from MAX and the citizen receives the answer', async () => {
    const testDb = await createTestDatabase('sandbox_max_officials');
    const { app } = makeApp({ SANDBOX: 'true', DATABASE_URL: testDb.url }, FAST);
    await app.start();
    try {
      const db = testDb.handle.db;
      const max = app.maxFake;
      const emulator = app.emulator;
      if (!max || !emulator) throw new Error('the sandbox runs the MAX fake and the Telegram emulator');
      // The department of the domain file's first category: Barnaul's housing and utilities, where most simulated problems go.
      const department = sandboxMaxDepartment(app.domain);
      expect(department).toBe('housing-utilities');
      // Its official and head opened their invites in MAX (bot_started with the token) and are bound there alone, preferring MAX.
      const staff = await db
        .selectFrom('official')
        .innerJoin('official_account', 'official_account.official_id', 'official.id')
        .select(['official.id', 'official.role', 'official.department', 'official.preferred_channel as preferred'])
        .select(['official_account.channel', 'official_account.chat_id as chatId'])
        .execute();
      const inMax = staff.filter((o) => o.channel === 'max');
      expect(inMax.map((o) => `${o.role}@${o.department}`).sort()).toEqual([
        `department_head@${department}`,
        `official@${department}`,
      ]);
      expect(staff.filter((o) => o.department === department).every((o) => o.channel === 'max' && o.preferred === 'max')).toBe(
        true,
      );
      const official = inMax.find((o) => o.role === 'official');
      if (!official) throw new Error('the MAX department has an official');

      // A final answer of that official, delivered to the citizen.
      const answer = await waitFor(
        () =>
          db
            .selectFrom('answer')
            .innerJoin('case', 'case.id', 'answer.case_id')
            .innerJoin('source', 'source.id', 'case.source_id')
            .select(['case.id as caseId', 'case.number', 'answer.text', 'source.channel', 'source.external_id as chat'])
            .where('answer.author', '=', `official:${official.id}`)
            .where('answer.kind', '=', 'final')
            .where('answer.state', '=', 'sent')
            .where('source.kind', '=', 'private')
            .executeTakeFirst(),
        40_000,
        250,
      );
      const dialog = max.sentTo(Number(official.chatId));
      // The card came to the official's MAX dialog, its buttons MAX callback payloads («Взять в работу» among them).
      const actions = dialog
        .filter((m) => m.text.includes(answer.number))
        .flatMap((m) => (m.keyboard ?? []).flat().map((b) => parseMaxPayload(b.payload)));
      expect(actions).toContainEqual({ type: 'take', caseId: answer.caseId });
      expect(actions).toContainEqual({ type: 'answer', caseId: answer.caseId, kind: 'final' });
      // The official pressed the buttons and wrote the answer in MAX: the bot's replies are in that dialog.
      expect(dialog.some((m) => m.text === ru.taken)).toBe(true);
      expect(dialog.some((m) => m.text === ru.answerSent(answer.number) || m.text === ru.answerHeld(answer.number))).toBe(true);
      // The citizen got the answer where they wrote (a simulated citizen in Telegram or in MAX).
      const toCitizen =
        answer.channel === 'max'
          ? max.sentTo(Number(answer.chat)).map((m) => m.text)
          : botMessagesTo(emulator.server, Number(answer.chat)).map((m) => m.text);
      expect(toCitizen).toContain(ru.answerToCitizen(answer.text));
      expect(app.officials?.stats.max.answered).toBeGreaterThanOrEqual(1);
    } finally {
      await app.stop();
      await testDb.drop();
    }
  }, 75_000);

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
