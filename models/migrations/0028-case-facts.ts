import { type Kysely, sql } from 'kysely';

/**
 * The ratings' per-case facts (docs/architecture/ratings.md#the-facts-table): one narrow row per case
 * with what the ratings and the heat map aggregate (when its first and final answers went out, their
 * durations in working hours, the completeness counts, reopenings, the repeat's reference, the poll),
 * with per-day sums and per-day and per-month duration histograms beside them, so a year of a million
 * cases is a few thousand pre-added rows and a few index entries instead of joins over answers, polls
 * and the audit trail. And the index the case exports page by.
 *
 * Working hours need the production calendar, which the database does not have: so the database only
 * *marks* a case whose facts may have changed (`case_fact_stale`, by triggers, in the same transaction
 * as the write — whichever code path made it), and the app computes the facts (the refresher in
 * handlers/analytics/case-facts.ts, run by the `refresh-case-facts` job and before each read).
 *
 * Backfill: every existing case is marked here; the job computes them in batches (until the backlog is
 * small, the ratings are computed directly, as before).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table case_fact (
      case_id bigint primary key,
      created_at timestamptz not null,
      department text,
      district text,
      category text,
      problem_id bigint,
      status text not null,
      merged boolean not null,
      deadline_at timestamptz,
      paused_at timestamptz,
      first_out timestamptz,
      final_out timestamptz,
      first_hours float8,
      final_hours float8,
      final_answers integer not null,
      clean_answers integer not null,
      held_answers integer not null,
      forced_answers integer not null,
      reopenings integer not null,
      repeat_after timestamptz,
      polled boolean not null,
      poll_answered boolean not null,
      rating integer
    )`.execute(db);
  // A period's cases; the durations ride along so a month's percentiles need no visit to the table.
  await sql`create index case_fact_created_idx on case_fact (created_at) include (department, merged, first_hours, final_hours)`.execute(
    db,
  );
  await sql`create index case_fact_problem_idx on case_fact (problem_id, district) where problem_id is not null`.execute(db);
  // The ratings' percentiles: read in (department, duration) order, each department's durations reach
  // percentile_cont already sorted, so a year is a scan of the index, not a sort of a million values.
  for (const column of ['first_hours', 'final_hours']) {
    await sql`create index ${sql.raw(`case_fact_${column}_idx`)} on case_fact (department, ${sql.ref(column)}) include (created_at)
      where ${sql.ref(column)} is not null and department is not null and not merged`.execute(db);
  }
  // The two figures that depend on the request: overdue now (unanswered) and repeats (the window).
  await sql`create index case_fact_unanswered_idx on case_fact (created_at) include (department, deadline_at, paused_at)
    where final_out is null and department is not null and not merged`.execute(db);
  await sql`create index case_fact_repeat_idx on case_fact (created_at) include (department, repeat_after)
    where repeat_after is not null and department is not null and not merged`.execute(db);
  // Per department and UTC day of registration, the sums of the facts that only add up (the refresher
  // keeps them, in the transaction that changes the facts): a year's counts are ~365 rows a department.
  await sql`
    create table case_fact_day (
      department text not null,
      day date not null,
      cases integer not null,
      answered integer not null,
      answered_on_time integer not null,
      final_answers integer not null,
      clean_answers integer not null,
      held_answers integer not null,
      forced_answers integer not null,
      reopenings integer not null,
      polled integer not null,
      poll_answered integer not null,
      rated integer not null,
      rated45 integer not null,
      rating_sum integer not null,
      primary key (department, day)
    )`.execute(db);
  // Per department, UTC day (grain 1) and UTC month (grain 2), how many durations fall in each bucket
  // (models/case-facts.ts's DURATION_BUCKETS; measure 1 = first response, 2 = final answer): a
  // percentile is then found by adding up a few thousand counts and reading a few index entries, not by
  // sorting a year of values.
  await sql`
    create table case_fact_hist (
      grain smallint not null,
      measure smallint not null,
      start date not null,
      department text not null,
      bucket smallint not null,
      n integer not null,
      primary key (grain, measure, start, department, bucket)
    )`.execute(db);
  await sql`create table case_fact_stale (case_id bigint primary key)`.execute(db);
  // The digest of each year's working days the facts were computed with: a changed calendar re-marks them.
  await sql`create table case_fact_calendar (year integer primary key, digest text not null)`.execute(db);

  // --- What marks a case -------------------------------------------------------------------------
  // Inserts and deletes by statement (a bulk import marks its cases with one INSERT), updates by row
  // and only when a column the facts read changed (status updates are frequent; updated_at is not read).
  await sql`
    create function case_fact_mark_rows() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        execute format('insert into case_fact_stale (case_id) select distinct %I from old_rows where %I is not null
          on conflict do nothing', tg_argv[0], tg_argv[0]);
      else
        execute format('insert into case_fact_stale (case_id) select distinct %I from new_rows where %I is not null
          on conflict do nothing', tg_argv[0], tg_argv[0]);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create function case_fact_mark_case() returns trigger language plpgsql as $$
    begin
      insert into case_fact_stale (case_id) values (new.id) on conflict do nothing;
      return null;
    end $$`.execute(db);
  await sql`
    create function case_fact_mark_case_of() returns trigger language plpgsql as $$
    begin
      insert into case_fact_stale (case_id) values (new.case_id) on conflict do nothing;
      if old.case_id is distinct from new.case_id then
        insert into case_fact_stale (case_id) values (old.case_id) on conflict do nothing;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create function case_fact_mark_audit() returns trigger language plpgsql as $$
    begin
      insert into case_fact_stale (case_id)
        select distinct entity_id::bigint from new_rows
        where entity = 'case' and entity_id ~ '^[0-9]+$'
          and (action in ('paused', 'resumed') or (action = 'status_changed' and details->>'to' = 'reopened'))
        on conflict do nothing;
      return null;
    end $$`.execute(db);
  await sql`
    create function case_fact_forget_all() returns trigger language plpgsql as $$
    begin
      truncate case_fact, case_fact_day, case_fact_hist, case_fact_stale;
      return null;
    end $$`.execute(db);

  for (const [table, id] of [
    ['case', 'id'],
    ['answer', 'case_id'],
    ['poll', 'case_id'],
  ] as const) {
    const t = sql.table(table);
    const name = (suffix: string) => sql.raw(`${table}_fact_${suffix}`);
    await sql`create trigger ${name('insert')} after insert on ${t} referencing new table as new_rows
      for each statement execute function case_fact_mark_rows(${sql.lit(id)})`.execute(db);
    await sql`create trigger ${name('delete')} after delete on ${t} referencing old table as old_rows
      for each statement execute function case_fact_mark_rows(${sql.lit(id)})`.execute(db);
  }
  await sql`create trigger case_fact_update after update on "case" for each row
    when (old.created_at is distinct from new.created_at or old.department is distinct from new.department
      or old.district is distinct from new.district or old.category is distinct from new.category
      or old.problem_id is distinct from new.problem_id or old.status is distinct from new.status
      or old.merged_into is distinct from new.merged_into or old.deadline_at is distinct from new.deadline_at
      or old.paused_at is distinct from new.paused_at)
    execute function case_fact_mark_case()`.execute(db);
  await sql`create trigger answer_fact_update after update on answer for each row
    when (old.case_id is distinct from new.case_id or old.kind is distinct from new.kind
      or old.state is distinct from new.state or old.reviewed_at is distinct from new.reviewed_at
      or old.created_at is distinct from new.created_at or old.quality is distinct from new.quality)
    execute function case_fact_mark_case_of()`.execute(db);
  await sql`create trigger poll_fact_update after update on poll for each row
    when (old.case_id is distinct from new.case_id or old.state is distinct from new.state
      or old.rating is distinct from new.rating or old.asked_at is distinct from new.asked_at)
    execute function case_fact_mark_case_of()`.execute(db);
  // The audit trail is append-only (0001): inserts are all there is.
  await sql`create trigger audit_log_fact_insert after insert on audit_log referencing new table as new_rows
    for each statement execute function case_fact_mark_audit()`.execute(db);
  await sql`create trigger case_fact_truncate after truncate on "case"
    for each statement execute function case_fact_forget_all()`.execute(db);

  // --- The case exports -------------------------------------------------------------------------
  // Keyset pages newest first: (created_at, id) < cursor, walked backwards, no sort.
  await sql`create index case_created_id_idx on "case" (created_at, id)`.execute(db);

  // --- Backfill ----------------------------------------------------------------------------------
  await sql`insert into case_fact_stale (case_id) select id from "case"`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists case_created_id_idx`.execute(db);
  await sql`drop trigger if exists case_fact_truncate on "case"`.execute(db);
  await sql`drop trigger if exists audit_log_fact_insert on audit_log`.execute(db);
  for (const table of ['case', 'answer', 'poll']) {
    for (const suffix of ['insert', 'delete', 'update']) {
      await sql`drop trigger if exists ${sql.raw(`${table}_fact_${suffix}`)} on ${sql.table(table)}`.execute(db);
    }
  }
  for (const fn of [
    'case_fact_mark_rows',
    'case_fact_mark_case',
    'case_fact_mark_case_of',
    'case_fact_mark_audit',
    'case_fact_forget_all',
  ]) {
    await sql`drop function if exists ${sql.raw(fn)}()`.execute(db);
  }
  await sql`drop table if exists case_fact_calendar`.execute(db);
  await sql`drop table if exists case_fact_day`.execute(db);
  await sql`drop table if exists case_fact_hist`.execute(db);
  await sql`drop table if exists case_fact_stale`.execute(db);
  await sql`drop table if exists case_fact`.execute(db);
}
