import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bindIntake,
  type IntakeDeps,
  processMessage,
  processUnprocessed,
  receiveMessage,
  recordConsent,
} from '../../handlers/intake/index.js';
import { ManualClock } from '../../lib/clock.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { incomingMessage } from '../helpers/payloads.js';
import { seedFollowUpChoice } from '../helpers/rows.js';

function privateText(id: number, text: string) {
  return incomingMessage({
    eventId: `u${id}`,
    source: { externalId: '77', kind: 'private', official: false },
    externalId: String(id),
    author: { externalId: '77', displayName: 'Тест' },
    text,
    platformIds: { update_id: id, chat_id: 77, message_id: id },
  });
}

describe('exactly one case, whatever happens to the worker', () => {
  let testDb: TestDatabase;
  let enqueued: { name: string; payload: unknown }[] = [];
  let deps: IntakeDeps;

  beforeAll(async () => {
    testDb = await createTestDatabase('crash', { migrate: true });
    const jobs = recordingQueue();
    enqueued = jobs.jobs;
    deps = {
      db: testDb.handle.db,
      jobs,
      clock: new ManualClock('2026-11-29T03:00:00Z'),
      log: createLogger({ level: 'silent' }),
      settings: { followUpWindowMs: 86_400_000, firstResponse: '9wh', timeZone: 'Asia/Barnaul' },
    };
    await recordConsent(deps, { channel: 'telegram', author: { externalId: '77' }, consent: 'given' });
  });
  afterAll(async () => testDb.drop());

  it('when the worker process is killed inside the case transaction, then the retry opens exactly one case', async () => {
    const stored = await receiveMessage(deps, privateText(1, 'Нет света в подъезде'));
    expect(stored.status).toBe('stored');
    const messageId = stored.status === 'stored' ? stored.messageId : 0;

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/crash-worker.ts', testDb.url, String(messageId)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('inside-transaction') && resolve());
      child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    // PostgreSQL rolled the dead worker's transaction back: no case, message still unprocessed.
    expect(await testDb.handle.db.selectFrom('case').select('id').execute()).toHaveLength(0);

    // pg-boss retries the job (here: the same handler, twice, as a retry plus a duplicate delivery).
    const first = await processMessage(deps, { messageId });
    const second = await processMessage(deps, { messageId });
    expect(first.status).toBe('opened');
    expect(second).toEqual({ status: 'skipped', reason: 'already_processed' });
    const cases = await testDb.handle.db.selectFrom('case').select(['id', 'number']).execute();
    expect(cases).toHaveLength(1);
    expect(cases[0]?.number).toMatch(/^МЦУ-2026-\d{6}$/);
  });

  it('when the same event arrives twice, then the second is a no-op and enqueues nothing', async () => {
    const before = enqueued.length;
    expect((await receiveMessage(deps, privateText(2, 'Дубль'))).status).toBe('stored');
    expect(await receiveMessage(deps, privateText(2, 'Дубль'))).toEqual({ status: 'duplicate' });
    expect(enqueued.length - before).toBe(0);
  });

  it('when the process dies between storing a message and deciding its case, then the sweep decides it once, and never one that waits for the citizen', async () => {
    const clock = deps.clock as ManualClock;
    clock.set('2026-11-29T05:00:00Z');
    const intake = bindIntake(deps);
    // The earlier tests left a stored, undecided message ('Дубль'): the sweep decides it.
    expect(await processUnprocessed(deps, { graceMs: 60_000, limit: 10 })).toBe(1);
    // Stored (as by a unit of work that died before deciding): no case yet.
    const orphan = await receiveMessage(deps, {
      ...privateText(30, 'Сломана лавочка'),
      source: { externalId: '79', kind: 'private', official: false },
    });
    expect(orphan.status).toBe('stored');
    // A message stored and decided inline by the bound intake.
    const inline = await intake.receive({
      ...privateText(31, 'Не вывозят мусор'),
      source: { externalId: '80', kind: 'private', official: false },
    });
    const messageId = (o: typeof orphan) => (o.status === 'stored' ? o.messageId : 0);
    const processed = async (id: number) =>
      await testDb.handle.db
        .selectFrom('message')
        .select(['processed_at', 'case_id'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    expect((await processed(messageId(inline))).case_id).not.toBeNull();
    expect((await processed(messageId(orphan))).processed_at).toBeNull();
    // Within the grace period the sweep leaves it alone (its unit of work may still be running).
    expect(await processUnprocessed(deps, { graceMs: 60_000, limit: 10 })).toBe(0);
    clock.advance(61_000);
    expect(await processUnprocessed(deps, { graceMs: 60_000, limit: 10 })).toBe(1);
    const decidedCase = (await processed(messageId(orphan))).case_id;
    expect(decidedCase).not.toBeNull();
    expect(await processUnprocessed(deps, { graceMs: 60_000, limit: 10 })).toBe(0);

    // A message waiting for the citizen's «дополнение или новое?» answer is left to that answer or its timeout.
    const waiting = await receiveMessage(deps, {
      ...privateText(32, 'Ещё вопрос'),
      source: { externalId: '79', kind: 'private', official: false },
    });
    const citizen = await testDb.handle.db
      .selectFrom('citizen')
      .select('id')
      .where('external_id', '=', '77')
      .executeTakeFirstOrThrow();
    await seedFollowUpChoice(testDb.handle.db, {
      message_id: messageId(waiting),
      citizen_id: citizen.id,
      case_id: decidedCase ?? 0,
      at: clock.now(),
    });
    clock.advance(61_000);
    expect(await processUnprocessed(deps, { graceMs: 60_000, limit: 10 })).toBe(0);
    expect((await processed(messageId(waiting))).processed_at).toBeNull();
  });

  it('when a follow-up arrives within the window, then it joins the open case; after the window, a new case opens', async () => {
    const clock = deps.clock as ManualClock;
    const a = await receiveMessage(deps, privateText(10, 'Первое'));
    const first = await processMessage(deps, { messageId: a.status === 'stored' ? a.messageId : 0 });
    clock.advance(60 * 60 * 1000);
    const b = await receiveMessage(deps, privateText(11, 'Дополнение'));
    const joined = await processMessage(deps, { messageId: b.status === 'stored' ? b.messageId : 0 });
    expect(joined.status).toBe('joined');
    expect('caseId' in joined && joined.caseId).toBe('caseId' in first && first.caseId);
    clock.advance(25 * 60 * 60 * 1000);
    const c = await receiveMessage(deps, privateText(12, 'Через сутки'));
    expect((await processMessage(deps, { messageId: c.status === 'stored' ? c.messageId : 0 })).status).toBe('opened');
  });

  it('when a case opens just after midnight on 1 January in Barnaul, then its number has the new year', async () => {
    (deps.clock as ManualClock).set('2026-12-31T17:30:00Z'); // 00:30 on 1 January 2027 in Asia/Barnaul (UTC+7)
    const m = await receiveMessage(deps, {
      ...privateText(20, 'С Новым годом, а воды нет'),
      source: { externalId: '78', kind: 'private', official: false },
    });
    expect(m.status).toBe('stored');
    const result = await processMessage(deps, { messageId: m.status === 'stored' ? m.messageId : 0 });
    expect('number' in result && result.number).toMatch(/^МЦУ-2027-000001$/);
  });
  it('when an event is retried after its message was stored but not decided, then the retry decides it; a message that cannot be decided is parked after five sweeps', async () => {
    const clock = deps.clock as ManualClock;
    clock.set('2026-11-29T06:00:00Z');
    const intake = bindIntake(deps);
    const input = {
      ...privateText(40, 'Не работает светофор'),
      source: { externalId: '81', kind: 'private' as const, official: false },
    };
    const stored = await receiveMessage(deps, input);
    const id = stored.status === 'stored' ? stored.messageId : 0;
    expect(await intake.receive({ ...input, eventId: 'u40-again' })).toEqual({ status: 'duplicate' });
    const row = await testDb.handle.db.selectFrom('message').select(['case_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.case_id).not.toBeNull();

    // A message whose deciding always fails: counted per sweep, parked at the fifth, the others go on.
    const poison = await receiveMessage(deps, { ...input, eventId: 'u41', externalId: '41', text: 'Ядовитое' });
    const poisonId = poison.status === 'stored' ? poison.messageId : 0;
    const broken = {
      assess: () => {
        throw new Error('structurer broken');
      },
    };
    const breaking = { ...deps, structuring: { structurer: broken } } as unknown as IntakeDeps;
    clock.advance(61_000);
    for (let sweep = 1; sweep <= 5; sweep++) expect(await processUnprocessed(breaking, { graceMs: 60_000, limit: 10 })).toBe(0);
    const letters = (
      await testDb.handle.db.selectFrom('dead_letter').select(['source', 'reason', 'raw', 'error']).execute()
    ).filter((l) => (l.raw as { messageId?: number }).messageId === poisonId);
    expect(letters).toEqual([
      {
        source: 'message-decision',
        reason: 'case_decision_failed',
        raw: { messageId: poisonId },
        error: 'Error: structurer broken',
      },
    ]);
    // Parked: the sweep leaves it alone until an operator replays it.
    const left = await testDb.handle.db
      .selectFrom('message')
      .select(['processed_at', 'decide_failures'])
      .where('id', '=', poisonId)
      .executeTakeFirstOrThrow();
    expect(left).toEqual({ processed_at: null, decide_failures: 5 });
  });
});
