import pg from 'pg';

export interface SqlPool {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

/**
 * A pg pool whose every client has an error listener from birth. pg emits 'error' on a client when
 * the server goes away; on a checked-out client nobody listens, and Node turns that into an uncaught
 * exception that would kill the process. Here it becomes a log line and the query that was running
 * fails normally. Used for pg-boss (through its `db` option) and, via `guardPool`, for Kysely.
 */
export function createSqlPool(options: {
  connectionString: string;
  max: number;
  applicationName: string;
  onError: (error: Error) => void;
}): SqlPool {
  const pool = guardPool(
    new pg.Pool({
      connectionString: options.connectionString,
      max: options.max,
      application_name: options.applicationName,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    }),
    options.onError,
  );
  let closed: Promise<void> | null = null;
  return {
    executeSql: (text, values) => pool.query(text, values as unknown[]),
    close: () => {
      closed ??= pool.end();
      return closed;
    },
  };
}

export function guardPool(pool: pg.Pool, onError: (error: Error) => void): pg.Pool {
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}
