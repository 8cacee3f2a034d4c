import {
  Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresDialect,
  sql,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { withDeadline } from '../lib/retry.js';
import type { Database } from './schema.js';
import { guardPool } from './sql-pool.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the pool-backed database or an open transaction: repositories accept both. */
export type Executor = Db | Tx;

// BIGINT (int8) comes back as a string by default; our ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export interface DatabaseHandle {
  db: Db;
  /** Closes every pooled connection; safe to call twice. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  connectionString: string;
  max?: number;
  applicationName?: string;
  /** Called for errors on idle pooled connections (e.g. the server went away): they must not crash the process. */
  onPoolError?: (error: Error) => void;
}

/** Opens a pooled Kysely database. Connecting is lazy: nothing is dialled until the first query. */
export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'mcu',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A half-open connection (a failover, a dropped NAT entry) is found in seconds, not after TCP's minutes.
    keepAlive: true,
  });
  guardPool(pool, (error) => options.onPoolError?.(error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new PoolHandle(pool)] });
  let closed: Promise<void> | null = null;
  return {
    db,
    close: () => {
      closed ??= db.destroy();
      return closed;
    },
  };
}

/**
 * The pg pool behind a database opened here, for what Kysely cannot run: `COPY … TO STDOUT`
 * (models/copy-out.ts). It rides along as a plugin that changes nothing, because a plugin is the one
 * thing every Kysely derived from this one keeps (`withPlugin`, `withSchema`, transactions), read
 * back through `getExecutor()` (public in Kysely 0.28's code, marked internal in its docs: the test of
 * test/exports/csv-copy.test.ts fails if an upgrade takes it away). A transaction gets undefined (a
 * pooled connection is not inside it). Kysely keeps its pool private.
 */
export function poolOf(db: Executor): pg.Pool | undefined {
  if (db.isTransaction) return undefined;
  return db.getExecutor().plugins.find((p): p is PoolHandle => p instanceof PoolHandle)?.pool;
}

class PoolHandle implements KyselyPlugin {
  constructor(readonly pool: pg.Pool) {}
  transformQuery(args: PluginTransformQueryArgs) {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

/** A cheap round trip; rejects when the server is unreachable or slower than `timeoutMs`. */
export async function pingDatabase(db: Db, timeoutMs = 2_000): Promise<void> {
  await withDeadline(sql`select 1`.execute(db), timeoutMs, `database did not answer within ${timeoutMs} ms`);
}

/** Runs `fn` in one transaction: everything it writes, including enqueued jobs, commits or rolls back together. */
export function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}

/**
 * An error of the data (a PostgreSQL SQLSTATE outside the connection, resource, operator-intervention and
 * system classes 08, 53, 57, 58): the same statement with other data may succeed. Anything else — no code (a
 * socket error, a timeout), or one of those classes — is the database's, and every statement fails alike.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|53|57|58)/.test(code);
}
