import type { AnalyticsSettings, DomainConfig } from '../../config/domain.js';

/** A request the analytics cannot answer: a stable code naming the field, for a 400. */
export interface Invalid {
  status: 'invalid';
  code: 'INVALID_FROM' | 'INVALID_PERIOD' | 'UNKNOWN_DEPARTMENT' | 'INVALID_METRIC' | 'UNKNOWN_DISTRICT' | 'UNKNOWN_CATEGORY';
  message: string;
}

/** The longest period a report covers: three years (the trend reads as many again before it). */
export const MAX_PERIOD_YEARS = 3;

/** `from` must come before `to`, and the period may not be longer than three years. */
export function checkPeriod(from: Date, to: Date): Invalid | undefined {
  if (from.getTime() >= to.getTime())
    return {
      status: 'invalid',
      code: 'INVALID_FROM',
      message: `from (${from.toISOString()}) must be before to (${to.toISOString()})`,
    };
  const limit = new Date(from.getTime());
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_PERIOD_YEARS);
  if (to.getTime() > limit.getTime())
    return {
      status: 'invalid',
      code: 'INVALID_PERIOD',
      message: `from–to: a period may be at most ${MAX_PERIOD_YEARS} years long`,
    };
  return undefined;
}

/**
 * Used when the domain file has no `analytics` section; barnaul.yaml sets its own (all "verify").
 * The same figures as barnaul.yaml, so a city file without the section behaves like Barnaul's.
 */
export const ANALYTICS_DEFAULTS: AnalyticsSettings = {
  minCases: 5,
  weights: { onTime: 0.3, answered: 0.15, completeness: 0.2, satisfaction: 0.2, reopened: 0.1, repeats: 0.05 },
  problemResolvedAfterDays: 14,
  repeatWindowDays: 30,
};

export function analyticsSettings(domain: DomainConfig): AnalyticsSettings {
  return domain.analytics ?? ANALYTICS_DEFAULTS;
}
