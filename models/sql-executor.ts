import { CompiledQuery } from 'kysely';
import type { Executor } from './database.js';

/**
 * Adapts a Kysely executor (the pool or an open transaction) to pg-boss's `db` option, so a job is
 * inserted by the same transaction as the write that causes it: a rollback leaves no job behind.
 */
export function sqlExecutorFor(executor: Executor): {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
} {
  return {
    async executeSql(text, values) {
      const result = await executor.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] };
    },
  };
}
