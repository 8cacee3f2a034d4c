import type { AnalyticsSettings, DomainConfig } from '../../../config/domain.js';
import type { DepartmentFigures } from '../../../models/analytics-query.js';
import type { CaseRef, LateCell, RepeatGroup } from '../../../models/recommendation-repository.js';

/** The recommendations' thresholds: the domain file's `analytics.recommendations` (all "verify"). */
export type RecommendationSettings = NonNullable<AnalyticsSettings['recommendations']>;

/** Used when the domain file does not set them: the same figures as barnaul.yaml and the schema's defaults. */
export const RECOMMENDATION_DEFAULTS: RecommendationSettings = {
  heldShareGrowth: 2,
  minCases: 5,
  repeatComplaints: 3,
  lateShare: 0.5,
  satisfactionGap: 0.1,
};

export const RULE_IDS = ['held-share-growth', 'repeat-complaints', 'late-in-one-district', 'satisfaction-below-city'] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** Whom a recommendation is for: one department, or the МЦУ itself. */
export type Addressee = { kind: 'department'; id: string } | { kind: 'mcu' };

/** One explained recommendation with its evidence (regulation 2.2.9, 4.3). */
export interface Recommendation {
  /** Stable: the rule, its subject and the period (recommendation-id.ts). */
  id: string;
  rule: RuleId;
  addressee: Addressee;
  /** Russian, one line (texts-ru.ts). */
  title: string;
  /** Russian: why, with the figures. */
  explanation: string;
  evidence: {
    figures: Record<string, number | string | null>;
    /** The cases behind the figure, at most 20, oldest first. */
    cases?: CaseRef[];
    problemId?: number;
  };
}

/** What a rule reads: the period, the one before it, the ratings' figures of both, and the queries it may run. */
export interface RuleInput {
  period: { from: Date; to: Date };
  previous: { from: Date; to: Date };
  /** Counts only: the response-time percentiles are not read for the rules (null). */
  current: readonly DepartmentFigures[];
  before: readonly DepartmentFigures[];
  settings: RecommendationSettings;
  repeatWindowDays: number;
  domain: DomainConfig;
  queries: RuleQueries;
}

/** The database reads a rule may need beyond the figures, bound to the database and the period by the caller. */
export interface RuleQueries {
  weakAnswerCases(department: string): Promise<CaseRef[]>;
  lowRatedCases(department: string): Promise<CaseRef[]>;
  repeatGroups(min: number): Promise<RepeatGroup[]>;
  lateCells(): Promise<LateCell[]>;
}

/** A rule: from the period's figures (and the queries it needs) to zero or more recommendations. */
export interface Rule {
  id: RuleId;
  evaluate(input: RuleInput): Promise<Recommendation[]>;
}

/** A share rounded to 4 places; null when there is nothing to share (the ratings' rounding). */
export const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
