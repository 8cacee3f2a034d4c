import type { PhraseSet } from './phrases.js';
import type { Token } from './text.js';

export interface Urgency {
  priority: 'urgent' | 'normal';
  /** The rule that fired, e.g. "always: прорыв трубы" or "winter: нет отопления". */
  rule: string | null;
}

/** Heating season in Barnaul: October to April (months 10–12 and 1–4). */
function isWinter(at: Date, timeZone: string): boolean {
  const month = Number(new Intl.DateTimeFormat('en', { timeZone, month: 'numeric' }).format(at));
  return month >= 10 || month <= 4;
}

/**
 * Emergencies raise the priority: always (авария, пожар, обрушение, угроза жизни…) and, in the
 * heating season, the loss of heat, water or power.
 */
export function assessUrgency(
  tokens: readonly Token[],
  rules: { always: PhraseSet; winter: PhraseSet },
  at: Date,
  timeZone: string,
): Urgency {
  const always = rules.always.firstIn(tokens);
  if (always) return { priority: 'urgent', rule: `always: ${always}` };
  if (isWinter(at, timeZone)) {
    const winter = rules.winter.firstIn(tokens);
    if (winter) return { priority: 'urgent', rule: `winter: ${winter}` };
  }
  return { priority: 'normal', rule: null };
}
