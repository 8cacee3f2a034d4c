import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneEventLedger } from '../../handlers/intake/prune-event-ledger.js';
import { ManualClock } from '../../lib/clock.js';
import { pruneInboundEvents } from '../../models/intake-repository.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

describe('the event ledger is pruned by age', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase('prune_ledger', { migrate: true });
  });
  afterAll(async () => testDb.drop());

  it('when the daily job runs, then ids older than the retention are forgotten and recent ones kept', async () => {
    const db = testDb.handle.db;
    const now = new Date('2026-12-10T00:00:00Z');
    const day = 86_400_000;
    const rows = Array.from({ length: 25 }, (_, i) => ({
      channel: i % 2 ? 'vk' : 'telegram',
      event_id: `e${i}`,
      // e0…e19 are 8+ days old, e20…e24 from the last day.
      received_at: new Date(now.getTime() - (i < 20 ? 8 * day + i * 1000 : day / 2)),
    }));
    await db.insertInto('inbound_event').values(rows).execute();
    // The inbox: a decided old event goes, a pending old one stays, a parked one stays while its dead letter lives.
    const inbox = (event_id: string, status: 'pending' | 'done' | 'parked') => ({
      channel: 'telegram',
      event_id,
      lane: 'chat:1',
      payload: '{}',
      status,
      received_at: new Date(now.getTime() - 8 * day),
    });
    const [, , parked] = await db
      .insertInto('inbox_event')
      .values([inbox('done-old', 'done'), inbox('pending-old', 'pending'), inbox('parked-old', 'parked')])
      .returning('id')
      .execute();
    await db
      .insertInto('dead_letter')
      .values([
        {
          source: 'telegram',
          reason: 'processing_failed',
          raw: '{}',
          inbox_id: parked?.id ?? 0,
          created_at: new Date(now.getTime() - 2 * day),
        },
        { source: 'vk-callback', reason: 'old', raw: '{}', created_at: new Date(now.getTime() - 31 * day) },
      ])
      .execute();
    expect(await pruneEventLedger({ db, clock: new ManualClock(now) }, { ledgerMs: 7 * day, deadLettersMs: 30 * day })).toEqual({
      ledger: 20,
      inbox: 1,
      deadLetters: 1,
    });
    const inboxLeft = await db.selectFrom('inbox_event').select('event_id').orderBy('event_id').execute();
    expect(inboxLeft.map((r) => r.event_id)).toEqual(['parked-old', 'pending-old']);
    const left = await db.selectFrom('inbound_event').select('event_id').orderBy('event_id').execute();
    expect(left.map((r) => r.event_id)).toEqual(['e20', 'e21', 'e22', 'e23', 'e24']);
    // In slices: a small slice size still deletes everything due, over several statements.
    await db
      .insertInto('inbound_event')
      .values(
        Array.from({ length: 7 }, (_, i) => ({
          channel: 'vk',
          event_id: `old${i}`,
          received_at: new Date(now.getTime() - 9 * day),
        })),
      )
      .execute();
    expect(await pruneInboundEvents(db, new Date(now.getTime() - 7 * day), 3)).toBe(7);
  });
});
