import { sql } from 'kysely';
import type { Db, Executor, Tx } from './database.js';

/**
 * The demo history's SQL (`mcu demo seed` / `demo clear`): whole columns sent as arrays and unnested
 * into one INSERT per table and batch — one parameter per column instead of one per value, so a
 * batch of thousands of rows is one short statement. Demo rows hang off sources whose `external_id`
 * starts with "demo:"; that is how `clear` finds them.
 */

export const DEMO_PREFIX = 'demo:';

/** A column of a bulk insert: its name, its PostgreSQL type and one value per row. */
export interface BulkColumn {
  readonly name: string;
  readonly type: 'bigint' | 'integer' | 'text' | 'timestamptz' | 'jsonb' | 'boolean' | 'real';
  readonly values: readonly unknown[];
}

/** Tables the seed writes. */
export type DemoTable =
  | 'citizen'
  | 'case'
  | 'message'
  | 'answer'
  | 'poll'
  | 'extension_request'
  | 'audit_log'
  | 'external_appeal'
  | 'problem';

/** Inserts the rows the columns hold (all of the same length). */
export async function insertColumns(db: Executor, table: DemoTable, columns: readonly BulkColumn[]): Promise<void> {
  if ((columns[0]?.values.length ?? 0) === 0) return;
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  const arrays = sql.join(columns.map((c) => sql`${c.values}::${sql.raw(c.type)}[]`));
  await sql`insert into ${sql.table(table)} (${names}) select * from unnest(${arrays})`.execute(db);
}

/** `n` fresh ids of a table's bigserial, in order, so rows can point at each other before they are written. */
export async function allocateIds(tx: Executor, table: 'case' | 'message' | 'problem', n: number): Promise<number[]> {
  if (n === 0) return [];
  const { rows } = await sql<{ id: string | number }>`
    select nextval(pg_get_serial_sequence(${`"${table}"`}, 'id')) as id from generate_series(1, ${n})`.execute(tx);
  return rows.map((r) => Number(r.id));
}

/** Advances the year's case counter by `n` and returns the first number reserved (the app's next case gets the one after). */
export async function reserveCaseNumbers(tx: Executor, year: number, n: number): Promise<number> {
  const row = await tx
    .insertInto('case_counter')
    .values({ year, last: n })
    .onConflict((oc) => oc.column('year').doUpdateSet({ last: sql`case_counter.last + ${n}` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last - n + 1;
}

/** The demo's source rows (created or found), by their key. */
export async function demoSourceIds(
  db: Executor,
  sources: readonly { key: string; channel: string; kind: string; title: string; official: boolean }[],
  at: Date,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const s of sources) {
    const row = await db
      .insertInto('source')
      .values({
        channel: s.channel,
        external_id: `${DEMO_PREFIX}${s.key}`,
        kind: s.kind,
        title: s.title,
        official: s.official,
        status: 'active',
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['channel', 'external_id']).doUpdateSet({ title: s.title }))
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(s.key, row.id);
  }
  return ids;
}

/** Demo citizens of a channel («Житель N», external id "demo:N"), created or found; returns their ids in order. */
export async function demoCitizenIds(tx: Executor, channel: string, numbers: readonly number[], at: Date): Promise<number[]> {
  if (numbers.length === 0) return [];
  const externalIds = numbers.map((k) => `${DEMO_PREFIX}${k}`);
  const { rows } = await sql<{ id: number; external_id: string }>`
    insert into citizen (channel, external_id, display_name, consent, consent_at, created_at, updated_at)
    select ${channel}, e, 'Житель ' || n, 'given', ${at}, ${at}, ${at}
    from unnest(${externalIds}::text[], ${numbers}::bigint[]) as t(e, n)
    on conflict (channel, external_id) do update set updated_at = excluded.updated_at
    returning id, external_id`.execute(tx);
  const byExternal = new Map(rows.map((r) => [r.external_id, Number(r.id)]));
  return externalIds.map((e) => byExternal.get(e) ?? 0);
}

/** What `demo clear` deleted. */
export interface DemoCleared {
  cases: number;
  messages: number;
  citizens: number;
  problems: number;
}

/**
 * Deletes the demo's rows: its cases and everything hanging off them, its citizens, its problems (those
 * no other case joined) and its sources. The audit trail keeps its entries: it is append-only by design.
 */
export async function clearDemo(db: Db, slice = 5_000): Promise<DemoCleared> {
  const demoSources = sql`(select id from source where external_id like ${`${DEMO_PREFIX}%`})`;
  const total: DemoCleared = { cases: 0, messages: 0, citizens: 0, problems: 0 };
  const problemIds = (
    await sql<{ id: number }>`select distinct problem_id as id from "case"
      where source_id in ${demoSources} and problem_id is not null`.execute(db)
  ).rows.map((r) => Number(r.id));
  for (;;) {
    const done = await db.transaction().execute(async (tx: Tx) => {
      const ids = (
        await sql<{ id: number }>`select id from "case" where source_id in ${demoSources} limit ${slice}`.execute(tx)
      ).rows.map((r) => Number(r.id));
      if (ids.length === 0) return 0;
      const list = sql`(select unnest(${ids}::bigint[]))`;
      for (const table of ['answer', 'poll', 'extension_request', 'external_appeal', 'reminder', 'alert', 'feedback']) {
        await sql`delete from ${sql.table(table)} where case_id in ${list}`.execute(tx);
      }
      await sql`update training_example set case_id = null where case_id in ${list}`.execute(tx);
      await sql`update official set draft_case_id = null, draft_kind = null, draft_text = null where draft_case_id in ${list}`.execute(
        tx,
      );
      await sql`delete from follow_up_choice where case_id in ${list} or result_case_id in ${list}`.execute(tx);
      await sql`update intent_question set result_case_id = null where result_case_id in ${list}`.execute(tx);
      await sql`update "case" set merged_into = null where merged_into in ${list}`.execute(tx);
      const messages = await sql`delete from message where case_id in ${list}`.execute(tx);
      total.messages += Number(messages.numAffectedRows ?? 0n);
      await sql`delete from "case" where id in ${list}`.execute(tx);
      return ids.length;
    });
    total.cases += done;
    if (done === 0) break;
  }
  if (problemIds.length > 0) {
    const gone = await sql`delete from problem p where p.id in (select unnest(${problemIds}::bigint[]))
      and not exists (select 1 from "case" c where c.problem_id = p.id)
      and not exists (select 1 from alert a where a.problem_id = p.id)`.execute(db);
    total.problems = Number(gone.numAffectedRows ?? 0n);
  }
  const citizens = await sql`delete from citizen c where c.external_id like ${`${DEMO_PREFIX}%`}
    and not exists (select 1 from "case" x where x.citizen_id = c.id)
    and not exists (select 1 from message m where m.citizen_id = c.id)`.execute(db);
  total.citizens = Number(citizens.numAffectedRows ?? 0n);
  await sql`delete from source s where s.external_id like ${`${DEMO_PREFIX}%`}
    and not exists (select 1 from message m where m.source_id = s.id)
    and not exists (select 1 from "case" c where c.source_id = s.id)`.execute(db);
  return total;
}
