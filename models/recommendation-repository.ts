import { sql } from 'kysely';
import { type Actor, encodeActor } from './actor.js';
import { appendAudit } from './audit-repository.js';
import type { Db, Executor } from './database.js';

/**
 * What the recommendations' rules read beyond the ratings' figures (the cases behind a figure, repeat
 * complaints by problem and district, late answers by category and district), and the decisions on them.
 * The definitions are the ratings' (models/analytics-query.ts): a case is of the period when it was
 * registered in [from, to); merged duplicates are left out; an answer counts from when it was let out.
 */

/** A case as a recommendation's evidence: its id (for /api/v1/cases/:id) and its number. */
export interface CaseRef {
  id: number;
  number: string;
}

/** At most this many cases are named as a recommendation's evidence. */
export const EVIDENCE_CASES = 20;

const LET_OUT = sql`('queued', 'sent', 'recorded', 'blocked')`;

type Period = { from: Date; to: Date };

const refs = (ids: unknown, numbers: unknown): CaseRef[] => {
  const i = (ids as (string | number)[] | null) ?? [];
  const n = (numbers as string[] | null) ?? [];
  return i.slice(0, EVIDENCE_CASES).map((id, k) => ({ id: Number(id), number: String(n[k]) }));
};

// ---------------------------------------------------------------------------------------------
// Evidence of the department rules
// ---------------------------------------------------------------------------------------------

/** A department's cases of the period with a weak final answer (held or forced: the quality gate said no). */
export async function weakAnswerCases(db: Executor, p: Period & { department: string }): Promise<CaseRef[]> {
  return db
    .selectFrom('case as c')
    .select(['c.id', 'c.number'])
    .where('c.created_at', '>=', p.from)
    .where('c.created_at', '<', p.to)
    .where('c.department', '=', p.department)
    .where('c.merged_into', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('answer as a')
          .select(sql`1`.as('one'))
          .whereRef('a.case_id', '=', 'c.id')
          .where('a.kind', '=', 'final')
          .where(sql<boolean>`not (a.quality ? 'copyOf') and (a.quality->>'ok')::boolean = false`),
      ),
    )
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(EVIDENCE_CASES)
    .execute();
}

