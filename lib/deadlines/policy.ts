/**
 * Which SLA policy of `sla.policies` governs a case, and the two deadlines it sets.
 *
 * Within the case's regime the most specific policy wins, urgency before channel: urgent for the
 * channel → urgent without channels → normal for the channel → normal without channels. An urgent
 * case therefore falls back to the normal terms only when its regime has no urgent policy at all
 * (ПОС and 59-ФЗ have fixed legal terms), and a channel-specific policy (drills) applies only to its
 * channels. The domain file's validation guarantees the last step always finds one.
 */
import { addDuration, type ClockMode, clockModeOf } from './deadline.js';
import type { WorkingCalendar } from './working-calendar.js';

/** A case's priority. */
export type Priority = 'normal' | 'urgent';

/** The terms of a policy: durations such as "9wh", "8wd", "30d". */
export interface SlaTerms {
  readonly firstResponse: string;
  readonly finalResponse: string;
  readonly maxExtension?: string | undefined;
}

/** One policy of `sla.policies` in the domain file. */
export interface SlaPolicy extends SlaTerms {
  readonly priority: Priority;
  /** Only for cases from these channels; omitted → any channel. */
  readonly channels?: readonly string[] | undefined;
}

/** `sla.policies` of the domain file: each regime's policies. */
export type SlaPolicies<R extends string = string, P extends SlaPolicy = SlaPolicy> = { readonly [regime in R]: readonly P[] };

/** What decides the policy. */
export interface PolicyQuery<R extends string = string> {
  readonly regime: R;
  readonly priority: Priority;
  /** Where the case came from ("telegram", "vk", "drill", …); omitted → only channel-less policies. */
  readonly channel?: string;
}

/** The two deadlines of a case, the clocks they run on, and the latest final deadline an extension may set. */
export interface CaseDeadlines {
  readonly firstResponseAt: Date;
  readonly finalResponseAt: Date;
  readonly firstResponseMode: ClockMode;
  readonly finalResponseMode: ClockMode;
  /** `finalResponseAt` + `maxExtension`, when the policy allows extensions. */
  readonly latestFinalResponseAt?: Date;
  /**
   * The first or the final deadline rests on a year the production calendar does not list (the
   * art. 112 fallback): the year's decree may still move it. The extension limit does not count:
   * an official may ask for less than it, so an extended deadline is judged when the extension is
   * approved (handlers/cases/extension.ts), over the days from the old deadline to the new one.
   */
  readonly provisional: boolean;
}

/** The policy that governs a case (see the module comment for the order); throws if none matches. */
export function pickPolicy<R extends string, P extends SlaPolicy>(
  policies: SlaPolicies<R, P>,
  query: PolicyQuery<NoInfer<R>>,
): P {
  const list = policies[query.regime];
  const channel = query.channel;
  const priorities: readonly Priority[] = query.priority === 'urgent' ? ['urgent', 'normal'] : ['normal'];
  for (const priority of priorities) {
    const candidates = list.filter((p) => p.priority === priority);
    const found =
      (channel === undefined ? undefined : candidates.find((p) => p.channels?.includes(channel))) ??
      candidates.find((p) => p.channels === undefined);
    if (found) return found;
  }
  throw new RangeError(
    `no SLA policy for regime "${query.regime}": sla.policies.${query.regime} needs a "normal" policy without channels`,
  );
}

/** Both deadlines of a case that starts (is registered) at `start`. */
export function computeDeadlines(calendar: WorkingCalendar, terms: SlaTerms, start: Date): CaseDeadlines {
  const first = calendar.track(() => addDuration(calendar, start, terms.firstResponse));
  const final = calendar.track(() => addDuration(calendar, start, terms.finalResponse));
  const finalResponseAt = final.value;
  return {
    firstResponseAt: first.value,
    finalResponseAt,
    provisional: first.provisional || final.provisional,
    firstResponseMode: clockModeOf(terms.firstResponse),
    finalResponseMode: clockModeOf(terms.finalResponse),
    ...(terms.maxExtension === undefined
      ? {}
      : { latestFinalResponseAt: addDuration(calendar, finalResponseAt, terms.maxExtension) }),
  };
}
