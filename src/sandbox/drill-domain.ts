import { type DomainConfig, domainConfigSchema, REGIMES } from '../../config/domain.js';

/**
 * Drill timings: the sandbox replaces the city's SLA terms (working hours and days) with minutes, so
 * reminders, escalations and the satisfaction poll can be watched in one sitting. Sandbox only: the
 * App applies them when it runs the Bot API emulator, never with a real token.
 */
export interface DrillTimings {
  /** First response, calendar minutes (every regime and priority). */
  firstResponseMinutes: number;
  /** Final answer deadline, calendar minutes. */
  finalResponseMinutes: number;
  /** Escalation step N (in the city's own order of roles) fires N × this many minutes after the deadline. */
  escalationStepMinutes: number;
  /** The citizen is asked «Проблема решена?» this long after the final answer. */
  pollDelayMs: number;
}

export const DRILL_TIMINGS: DrillTimings = {
  firstResponseMinutes: 2,
  finalResponseMinutes: 5,
  escalationStepMinutes: 1,
  pollDelayMs: 30_000,
};

/**
 * The domain with drill terms: one normal policy per regime, escalation steps a few minutes apart,
 * no quiet hours (a drill at night would otherwise hold every reminder until 08:00). Validated by the
 * same schema as the file, so the result is as frozen and well-formed as a loaded domain.
 */
export function withDrillTimings(domain: DomainConfig, drill: DrillTimings = DRILL_TIMINGS): DomainConfig {
  const policy = {
    priority: 'normal' as const,
    firstResponse: `${drill.firstResponseMinutes}m`,
    finalResponse: `${drill.finalResponseMinutes}m`,
    maxExtension: `${drill.finalResponseMinutes}m`,
  };
  return domainConfigSchema.parse({
    ...domain,
    sla: {
      ...domain.sla,
      policies: Object.fromEntries(REGIMES.map((regime) => [regime, [policy]])),
      escalation: {
        steps: domain.sla.escalation.steps.map((step, i) => ({
          role: step.role,
          after: `${(i + 1) * drill.escalationStepMinutes}m`,
        })),
      },
      // start = end: no moment falls inside, so reminders go out at any hour.
      quietHours: { start: '00:00', end: '00:00' },
    },
  });
}

/** One log line's worth of the drill, so the startup log says plainly that deadlines are not the city's. */
export function describeDrill(domain: DomainConfig, drill: DrillTimings): Record<string, unknown> {
  return {
    firstResponse: `${drill.firstResponseMinutes} min`,
    finalResponse: `${drill.finalResponseMinutes} min`,
    escalation: domain.sla.escalation.steps.map((s) => `${s.role} +${s.after}`).join(', '),
    pollDelay: `${Math.round(drill.pollDelayMs / 1000)} s`,
    quietHours: 'off',
  };
}
