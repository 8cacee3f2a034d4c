import type { Actor } from '../../../models/actor.js';
import {
  decisionsOf,
  lateCells,
  lowRatedCases,
  type RecommendationDecision,
  recordDecision,
  repeatGroups,
  weakAnswerCases,
} from '../../../models/recommendation-repository.js';
import { periodFigures } from '../case-facts.js';
import { analyticsSettings, checkPeriod, type Invalid } from '../period.js';
import type { AnalyticsDeps } from '../ratings.js';
import { parseRecommendationId } from './recommendation-id.js';
import { RULES } from './registry.js';
import { RECOMMENDATION_DEFAULTS, type Recommendation, type Rule, type RuleInput } from './types.js';

// ---------------------------------------------------------------------------------------------
// Who sees and who decides
// ---------------------------------------------------------------------------------------------

/** The caller: the service token (the МЦУ's own key) or a person with their role and department. */
export type Viewer = { kind: 'service' } | { kind: 'person'; role: string; department: string };

/** Roles that see every recommendation: those that see all cases. */
const SEE_ALL: ReadonlySet<string> = new Set(['curator', 'head', 'coordinator', 'block_owner', 'operator']);
/** Roles that accept or dismiss: the МЦУ's head and staff (regulation 4.3: the head develops and sends recommendations). */
const DECIDE: ReadonlySet<string> = new Set(['head', 'operator']);

/** The department whose recommendations the viewer sees: null for all, undefined for none (403). */
function scopeOf(viewer: Viewer): string | null | undefined {
  if (viewer.kind === 'service' || SEE_ALL.has(viewer.role)) return null;
  return viewer.role === 'department_head' ? viewer.department : undefined;
}

export const mayDecide = (viewer: Viewer) => viewer.kind === 'service' || DECIDE.has(viewer.role);

// ---------------------------------------------------------------------------------------------
// Running the rules
// ---------------------------------------------------------------------------------------------

/** A recommendation as the API shows it: with the decision on it, if any. */
export interface DecidedRecommendation extends Recommendation {
  decision: RecommendationDecision['decision'] | null;
  comment: string | null;
  decidedAt: Date | null;
  /** The stored actor (`official:17`, `api:dashboard`). */
  decidedBy: string | null;
}

async function ruleInput(deps: AnalyticsDeps, period: { from: Date; to: Date }): Promise<RuleInput> {
  const analytics = analyticsSettings(deps.domain);
  const settings = analytics.recommendations ?? RECOMMENDATION_DEFAULTS;
  const now = deps.clock.now();
  const length = period.to.getTime() - period.from.getTime();
  const previous = { from: new Date(period.from.getTime() - length), to: period.from };
  // The rules read counts only: no response-time percentiles.
  const [current = [], before = []] = await periodFigures(deps, {
    periods: [period, previous],
    repeatWindowDays: analytics.repeatWindowDays,
    now,
    durations: false,
  });
  const db = deps.db;
  return {
    period,
    previous,
    current,
    before,
    settings,
    repeatWindowDays: analytics.repeatWindowDays,
    domain: deps.domain,
    queries: {
      weakAnswerCases: (department) => weakAnswerCases(db, { ...period, department }),
      lowRatedCases: (department) => lowRatedCases(db, { ...period, department }),
      repeatGroups: (min) => repeatGroups(db, { ...period, windowDays: analytics.repeatWindowDays, min }),
      lateCells: () => lateCells(db, { ...period, now }),
    },
  };
}

/** Runs `rules` (every rule by default) over [from, to) against the period before it; no validation, no decisions. */
export async function buildRecommendations(
  deps: AnalyticsDeps,
  period: { from: Date; to: Date },
  rules: readonly Rule[] = RULES,
): Promise<Recommendation[]> {
  const input = await ruleInput(deps, period);
  const out: Recommendation[] = [];
  for (const rule of rules) out.push(...(await rule.evaluate(input)));
  return out;
}

/** The recommendations with the decisions on them, by id. */
async function withDecisions(deps: AnalyticsDeps, items: Recommendation[]): Promise<DecidedRecommendation[]> {
  const decisions = await decisionsOf(
    deps.db,
    items.map((r) => r.id),
  );
  return items.map((r) => {
    const d = decisions.get(r.id);
    return {
      ...r,
      decision: d?.decision ?? null,
      comment: d?.comment ?? null,
      decidedAt: d?.decidedAt ?? null,
      decidedBy: d?.decidedBy ?? null,
    };
  });
}

