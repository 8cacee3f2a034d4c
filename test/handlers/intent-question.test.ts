import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import {
  type IntakeDeps,
  processMessage,
  processUnprocessed,
  receiveMessage,
  recordConsent,
} from '../../handlers/intake/index.js';
import { answerIntent, intentQuestionTimeout } from '../../handlers/intake/intent-question.js';
import { createStructurer } from '../../handlers/structuring/assess.js';
import { ManualClock } from '../../lib/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { barnaulIntakeDeps, privateMessages } from '../helpers/intake.js';
import { notificationsTo, recordingQueue } from '../helpers/jobs.js';

const domain = loadDomainConfig('config/barnaul.yaml');
/** The intent model leans to not-a-problem for every text: the rules' «problem» verdicts are confirmed. */
const structurer = createStructurer(domain, null, [], { version: 'stub', notProblem: () => 0.4 });
const QUESTION = 'Здравствуйте, а вы по выходным работаете?';
const THANKS_WITH_WISH = 'Спасибо за новые лавочки в парке, но там бы ещё урны поставить';
const HOT_WATER = 'Третий день нет горячей воды, ул. Попова, 105';

const privateText = privateMessages('iq');

describe('«Это обращение?»: a message that may be thanks or chatter waits for the citizen (real PostgreSQL)', () => {
  let testDb: TestDatabase;
  let deps: IntakeDeps;
  const clock = new ManualClock('2026-12-01T03:00:00Z');
  const jobs = recordingQueue();
  const sent = jobs.jobs;
  let nextCitizen = 700;

  beforeAll(async () => {
    testDb = await createTestDatabase('intent_question', { migrate: true });
    deps = barnaulIntakeDeps(testDb.handle.db, clock, jobs, domain, structurer);
  });
  afterAll(async () => testDb.drop());

  async function citizen(): Promise<number> {
    const id = ++nextCitizen;
    await recordConsent(deps, { channel: 'telegram', author: { externalId: String(id) }, consent: 'given' });
    return id;
  }
  async function send(who: number, text: string) {
    const r = await receiveMessage(deps, privateText(who, text));
    if (r.status !== 'stored') throw new Error(`not stored: ${r.status}`);
    return { messageId: r.messageId, outcome: await processMessage(deps, { messageId: r.messageId }) };
  }
  const sender = (who: number) => ({ channel: 'telegram' as const, externalId: String(who) });
  const casesOf = (who: number) =>
    testDb.handle.db
      .selectFrom('case')
      .innerJoin('citizen', 'citizen.id', 'case.citizen_id')
      .select(['case.id', 'case.text'])
      .where('citizen.external_id', '=', String(who))
      .orderBy('case.id')
      .execute();
  const toldTo = (who: number) => notificationsTo(sent, who);
  const messageRow = (id: number) =>
    testDb.handle.db
      .selectFrom('message')
      .select(['case_id', 'processed_at', 'not_problem_reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const question = (id: number) =>
    testDb.handle.db
      .selectFrom('intent_question')
      .select(['state', 'decided_by', 'lean'])
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();

  it('when the rules say problem but the intent model leans to chatter, then the citizen is asked, no case, and a timeout is queued', async () => {
    const who = await citizen();
    const { messageId, outcome } = await send(who, QUESTION);
    expect(outcome).toEqual({ status: 'awaiting_intent' });
    expect(await messageRow(messageId)).toEqual({ case_id: null, processed_at: null, not_problem_reason: null });
    expect(await casesOf(who)).toHaveLength(0);
    expect(toldTo(who)).toEqual([{ kind: 'intent_question', messageId, waitMinutes: 5 }]);
    const timeout = sent.find((j) => j.name === 'intent-question-timeout');
    expect(timeout?.payload).toEqual({ messageId });
    expect(timeout?.startAfter?.toISOString()).toBe(new Date(clock.now().getTime() + 300_000).toISOString());
    // Re-processing (a retried job, the sweep) changes nothing while the question waits.
    expect(await processMessage(deps, { messageId })).toEqual({ status: 'skipped', reason: 'awaiting_choice' });
  });

  it('when the citizen answers «Да, это обращение», then the case opens once; a second press and the timeout find it decided', async () => {
    const who = await citizen();
    const { messageId } = await send(who, QUESTION);
    expect(await answerIntent(deps, { messageId, appeal: true, sender: sender(who) })).toBe('opened');
    expect((await casesOf(who)).map((c) => c.text)).toEqual([QUESTION]);
    expect(toldTo(who).map((n) => n.kind)).toEqual(['intent_question', 'case_opened']);
    expect(await question(messageId)).toMatchObject({ state: 'appeal', decided_by: 'citizen:telegram' });
    expect(await answerIntent(deps, { messageId, appeal: false, sender: sender(who) })).toBe('stale');
    expect(await intentQuestionTimeout(deps, { messageId })).toBe('stale');
    expect(await casesOf(who)).toHaveLength(1);
  });

  it('when the citizen answers «Нет» to chatter, then no case and «не регистрируем»; to thanks, the thanks count as feedback', async () => {
    const asker = await citizen();
    const q = await send(asker, QUESTION);
    expect(await answerIntent(deps, { messageId: q.messageId, appeal: false, sender: sender(asker) })).toBe('not_appeal');
    expect(await casesOf(asker)).toHaveLength(0);
    expect(toldTo(asker).map((n) => n.kind)).toEqual(['intent_question', 'not_an_appeal']);
    expect(await messageRow(q.messageId)).toMatchObject({ case_id: null, not_problem_reason: 'citizen: not an appeal (spam)' });

    const thanker = await citizen();
    const t = await send(thanker, THANKS_WITH_WISH);
    expect(await question(t.messageId)).toMatchObject({ lean: 'thanks', state: 'pending' });
    expect(await answerIntent(deps, { messageId: t.messageId, appeal: false, sender: sender(thanker) })).toBe('not_appeal');
    expect(toldTo(thanker).map((n) => n.kind)).toEqual(['intent_question', 'thanks_received']);
    const feedback = await testDb.handle.db
      .selectFrom('feedback')
      .select('kind')
      .where('message_id', '=', t.messageId)
      .executeTakeFirst();
    expect(feedback).toEqual({ kind: 'thanks' });
  });

  it('when someone else presses the button, then it is not theirs and nothing is decided', async () => {
    const who = await citizen();
    const stranger = await citizen();
    const { messageId } = await send(who, QUESTION);
    expect(await answerIntent(deps, { messageId, appeal: false, sender: sender(stranger) })).toBe('not_yours');
    expect(await question(messageId)).toMatchObject({ state: 'pending' });
  });

  it('when no answer comes in time, then the message becomes a case (nothing is lost)', async () => {
    const who = await citizen();
    const { messageId } = await send(who, QUESTION);
    clock.advance(300_000);
    expect(await intentQuestionTimeout(deps, { messageId })).toBe('opened');
    expect(await casesOf(who)).toHaveLength(1);
    expect(await question(messageId)).toMatchObject({ state: 'appeal', decided_by: 'timeout' });
  });

  it('when the citizen writes again instead of answering, then the asked message becomes a case and the new one follows it', async () => {
    const who = await citizen();
    const first = await send(who, QUESTION);
    clock.advance(60_000);
    const next = await send(who, HOT_WATER);
    expect(await question(first.messageId)).toMatchObject({ state: 'appeal', decided_by: 'next_message' });
    const cases = await casesOf(who);
    expect(cases[0]?.text).toBe(QUESTION);
    expect(['opened', 'joined', 'awaiting_choice']).toContain(next.outcome.status);
    expect(await answerIntent(deps, { messageId: first.messageId, appeal: false, sender: sender(who) })).toBe('stale');
  });

  it('when the timeout job gave up (a long outage), then the sweep decides the question as the timeout would', async () => {
    const who = await citizen();
    const { messageId } = await send(who, QUESTION);
    clock.advance(300_000 + 60_000 + 1_000);
    expect(await processUnprocessed(deps, { graceMs: 60_000, limit: 500 })).toBeGreaterThanOrEqual(1);
    expect(await question(messageId)).toMatchObject({ state: 'appeal', decided_by: 'timeout' });
    expect(await casesOf(who)).toHaveLength(1);
  });

  it('when the citizen types «Нет» instead of pressing, then it answers the question: no case, and «нет» opens none either', async () => {
    const who = await citizen();
    const { messageId } = await send(who, QUESTION);
    clock.advance(30_000);
    const typed = await send(who, 'Нет.');
    expect(typed.outcome).toEqual({ status: 'intent_answered' });
    expect(await question(messageId)).toMatchObject({ state: 'not_appeal', decided_by: 'citizen:telegram' });
    expect(await casesOf(who)).toHaveLength(0);
    expect(await messageRow(typed.messageId)).toMatchObject({
      case_id: null,
      not_problem_reason: 'answer to «Это обращение?»: no',
    });
  });

  it('when the citizen types «да», then the case opens, its clock from when they first wrote', async () => {
    const who = await citizen();
    const { messageId } = await send(who, QUESTION);
    const wrote = await testDb.handle.db
      .selectFrom('message')
      .select('received_at')
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    clock.advance(120_000);
    expect((await send(who, 'Да')).outcome).toEqual({ status: 'intent_answered' });
    const opened = await testDb.handle.db
      .selectFrom('case')
      .innerJoin('citizen', 'citizen.id', 'case.citizen_id')
      .select('case.created_at')
      .where('citizen.external_id', '=', String(who))
      .executeTakeFirstOrThrow();
    expect(opened.created_at.toISOString()).toBe(wrote.received_at.toISOString());
  });

  it('when the citizen follows up with more chatter, then the question still waits for its answer', async () => {
    const who = await citizen();
    const { messageId } = await send(who, QUESTION);
    clock.advance(30_000);
    const thanks = await send(who, 'Спасибо большое!');
    expect(thanks.outcome).toEqual({ status: 'not_a_problem', kind: 'thanks' });
    expect(await question(messageId)).toMatchObject({ state: 'pending' });
    expect(await casesOf(who)).toHaveLength(0);
  });
});
