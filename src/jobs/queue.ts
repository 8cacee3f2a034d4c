import PgBoss from 'pg-boss';
// pg-boss's job manager: patched below (see markCompletionHandled).
import Manager from 'pg-boss/src/manager.js';
import type { Tx } from '../../models/database.js';
import { DEAD_LETTER_QUEUE, JOB_NAMES, JOBS, type JobName, type JobPayload, type JobQueue } from '../../models/jobs.js';
import { sqlExecutorFor } from '../../models/sql-executor.js';
import { createSqlPool, type SqlPool } from '../../models/sql-pool.js';
import type { Logger } from '../logger.js';

export const QUEUE_SCHEMA = 'pgboss';

/**
 * pg-boss 10 calls `complete()` / `fail()` after a job's handler without awaiting them, so when the
 * database is away at that moment their rejection is unhandled (seen in the fault suite: a kill -9
 * of PostgreSQL during a burst). Marking the returned promise handled changes nothing for callers
 * that await it; the job simply stays active, expires and is retried — our handlers are idempotent.
 */
function markCompletionHandled(): void {
  const proto = Manager.prototype as unknown as Record<string, unknown>;
  for (const method of ['complete', 'fail']) {
    const original = proto[method] as ((...args: unknown[]) => Promise<unknown>) & { handled?: boolean };
    if (original.handled) continue;
    const wrapped = Object.assign(
      function (this: unknown, ...args: unknown[]) {
        const result = original.apply(this, args);
        result.catch(() => undefined);
        return result;
      },
      { handled: true },
    );
    proto[method] = wrapped;
  }
}
markCompletionHandled();

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, meta: { id: string; log: Logger }) => Promise<void>;

/** pg-boss in its own schema, wrapped so the rest of the app sees only JOBS names and typed payloads. */
export class QueueService implements JobQueue<Tx> {
  readonly #boss: PgBoss;
  readonly #pool: SqlPool;
  readonly #log: Logger;
  #started = false;

  constructor(connectionString: string, log: Logger) {
    this.#log = log;
    this.#pool = createSqlPool({
      connectionString,
      max: 5,
      applicationName: 'mcu-queue',
      onError: (error) => this.#log.warn({ err: error }, 'queue database connection lost; reconnecting'),
    });
    this.#boss = new PgBoss({
      db: this.#pool,
      schema: QUEUE_SCHEMA,
      // Cron schedules are evaluated by one instance at a time through the database, never twice.
      schedule: true,
      supervise: true,
    });
    // Without a listener an 'error' event would crash the process; pg-boss retries on its own.
    this.#boss.on('error', (error) => this.#log.error({ err: error }, 'queue error'));
  }

  /** Installs or upgrades the pg-boss schema and creates every queue with its policy. */
  async start(): Promise<void> {
    await this.#boss.start();
    await retryOnDeadlock(() =>
      this.#boss.createQueue(DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE, retentionDays: 30 }).catch(ignoreExists),
    );
    for (const name of JOB_NAMES) {
      const options = { name, ...JOBS[name].policy, deadLetter: DEAD_LETTER_QUEUE };
      await retryOnDeadlock(() => this.#boss.createQueue(name, options).catch(ignoreExists));
      await retryOnDeadlock(() => this.#boss.updateQueue(name, options));
    }
    this.#started = true;
  }

  async send<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: { tx?: Tx; startAfter?: Date; singletonKey?: string } = {},
  ): Promise<string | null> {
    const data = JOBS[name].schema.parse(payload) as object;
    return this.#boss.send(name, data, {
      ...(options.tx ? { db: sqlExecutorFor(options.tx) } : {}),
      ...(options.startAfter ? { startAfter: options.startAfter } : {}),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    });
  }

  async sendMany<N extends JobName>(name: N, payloads: JobPayload<N>[], options: { tx?: Tx } = {}): Promise<void> {
    if (payloads.length === 0) return;
    const jobs = payloads.map((payload) => ({ name, data: JOBS[name].schema.parse(payload) as object }));
    // insert() applies the queue's own retry/dead-letter policy, like send().
    await this.#boss.insert(jobs, options.tx ? { db: sqlExecutorFor(options.tx) } : {});
  }

  /** Runs `handler` for each job; a thrown error fails the job so pg-boss retries it with backoff. */
  async work<N extends JobName>(
    name: N,
    handler: JobHandler<N>,
    options: { batchSize?: number; pollingIntervalSeconds?: number } = {},
  ): Promise<void> {
    await this.#boss.work<JobPayload<N>>(
      name,
      { batchSize: options.batchSize ?? 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 },
      async (jobs) => {
        for (const job of jobs) {
          const log = this.#log.child({ job: name, jobId: job.id });
          const parsed = JOBS[name].schema.safeParse(job.data);
          if (!parsed.success) {
            // A malformed payload can never succeed: fail it straight to the dead letters.
            log.error({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'job payload invalid');
            throw new Error(`invalid payload for ${name}`);
          }
          await handler(parsed.data as JobPayload<N>, { id: job.id, log });
        }
      },
    );
  }

  /** Jobs waiting (created or retry) per queue, one query each (/metrics reads all queues in one: models/business-metrics-query.ts). */
  async depths(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const name of [...JOB_NAMES, DEAD_LETTER_QUEUE]) {
      result[name] = await this.#boss.getQueueSize(name);
    }
    return result;
  }

  async ping(): Promise<void> {
    if (!this.#started) throw new Error('queue not started');
    await this.#boss.getQueueSize('ping');
  }

  /** A cron job; `tz` is the city's time zone (the domain file's `city.timezone`), never assumed. */
  async schedule(name: JobName, cron: string, payload: object, tz: string): Promise<void> {
    await this.#boss.schedule(name, cron, payload, { tz });
  }
  async unschedule(name: JobName): Promise<void> {
    await this.#boss.unschedule(name);
  }

  /** Stops fetching new jobs and waits up to `timeoutMs` for running ones to finish. */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (this.#started) {
      this.#started = false;
      await this.#boss.stop({ graceful: true, timeout: timeoutMs, wait: true, close: true });
    }
    await this.#pool.close();
  }
}

/**
 * Instances that start together (docker compose's two) create the same queues at once, and pg-boss's
 * create_queue (insert the queue row, then add the partition's foreign key to it) deadlocks between two
 * such transactions: PostgreSQL aborts one with 40P01 (seen in 3 of 3 starts of two instances on a fresh
 * database). The aborted side tries again and then finds the queue there.
 */
async function retryOnDeadlock<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}

function ignoreExists(error: unknown): void {
  if (!String(error).includes('already exists')) throw error;
}
