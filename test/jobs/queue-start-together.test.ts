import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTER_QUEUE, JOB_NAMES } from '../../models/jobs.js';
import { QUEUE_SCHEMA, QueueService } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const log = createLogger({ level: 'silent' });

/**
 * docker compose starts two app instances on one fresh database at once. pg-boss's create_queue in two
 * transactions at once deadlocks (PostgreSQL aborts one with 40P01); before the retry one instance
 * failed to start in 3 of 3 such starts.
 */
describe('queues created by instances that start together', () => {
  let testDb: TestDatabase;
  const queues: QueueService[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase('queue_together', { migrate: true });
  });
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.stop(1_000)));
    await testDb.drop();
  });

  it('when three queue services start at the same moment on a fresh database, then all three start and every queue exists once', async () => {
    queues.push(...[1, 2, 3].map(() => new QueueService(testDb.url, log)));
    const outcomes = await Promise.allSettled(queues.map((q) => q.start()));
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    for (const q of queues) await q.ping();
    const rows = await sql<{ name: string }>`select name from ${sql.table(`${QUEUE_SCHEMA}.queue`)} `.execute(testDb.handle.db);
    // pg-boss keeps its own internal queues (`__pgboss__…`) beside ours.
    const ours = rows.rows.map((r) => r.name).filter((n) => !n.startsWith('__pgboss__'));
    expect(ours.sort()).toEqual([...JOB_NAMES, DEAD_LETTER_QUEUE].sort());
  }, 60_000);
});
