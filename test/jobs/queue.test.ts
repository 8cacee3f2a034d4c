import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTER_QUEUE } from '../../models/jobs.js';
import { QUEUE_SCHEMA, QueueService } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const log = createLogger({ level: 'silent' });

async function jobCount(testDb: TestDatabase, name: string): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.table(`${QUEUE_SCHEMA}.job`)} where name = ${name}`.execute(testDb.handle.db);
  return result.rows[0]?.n ?? 0;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

describe('QueueService (pg-boss on real PostgreSQL)', () => {
  let testDb: TestDatabase;
  let queue: QueueService;

  beforeAll(async () => {
    testDb = await createTestDatabase('queue', { migrate: true });
    queue = new QueueService(testDb.url, log);
    await queue.start();
  });
  afterAll(async () => {
    await queue.stop(1_000);
    await testDb.drop();
  });

  it('when the transaction that enqueued a job rolls back, then the job does not exist', async () => {
    await expect(
      testDb.handle.db.transaction().execute(async (tx) => {
        await tx.insertInto('dead_letter').values({ source: 'test', reason: 'rollback', raw: '{}' }).execute();
        await queue.send('ping', { at: 'rolled-back' }, { tx });
        throw new Error('rollback on purpose');
      }),
    ).rejects.toThrow('rollback on purpose');
    expect(await jobCount(testDb, 'ping')).toBe(0);
    const rows = await testDb.handle.db.selectFrom('dead_letter').select('id').where('reason', '=', 'rollback').execute();
    expect(rows).toHaveLength(0);
  });

  it('when the transaction commits, then the job exists together with the write', async () => {
    await testDb.handle.db.transaction().execute(async (tx) => {
      await tx.insertInto('dead_letter').values({ source: 'test', reason: 'commit', raw: '{}' }).execute();
      await queue.send('ping', { at: 'committed' }, { tx });
    });
    expect(await jobCount(testDb, 'ping')).toBe(1);
  });

  it('when a payload does not match its schema, then send refuses it before touching the database', async () => {
    await expect(queue.send('process-message', { messageId: -1 })).rejects.toThrow();
  });

  it('when a worker runs, then it receives the typed payload', async () => {
    const seen: string[] = [];
    await queue.work('ping', async (payload) => {
      seen.push(payload.at);
    });
    await queue.send('ping', { at: 'worked' });
    await waitFor(async () => (seen.includes('worked') ? true : undefined));
    expect(seen).toContain('worked');
  });

  it('when every queue is created, then each has retries with backoff and the dead-letter queue', async () => {
    const depths = await queue.depths();
    expect(Object.keys(depths)).toEqual(expect.arrayContaining(['ping', 'process-message', DEAD_LETTER_QUEUE]));
    const result = await sql<{ name: string; retry_limit: number; retry_backoff: boolean; dead_letter: string | null }>`
      select name, retry_limit, retry_backoff, dead_letter from ${sql.table(`${QUEUE_SCHEMA}.queue`)}
      where name = 'process-message'`.execute(testDb.handle.db);
    expect(result.rows[0]).toEqual({
      name: 'process-message',
      retry_limit: 8,
      retry_backoff: true,
      dead_letter: DEAD_LETTER_QUEUE,
    });
  });
});

describe('QueueService dead letters', () => {
  it('when a job fails past its retries, then it lands in the dead-letter queue with its payload', async () => {
    const testDb = await createTestDatabase('queue_dlq', { migrate: true });
    const queue = new QueueService(testDb.url, log);
    try {
      await queue.start();
      await queue.work('ping', async () => {
        throw new Error('always fails');
      });
      await queue.send('ping', { at: 'doomed' });
      const dead = await waitFor(async () => {
        const r = await sql<{ data: { at: string } }>`
          select data from ${sql.table(`${QUEUE_SCHEMA}.job`)} where name = ${DEAD_LETTER_QUEUE}`.execute(testDb.handle.db);
        return r.rows[0];
      });
      expect(dead.data).toEqual({ at: 'doomed' });
    } finally {
      await queue.stop(1_000);
      await testDb.drop();
    }
  });
});