const addressedTo = (scope: string | null) => (r: Recommendation) =>
  scope === null || (r.addressee.kind === 'department' && r.addressee.id === scope);

// ---------------------------------------------------------------------------------------------
// Use cases
// ---------------------------------------------------------------------------------------------

export type Forbidden = { status: 'forbidden'; message: string };

export type RecommendationsOutcome =
  | {
      status: 'ok';
      report: { period: { from: Date; to: Date }; previousPeriod: { from: Date; to: Date }; items: DecidedRecommendation[] };
    }
  | Invalid
  | Forbidden;

/**
 * The recommendations for [from, to) (regulation 2.2.9, 4.3): every rule over the period's figures and
 * the period's before, each with its evidence and the decision on it. A department head sees those
 * addressed to their department.
 */
export async function recommendations(
  deps: AnalyticsDeps,
  input: { from: Date; to: Date; viewer: Viewer },
): Promise<RecommendationsOutcome> {
  const scope = scopeOf(input.viewer);
  if (scope === undefined) return { status: 'forbidden', message: 'your role may not see recommendations' };
  const invalid = checkPeriod(input.from, input.to);
  if (invalid) return invalid;
  const period = { from: input.from, to: input.to };
  const items = (await buildRecommendations(deps, period)).filter(addressedTo(scope));
  const length = input.to.getTime() - input.from.getTime();
  return {
    status: 'ok',
    report: {
      period,
      previousPeriod: { from: new Date(input.from.getTime() - length), to: input.from },
      items: await withDecisions(deps, items),
    },
  };
}

/** The recommendations addressed to a scope (null: the whole city) for a period, less those dismissed: the weekly report's. */
export async function openRecommendations(
  deps: AnalyticsDeps,
  period: { from: Date; to: Date },
  department: string | null,
): Promise<DecidedRecommendation[]> {
  const items = (await buildRecommendations(deps, period)).filter(addressedTo(department));
  return (await withDecisions(deps, items)).filter((r) => r.decision !== 'dismissed');
}

export type DecisionOutcome =
  | { status: 'ok'; recommendation: DecidedRecommendation }
  | { status: 'not_found'; message: string }
  | { status: 'invalid'; code: 'COMMENT_REQUIRED'; message: string }
  | Forbidden;

/**
 * Accepts or dismisses a recommendation (a dismissal needs a comment), audited. The id is checked by
 * running its rule over its period again: an id no rule gives now is 404. A later decision replaces
 * the earlier one; the audit trail keeps both.
 */
export async function decideRecommendation(
  deps: AnalyticsDeps,
  input: { id: string; decision: 'accepted' | 'dismissed'; comment: string | null; viewer: Viewer; actor: Actor },
): Promise<DecisionOutcome> {
  if (!mayDecide(input.viewer)) return { status: 'forbidden', message: 'only the МЦУ head and staff decide on recommendations' };
  const comment = input.comment?.trim() || null;
  if (input.decision === 'dismissed' && comment === null)
    return { status: 'invalid', code: 'COMMENT_REQUIRED', message: 'comment: say why the recommendation is dismissed' };
  const notFound = { status: 'not_found', message: `no recommendation ${input.id}` } as const;
  const key = parseRecommendationId(input.id);
  if (!key || checkPeriod(key.from, key.to)) return notFound;
  const rule = RULES.find((r) => r.id === key.rule);
  if (!rule) return notFound;
  const found = (await buildRecommendations(deps, { from: key.from, to: key.to }, [rule])).find((r) => r.id === input.id);
  if (!found) return notFound;
  const d = await recordDecision(deps.db, {
    recommendationId: found.id,
    rule: found.rule,
    decision: input.decision,
    comment,
    actor: input.actor,
    at: deps.clock.now(),
  });
  return {
    status: 'ok',
    recommendation: { ...found, decision: d.decision, comment: d.comment, decidedAt: d.decidedAt, decidedBy: d.decidedBy },
  };
}
