import type { Readable } from 'node:stream';
import type { RawBuilder } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { type Db, poolOf } from './database.js';

/**
 * `COPY (SELECT …) TO STDOUT` as a stream of CSV bytes the database wrote: for an export of a million
 * rows, the server formats the fields and the driver parses nothing (pg-copy-streams hands over the
 * CopyData bytes as they arrive, with back-pressure on the connection's socket).
 *
 * COPY takes no bind parameters, so the SELECT is built with Kysely as usual (its values as
 * parameters) and its parameters are then written in as literals by `inlineParameters`, which accepts
 * only strings, safe integers, valid dates and booleans, quotes strings with pg's own escapeLiteral
 * (quotes doubled, and an E'' literal with doubled backslashes when there is a backslash, so the text
 * reads the same whatever standard_conforming_strings is), and refuses a statement whose placeholders
 * are not exactly `$1 … $n` in order (so a `$n` that is not a placeholder, say in a string of the
 * statement's own text, fails instead of being replaced). Session settings (the time zone…) go in by
 * `set_config` with bind parameters, in the COPY's own read-only transaction.
 */

/**
 * Runs a statement (bind parameters as usual) in the COPY's transaction, before it: what it reads is
 * what the COPY will see (one repeatable-read snapshot), so the statement can be shaped by it.
 */
export type SnapshotReader = <R>(statement: RawBuilder<R>) => Promise<R[]>;

export interface CsvCopyOptions {
  /** One ASCII character; `;` for Russian Excel. */
  delimiter: string;
  /**
   * Settings for this COPY alone (`set_config(name, value, true)`, bind parameters, in the COPY's own
   * transaction): the time zone and date style its text is written in, planner choices.
   */
  settings?: Readonly<Record<string, string>>;
}

/**
 * Starts the COPY of `query` (or of what `query` makes after reading the snapshot) in a read-only
 * transaction on a connection of its own from `db`'s pool, and returns its output: CSV
 * records ended by LF (as COPY writes them), quoted only where a field holds the delimiter, `"`, CR or
 * LF, a NULL as an empty field, an empty string as `""`. The connection goes back to the pool when the
 * stream ends; a stream destroyed before its end (a client that went away) or failed closes the
 * connection instead, which ends the COPY in the server at its next write. An error in the statement
 * comes as the stream's error, before its first byte.
 */
export async function copyCsvOut(
  db: Db,
  query: RawBuilder<unknown> | ((read: SnapshotReader) => Promise<RawBuilder<unknown>>),
  options: CsvCopyOptions,
): Promise<Readable> {
  const pool = poolOf(db);
  if (!pool) throw new Error('COPY needs a database opened by openDatabase (models/database.ts), not a transaction');
  if (!/^[;,|\t]$/.test(options.delimiter)) throw new Error(`an unexpected CSV delimiter: ${JSON.stringify(options.delimiter)}`);
  const client = await pool.connect();
  let stream: Readable;
  try {
    await client.query('begin isolation level repeatable read read only');
    for (const [name, value] of Object.entries(options.settings ?? {}))
      await client.query('select set_config($1, $2, true)', [name, value]);
    const read: SnapshotReader = async (statement) => {
      const compiled = statement.compile(db);
      return (await client.query(compiled.sql, [...compiled.parameters])).rows;
    };
    const select = typeof query === 'function' ? await query(read) : query;
    const text = `copy (${inlineParameters(select.compile(db))}) to stdout with (format csv, delimiter ${pg.escapeLiteral(options.delimiter)}, encoding 'UTF8')`;
    stream = client.query(copyTo(text));
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  let ended = false;
  stream.once('end', () => {
    ended = true;
  });
  stream.once('close', () => {
    if (!ended) client.release(new Error('COPY abandoned before its end'));
    else
      client.query('commit').then(
        () => client.release(),
        (error: Error) => client.release(error),
      );
  });
  // The driver reports the closed connection to the stream once more after it was destroyed; that
  // report has no one to go to (the stream's reader, if any, already had its error or its end).
  stream.on('error', () => {});
  return stream;
}

/** A compiled statement with its parameters written in as SQL literals (see the top of the file). */
export function inlineParameters(compiled: { sql: string; parameters: readonly unknown[] }): string {
  let next = 1;
  const text = compiled.sql.replace(/\$(\d+)/g, (_, n: string) => {
    if (Number(n) !== next || next > compiled.parameters.length)
      throw new Error(`a statement to inline has $${n} where $${next} was expected`);
    return literal(compiled.parameters[next++ - 1]);
  });
  if (next !== compiled.parameters.length + 1)
    throw new Error(`a statement to inline has ${next - 1} placeholders for ${compiled.parameters.length} values`);
  return text;
}

function literal(value: unknown): string {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new TypeError('a string with NUL cannot be a PostgreSQL literal');
    return pg.escapeLiteral(value);
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value < 0 ? `(${value})` : String(value);
  if (value instanceof Date && Number.isFinite(value.getTime())) return `'${value.toISOString()}'::timestamptz`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new TypeError(`a value of type ${typeof value} cannot be inlined into a COPY statement`);
}