/** A department's cases of the period whose citizen rated the answer 1–3. */
export async function lowRatedCases(db: Executor, p: Period & { department: string }): Promise<CaseRef[]> {
  return db
    .selectFrom('case as c')
    .innerJoin('poll as pl', 'pl.case_id', 'c.id')
    .select(['c.id', 'c.number'])
    .where('c.created_at', '>=', p.from)
    .where('c.created_at', '<', p.to)
    .where('c.department', '=', p.department)
    .where('c.merged_into', 'is', null)
    .where('pl.rating', '<=', 3)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(EVIDENCE_CASES)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Repeat complaints by problem and district
// ---------------------------------------------------------------------------------------------

export interface RepeatGroup {
  problemId: number;
  title: string;
  district: string;
  repeats: number;
  /** The department most of the repeat cases went to (null: none routed yet). */
  department: string | null;
  cases: CaseRef[];
}

/**
 * Problems with at least `min` repeat complaints from one district in the period: cases registered within
 * `windowDays` after an earlier case of the same problem and district had its final answer let out (the
 * ratings' `repeats`).
 */
export async function repeatGroups(db: Executor, p: Period & { windowDays: number; min: number }): Promise<RepeatGroup[]> {
  const rows = await sql<Record<string, unknown>>`
    with c0 as (
      select c.id, c.number, c.problem_id, c.district, c.department, c.created_at
      from "case" c
      where c.created_at >= ${p.from} and c.created_at < ${p.to}
        and c.merged_into is null and c.problem_id is not null and c.district is not null
    ),
    earlier as (
      select e.problem_id, e.district, min(coalesce(a.reviewed_at, a.created_at)) as final_out
      from "case" e
      join answer a on a.case_id = e.id and a.kind = 'final' and a.state in ${LET_OUT}
      where e.problem_id in (select problem_id from c0) and e.merged_into is null
      group by e.id, e.problem_id, e.district
    ),
    rep as (
      select c0.* from c0
      where exists (
        select 1 from earlier e
        where e.problem_id = c0.problem_id and e.district = c0.district
          and e.final_out < c0.created_at
          and e.final_out >= c0.created_at - make_interval(days => ${p.windowDays})
      )
    )
    select rep.problem_id, pr.title, rep.district, count(*) as repeats,
      mode() within group (order by rep.department) as department,
      array_agg(rep.id order by rep.created_at, rep.id) as ids,
      array_agg(rep.number order by rep.created_at, rep.id) as numbers
    from rep join problem pr on pr.id = rep.problem_id
    group by rep.problem_id, pr.title, rep.district
    having count(*) >= ${p.min}
    order by count(*) desc, rep.problem_id, rep.district`.execute(db);
  return rows.rows.map((r) => ({
    problemId: Number(r.problem_id),
    title: String(r.title ?? ''),
    district: String(r.district),
    repeats: Number(r.repeats),
    department: r.department === null ? null : String(r.department),
    cases: refs(r.ids, r.numbers),
  }));
}

// ---------------------------------------------------------------------------------------------
// Late answers by category and district
// ---------------------------------------------------------------------------------------------

export interface LateCell {
  category: string;
  district: string;
  /** Answered, or past the deadline now and not waiting for the citizen (the ratings' `due`). */
  due: number;
  /** Due and not answered by the deadline. */
  late: number;
  /** The department most of the late cases went to (null when none is late). */
  department: string | null;
  /** The late cases, oldest first. */
  cases: CaseRef[];
}

/** Due and late cases of the period per category and district (cases without either left out). */
export async function lateCells(db: Executor, p: Period & { now: Date }): Promise<LateCell[]> {
  const rows = await sql<Record<string, unknown>>`
    with c0 as (
      select c.id, c.number, c.category, c.district, c.department, c.created_at, c.deadline_at, c.paused_at
      from "case" c
      where c.created_at >= ${p.from} and c.created_at < ${p.to}
        and c.merged_into is null and c.department is not null
        and c.category is not null and c.district is not null
    ),
    out as (
      select a.case_id, min(coalesce(a.reviewed_at, a.created_at)) as final_out
      from answer a
      where a.case_id in (select id from c0) and a.kind = 'final' and a.state in ${LET_OUT}
      group by a.case_id
    ),
    t as (
      select c0.*,
        (out.final_out is not null or (c0.deadline_at < ${p.now} and c0.paused_at is null)) as due,
        coalesce(out.final_out <= c0.deadline_at, false) as on_time
      from c0 left join out on out.case_id = c0.id
    )
    select category, district,
      count(*) filter (where due) as due,
      count(*) filter (where due and not on_time) as late,
      mode() within group (order by department) filter (where due and not on_time) as department,
      array_agg(id order by created_at, id) filter (where due and not on_time) as ids,
      array_agg(number order by created_at, id) filter (where due and not on_time) as numbers
    from t
    group by category, district
    order by category, district`.execute(db);
  return rows.rows.map((r) => ({
    category: String(r.category),
    district: String(r.district),
    due: Number(r.due),
    late: Number(r.late),
    department: r.department === null || r.department === undefined ? null : String(r.department),
    cases: refs(r.ids, r.numbers),
  }));
}

// ---------------------------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------------------------

export interface RecommendationDecision {
  recommendationId: string;
  decision: 'accepted' | 'dismissed';
  comment: string | null;
  /** The stored actor (`official:17`, `api:dashboard`). */
  decidedBy: string;
  decidedAt: Date;
}

/** The decisions on these recommendations, by id. */
export async function decisionsOf(db: Executor, ids: readonly string[]): Promise<Map<string, RecommendationDecision>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('recommendation_decision')
    .select([
      'recommendation_id as recommendationId',
      'decision',
      'comment',
      'decided_by as decidedBy',
      'decided_at as decidedAt',
    ])
    .where('recommendation_id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.recommendationId, r]));
}

/**
 * Records a decision (replacing an earlier one on the same recommendation) and appends it to the audit
 * trail, in one transaction: no decision without its audit entry.
 */
export async function recordDecision(
  db: Db,
  d: {
    recommendationId: string;
    rule: string;
    decision: 'accepted' | 'dismissed';
    comment: string | null;
    actor: Actor;
    at: Date;
  },
): Promise<RecommendationDecision> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('recommendation_decision')
      .values({
        recommendation_id: d.recommendationId,
        rule: d.rule,
        decision: d.decision,
        comment: d.comment,
        decided_by: encodeActor(d.actor),
        decided_at: d.at,
      })
      .onConflict((oc) =>
        oc.column('recommendation_id').doUpdateSet((eb) => ({
          decision: eb.ref('excluded.decision'),
          comment: eb.ref('excluded.comment'),
          decided_by: eb.ref('excluded.decided_by'),
          decided_at: eb.ref('excluded.decided_at'),
        })),
      )
      .returning([
        'recommendation_id as recommendationId',
        'decision',
        'comment',
        'decided_by as decidedBy',
        'decided_at as decidedAt',
      ])
      .executeTakeFirstOrThrow();
    await appendAudit(tx, {
      actor: d.actor,
      action: `recommendation_${d.decision}`,
      entity: 'recommendation',
      entityId: d.recommendationId,
      details: { rule: d.rule, decision: d.decision, comment: d.comment },
    });
    return row;
  });
}
