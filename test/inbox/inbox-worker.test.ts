import { BotError, type Context, GrammyError, HttpError } from 'grammy';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkTelegramUpdate } from '../../bots/telegram/edge.js';
import { acceptFrom, type Decider, InboxWorker, isTransient, rawBody } from '../../handlers/inbox/index.js';
import { replayDeadLetter } from '../../handlers/intake/dead-letters.js';
import { ManualClock } from '../../lib/clock.js';
import { claimInboxEvents, requeueParkedEvent } from '../../models/inbox-repository.js';
import { createLogger } from '../../src/logger.js';
import { waitFor } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

describe('the inbox: store first, decide later, park what fails', () => {
  let testDb: TestDatabase;
  let worker: InboxWorker | null = null;
  let seq = 0;
  const channel = () => `test-${++seq}`;
  const accept = (ch: string, events: { id: string; lane: string; payload?: unknown }[]) =>
    acceptFrom(testDb.handle, {
      channel: ch,
      source: ch,
      outcomes: events.map((e) => ({ ok: true, eventId: e.id, lane: e.lane, payload: e.payload ?? { id: e.id } })),
    });
  const start = (ch: string, decider: Decider, options: Partial<ConstructorParameters<typeof InboxWorker>[2]> = {}) => {
    worker = new InboxWorker(testDb.handle.db, log, { maxAttempts: 3, idleMs: 10, retryBaseMs: 10, ...options });
    worker.register(ch, decider);
    worker.start();
    return worker;
  };
  /** Every event of the test's channels decided (the first test leaves its own events pending on purpose). */
  const settled = () =>
    waitFor(async () => {
      const left = await testDb.handle.db
        .selectFrom('inbox_event')
        .select('id')
        .where('status', '=', 'pending')
        .where('channel', 'like', 'test-%')
        .where('channel', '<>', 'test-1')
        .execute();
      return left.length === 0 ? true : undefined;
    });

  beforeAll(async () => {
    testDb = await createTestDatabase('inbox_worker', { migrate: true });
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });
  afterAll(async () => testDb.drop());

  it('when the same event is accepted twice, then it is stored once', async () => {
    const ch = channel();
    expect(await accept(ch, [{ id: '1', lane: 'a' }])).toEqual({ stored: 1, repeated: 0, parked: 0 });
    expect(
      await accept(ch, [
        { id: '1', lane: 'a' },
        { id: '2', lane: 'a' },
      ]),
    ).toEqual({ stored: 1, repeated: 1, parked: 0 });
    const rows = await testDb.handle.db.selectFrom('inbox_event').select('event_id').where('channel', '=', ch).execute();
    expect(rows.map((r) => r.event_id).sort()).toEqual(['1', '2']);
  });

  it('when events of one lane and of several lanes wait, then a lane is decided in order, one at a time, lanes side by side', async () => {
    const ch = channel();
    await accept(
      ch,
      Array.from({ length: 30 }, (_, i) => ({ id: String(i), lane: `lane-${i % 3}`, payload: { lane: i % 3, n: i } })),
    );
    const seen: Record<number, number[]> = { 0: [], 1: [], 2: [] };
    const busy = new Set<number>();
    let overlapInLane = false;
    let lanesTogether = 0;
    start(ch, async (payload) => {
      const { lane, n } = payload as { lane: number; n: number };
      if (busy.has(lane)) overlapInLane = true;
      busy.add(lane);
      lanesTogether = Math.max(lanesTogether, busy.size);
      await new Promise((r) => setTimeout(r, 5));
      seen[lane]?.push(n);
      busy.delete(lane);
    });
    await settled();
    expect(overlapInLane).toBe(false);
    expect(lanesTogether).toBeGreaterThan(1);
    for (const lane of [0, 1, 2]) expect(seen[lane]).toEqual([...Array(10).keys()].map((k) => k * 3 + lane));
  });

  it('when a decision fails, then it is retried; after maxAttempts it is parked with its raw body and error, and its lane goes on', async () => {
    const ch = channel();
    await accept(ch, [
      { id: 'flaky', lane: 'x', payload: { kind: 'flaky' } },
      { id: 'poison', lane: 'y', payload: { kind: 'poison', text: 'Аграфена' } },
      { id: 'after-poison', lane: 'y', payload: { kind: 'ok' } },
    ]);
    const attempts: Record<string, number> = {};
    const decided: string[] = [];
    const parked: unknown[] = [];
    start(
      ch,
      async (payload, event) => {
        const { kind } = payload as { kind: string };
        attempts[kind] = event.attempt;
        if (kind === 'flaky' && event.attempt < 2) throw new Error('flaky once');
        if (kind === 'poison') throw new TypeError('cannot read the poison');
        decided.push(kind);
      },
      { onParked: async (_ch, payload) => void parked.push(payload) },
    );
    await settled();
    expect(decided.sort()).toEqual(['flaky', 'ok']);
    expect(attempts).toEqual({ flaky: 2, poison: 3, ok: 1 });
    const letters = await testDb.handle.db.selectFrom('dead_letter').selectAll().where('source', '=', ch).execute();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ reason: 'processing_failed', raw: { kind: 'poison', text: 'Аграфена' } });
    expect(letters[0]?.error).toContain('TypeError: cannot read the poison');
    expect(parked).toEqual([{ kind: 'poison', text: 'Аграфена' }]);
    const poison = await testDb.handle.db
      .selectFrom('inbox_event')
      .selectAll()
      .where('event_id', '=', 'poison')
      .executeTakeFirstOrThrow();
    expect(poison.status).toBe('parked');

    // An operator replays it once the cause is fixed: it is decided, and a second replay is refused.
    const id = letters[0]?.id ?? 0;
    await worker?.stop();
    start(ch, async (payload) => void decided.push((payload as { kind: string }).kind));
    const deps = { db: testDb.handle.db, clock: new ManualClock('2026-12-06T10:00:00Z'), sources: {} };
    expect(await replayDeadLetter(deps, id)).toEqual({ status: 'requeued', inboxId: poison.id });
    await settled();
    expect(decided).toContain('poison');
    expect(await replayDeadLetter(deps, id)).toMatchObject({ status: 'already_replayed' });
    expect(await replayDeadLetter(deps, 999_999)).toEqual({ status: 'not_found' });
  });

  it('when the database or the network is away during a decision, then the attempt does not count and the event is never parked for it', async () => {
    const ch = channel();
    await accept(ch, [{ id: 'net', lane: 'n' }]);
    let calls = 0;
    start(ch, async () => {
      calls++;
      if (calls <= 5) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    await settled();
    expect(calls).toBe(6);
    const row = await testDb.handle.db
      .selectFrom('inbox_event')
      .selectAll()
      .where('event_id', '=', 'net')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('done');
    expect(await testDb.handle.db.selectFrom('dead_letter').select('id').where('source', '=', ch).execute()).toHaveLength(0);
  });

  it('when a worker dies holding events, then another worker takes them once the lease runs out', async () => {
    const ch = channel();
    await accept(ch, [{ id: 'held', lane: 'h' }]);
    // A worker claims and dies without a word (no decision, no release).
    expect(await claimInboxEvents(testDb.handle.db, { channels: [ch], limit: 10, leaseMs: 300 })).toHaveLength(1);
    const decided: string[] = [];
    start(ch, async (payload) => void decided.push((payload as { id: string }).id));
    await new Promise((r) => setTimeout(r, 100));
    expect(decided).toEqual([]);
    await settled();
    expect(decided).toEqual(['held']);
  });

  it('when a body was refused at the edge, then a replay checks it again: still malformed stays, a fixed rule lets it in', async () => {
    const clock = new ManualClock('2026-12-06T10:00:00Z');
    await acceptFrom(testDb.handle, {
      channel: 'telegram',
      source: 'telegram-webhook',
      outcomes: [{ ok: false, reason: 'invalid_json', raw: rawBody('{"update_id": 7, "message": {') }],
    });
    const update = { update_id: 8, message: { message_id: 1, date: 1_764_400_000, chat: { id: 5, type: 'private' }, text: 'x' } };
    await acceptFrom(testDb.handle, {
      channel: 'telegram',
      source: 'telegram-webhook',
      outcomes: [{ ok: false, reason: 'not_an_update: rule of the day', raw: update }],
    });
    const [broken, refused] = await testDb.handle.db
      .selectFrom('dead_letter')
      .select('id')
      .where('source', '=', 'telegram-webhook')
      .orderBy('id')
      .execute();
    const deps = {
      db: testDb.handle.db,
      clock,
      sources: { 'telegram-webhook': { channel: 'telegram', check: checkTelegramUpdate } },
    };
    expect(await replayDeadLetter(deps, broken?.id ?? 0)).toEqual({ status: 'still_malformed', reason: 'invalid_json' });
    expect(await replayDeadLetter(deps, refused?.id ?? 0)).toEqual({ status: 'stored', eventId: '8', repeated: false });
    const stored = await testDb.handle.db.selectFrom('inbox_event').selectAll().where('channel', '=', 'telegram').execute();
    expect(stored).toMatchObject([{ event_id: '8', lane: 'chat:5', status: 'pending' }]);
  });
  it('when a later event of a chat is being decided, then no other event of that chat is claimed, not even an earlier one put back', async () => {
    const ch = channel();
    await accept(ch, [
      { id: 'early', lane: 'z' },
      { id: 'late', lane: 'z' },
    ]);
    // The early one was parked and is replayed while the late one is being decided.
    await testDb.handle.db
      .updateTable('inbox_event')
      .set({ status: 'parked' })
      .where('event_id', '=', 'early')
      .where('channel', '=', ch)
      .execute();
    const [late] = await claimInboxEvents(testDb.handle.db, { channels: [ch], limit: 10, leaseMs: 60_000 });
    expect(late?.eventId).toBe('late');
    const early = await testDb.handle.db
      .selectFrom('inbox_event')
      .select('id')
      .where('event_id', '=', 'early')
      .where('channel', '=', ch)
      .executeTakeFirstOrThrow();
    expect(await requeueParkedEvent(testDb.handle.db, early.id)).toBe(true);
    expect(await claimInboxEvents(testDb.handle.db, { channels: [ch], limit: 10, leaseMs: 60_000 })).toEqual([]);
    await testDb.handle.db
      .updateTable('inbox_event')
      .set({ status: 'done', locked_until: null })
      .where('id', '=', late?.id ?? 0)
      .execute();
    expect(
      (await claimInboxEvents(testDb.handle.db, { channels: [ch], limit: 10, leaseMs: 60_000 })).map((e) => e.eventId),
    ).toEqual(['early']);
    await testDb.handle.db
      .updateTable('inbox_event')
      .set({ status: 'done', locked_until: null })
      .where('channel', '=', ch)
      .execute();
  });

  it('when an event was claimed more often than it may fail (its process died each time), then it is parked without deciding it again', async () => {
    const ch = channel();
    await accept(ch, [{ id: 'killer', lane: 'k' }]);
    await testDb.handle.db.updateTable('inbox_event').set({ attempts: 3 }).where('channel', '=', ch).execute();
    let decided = 0;
    start(ch, async () => {
      decided++;
    });
    await settled();
    expect(decided).toBe(0);
    const letters = await testDb.handle.db
      .selectFrom('dead_letter')
      .select(['reason', 'error'])
      .where('source', '=', ch)
      .execute();
    expect(letters).toEqual([{ reason: 'processing_failed', error: expect.stringContaining('process deciding it died') }]);
  });

  it('when a decision fails because the database, the network or the Bot API is away (also wrapped by grammY), then it is transient; a refusal is not', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const ctx = {} as Context;
    expect(isTransient(refused)).toBe(true);
    expect(isTransient(new BotError(refused, ctx))).toBe(true);
    expect(isTransient(new BotError(new HttpError('Network request for sendMessage failed', new Error('reset')), ctx))).toBe(
      true,
    );
    const tooMany = new GrammyError(
      'Call to sendMessage failed',
      { ok: false, error_code: 429, description: 'Too Many Requests' },
      'sendMessage',
      {},
    );
    const badRequest = new GrammyError(
      'Call to sendMessage failed',
      { ok: false, error_code: 400, description: 'Bad Request' },
      'sendMessage',
      {},
    );
    expect(isTransient(new BotError(tooMany, ctx))).toBe(true);
    expect(isTransient(new BotError(badRequest, ctx))).toBe(false);
    expect(isTransient(Object.assign(new Error('protocol violation'), { code: '08P01' }))).toBe(false);
    expect(isTransient(new TypeError('cannot read'))).toBe(false);
  });
});
