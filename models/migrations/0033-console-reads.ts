import { type Kysely, sql } from 'kysely';

/**
 * What the console's slow pages read (bench/console, docs/development/benchmarks.md#the-console):
 *
 * - `problem_fact`, one row per problem: what its lifecycle and the problem list read that does not
 *   depend on the moment of the read (volume, first and last case, when it settled, whether it was
 *   worked on, the candidates of a recurrence, its districts, categories and main department), kept by
 *   the case facts' refresher (models/problem-facts.ts) in the transaction that changes the facts of its
 *   cases, from those facts — so the list reads one narrow row a problem instead of aggregating every
 *   case and answer of the city on each request (0.4 s at 100,000 cases). `case_fact.last_final_out`
 *   (the last final answer let out; `final_out` is the first) is what "settled" needs.
 * - An index of the day sums by day: a period's days are one range of it.
 * - A partial index of the held answers (the «Решения» page's list was a scan of every answer) and of
 *   the pending extension requests by id (its keyset order).
 * - A partial index of the open cases not waiting for the citizen by (deadline_at, id): «Сроки»'s list
 *   in its own order, the overdue and at-risk cases only.
 *
 * Backfill, here in SQL (none of it needs the working calendar): `last_final_out` of the facts already
 * computed, and every problem's row from them. Cases still stale get both when the refresher computes
 * them, as any other change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table case_fact add column last_final_out timestamptz`.execute(db);
  await sql`
    create table problem_fact (
      problem_id bigint primary key,
      volume integer not null,
      first_seen timestamptz not null,
      last_seen timestamptz not null,
      settled timestamptz not null,
      worked boolean not null,
      recur_prev timestamptz[] not null,
      recur_at timestamptz[] not null,
      districts text[] not null,
      categories text[] not null,
      department text
    )`.execute(db);
  // The list's default order (most cases first, then the latest): a page is the first rows of the index.
  await sql`create index problem_fact_volume_idx on problem_fact (volume desc, last_seen desc, problem_id desc)`.execute(db);
  // A truncation of the cases forgets the problems' rows with the facts.
  await sql`
    create or replace function case_fact_forget_all() returns trigger language plpgsql as $$
    begin
      truncate case_fact, case_fact_day, case_fact_hist, case_fact_stale, problem_fact;
      return null;
    end $$`.execute(db);

  // A period's day sums by day (the primary key leads with the department): the ratings and the
  // score history read several periods' days in one statement, each a short range of this index.
  await sql`create index case_fact_day_day_idx on case_fact_day (day)`.execute(db);

  await sql`create index answer_held_idx on answer (id) where state = 'held'`.execute(db);
  await sql`create index extension_request_pending_id_idx on extension_request (id) where state = 'pending'`.execute(db);
  // models/case-repository.ts's OPEN_STATUSES (a query's `status in (…)` must name a subset to use it).
  await sql`create index case_open_deadline_idx on "case" (deadline_at, id) include (department, priority)
    where status in ('new', 'triage', 'assigned', 'in_progress', 'interim_replied', 'reopened') and paused_at is null`.execute(
    db,
  );

  // --- Backfill ----------------------------------------------------------------------------------
  await sql`
    update case_fact f set last_final_out = a.last_final
    from (
      select case_id, max(coalesce(reviewed_at, created_at)) as last_final
      from answer
      where kind = 'final' and state in ('queued', 'sent', 'recorded', 'blocked')
      group by case_id
    ) a
    where a.case_id = f.case_id`.execute(db);
  // models/problem-facts.ts's problemAggregate over every fact, as it stands at this migration.
  await sql`
    with s as (
      select f.case_id as id, f.problem_id, f.created_at, f.district, f.category, f.department,
        case when f.status in ('answered', 'closed') then coalesce(f.last_final_out, f.created_at)
          else 'infinity'::timestamptz end as settled,
        not f.merged and f.status in ('in_progress', 'interim_replied', 'reopened', 'answered', 'closed') as worked
      from case_fact f
      where f.problem_id is not null
    ),
    ordered as (
      select s.*,
        max(s.settled) over (partition by s.problem_id order by s.created_at, s.id
          rows between unbounded preceding and 1 preceding) as prev_settled
      from s
    )
    insert into problem_fact (problem_id, volume, first_seen, last_seen, settled, worked, recur_prev, recur_at,
      districts, categories, department)
    select problem_id, count(*), min(created_at), max(created_at), max(settled), bool_or(worked),
      coalesce(array_agg(prev_settled order by created_at, id) filter (where prev_settled < 'infinity'), '{}'),
      coalesce(array_agg(created_at order by created_at, id) filter (where prev_settled < 'infinity'), '{}'),
      coalesce(array_agg(distinct district order by district) filter (where district is not null), '{}'),
      coalesce(array_agg(distinct category order by category) filter (where category is not null), '{}'),
      mode() within group (order by department) filter (where department is not null)
    from ordered
    group by problem_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists case_open_deadline_idx`.execute(db);
  await sql`drop index if exists extension_request_pending_id_idx`.execute(db);
  await sql`drop index if exists answer_held_idx`.execute(db);
  await sql`drop index if exists case_fact_day_day_idx`.execute(db);
  await sql`
    create or replace function case_fact_forget_all() returns trigger language plpgsql as $$
    begin
      truncate case_fact, case_fact_day, case_fact_hist, case_fact_stale;
      return null;
    end $$`.execute(db);
  await sql`drop table if exists problem_fact`.execute(db);
  await sql`alter table case_fact drop column if exists last_final_out`.execute(db);
}
