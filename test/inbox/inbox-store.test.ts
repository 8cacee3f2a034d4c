import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboxInput, storeInbound } from '../../models/inbox-repository.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * The inbox insert is a named prepared statement taking the batch as one JSON parameter (and the
 * same text inside a transaction when dead letters come along): what it stores must be exactly
 * what the Kysely multi-row INSERT stored before.
 */
describe('the inbox insert', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase('inbox_store', { migrate: true });
  });
  afterAll(async () => testDb.drop());

  const stored = (channel: string) =>
    testDb.handle.db
      .selectFrom('inbox_event')
      .select(['id', 'event_id', 'lane', 'payload', 'status', 'attempts'])
      .where('channel', '=', channel)
      .orderBy('id')
      .execute();

  const event = (channel: string, eventId: string, payload: unknown = { n: eventId }): InboxInput => ({
    channel,
    eventId,
    lane: 'chat:1',
    payload,
  });

  it('when a batch is stored, then ids follow its order and every payload reads back exactly', async () => {
    const tricky = {
      text: 'Кавычки " и \\ обратная черта, эмодзи 🚰, RTL \u202e, HTML <b>&amp;</b>, SQL \'; drop table x; --',
      nested: { list: [1, -2.5, 1e21, true, null, 'строка'], empty: {}, none: [] },
      big: 9_007_199_254_740_991,
    };
    const batch = Array.from({ length: 50 }, (_, i) => event('t-order', `e${i}`, i === 7 ? tricky : { n: i }));
    expect(await storeInbound(testDb.handle.db, batch)).toBe(50);
    const rows = await stored('t-order');
    expect(rows.map((r) => r.event_id)).toEqual(batch.map((e) => e.eventId));
    expect(rows[7]?.payload).toEqual(tricky);
    expect(rows.every((r) => r.status === 'pending' && r.attempts === 0 && r.lane === 'chat:1')).toBe(true);
  });

  it('when events repeat, across batches or inside one, then each is stored once and the count says how many were new', async () => {
    const db = testDb.handle.db;
    expect(await storeInbound(db, [event('t-dup', '1'), event('t-dup', '2')])).toBe(2);
    expect(await storeInbound(db, [event('t-dup', '2'), event('t-dup', '3'), event('t-dup', '3', { other: true })])).toBe(1);
    // The same id on another channel is another event.
    expect(await storeInbound(db, [event('t-dup-other', '1')])).toBe(1);
    const rows = await stored('t-dup');
    expect(rows.map((r) => [r.event_id, r.payload])).toEqual([
      ['1', { n: '1' }],
      ['2', { n: '2' }],
      ['3', { n: '3' }],
    ]);
  });

  it('when dead letters come with the events, then both are written in one transaction, with the same dedupe', async () => {
    const db = testDb.handle.db;
    const dead = [{ source: 't-tx-source', reason: 'not_an_update', raw: { rawBody: 'x' } }];
    expect(await storeInbound(db, [event('t-tx', 'a'), event('t-tx', 'b')], dead)).toBe(2);
    expect(await storeInbound(db, [event('t-tx', 'b'), event('t-tx', 'c')], dead)).toBe(1);
    expect((await stored('t-tx')).map((r) => r.event_id)).toEqual(['a', 'b', 'c']);
    const letters = await db.selectFrom('dead_letter').select('reason').where('source', '=', 't-tx-source').execute();
    expect(letters).toHaveLength(2);
  });

  it('when one row of a transaction fails, then neither the events nor the dead letters of that call are kept', async () => {
    const db = testDb.handle.db;
    const bad = [{ source: 't-rollback-source', reason: 'not_an_update', raw: { rawBody: 'x' } }];
    // A payload PostgreSQL refuses (NUL is not storable in jsonb): the statement fails, so the transaction does.
    await expect(storeInbound(db, [event('t-rollback', 'a', { text: 'a\u0000b' })], bad)).rejects.toThrow();
    expect(await stored('t-rollback')).toEqual([]);
    expect(await db.selectFrom('dead_letter').select('id').where('source', '=', 't-rollback-source').execute()).toEqual([]);
  });

  it('when the database refuses a payload, then the call rejects and nothing of the batch is stored', async () => {
    await expect(
      storeInbound(testDb.handle.db, [event('t-refused', 'a'), event('t-refused', 'b', 'a\u0000b')]),
    ).rejects.toThrow();
    expect(await stored('t-refused')).toEqual([]);
  });
});
