import type { DomainConfig } from '../../config/domain.js';
import type { SubscriptionChoice } from '../../models/subscription-repository.js';

/** What subscriptions need of the domain file: its districts and the broadcasts' topics. */
export type SubscriptionDomain = Pick<DomainConfig, 'districts' | 'broadcasts'>;

/** One district or topic as the citizen sees it: a name and whether it is in their choice. */
export interface SubscriptionOption {
  id: string;
  name: string;
  chosen: boolean;
}

/** A citizen's subscription as the bots show it (every messenger renders the same view). */
export interface SubscriptionView {
  /** Broadcasts go to them now; otherwise the choice is a draft until «Готово». */
  active: boolean;
  /** They pressed «Отписаться» under a broadcast and have not subscribed since. */
  optedOut: boolean;
  districts: SubscriptionOption[];
  topics: SubscriptionOption[];
  /** No district chosen: the whole city. */
  wholeCity: boolean;
  /** No topic chosen: every topic. */
  allTopics: boolean;
}

export type SubscriptionEdit = { type: 'toggle'; what: 'district' | 'topic'; id: string } | { type: 'city' };

const districtsOf = (domain: SubscriptionDomain) => domain.districts.map((d) => ({ id: d.id, name: d.name }));
const topicsOf = (domain: SubscriptionDomain) => (domain.broadcasts?.topics ?? []).map((t) => ({ id: t.id, name: t.name }));

/**
 * The choice with only the ids the domain file still has, in its order: a district or topic removed
 * from the file since the citizen chose it drops out (and with nothing left, the whole city / every topic).
 */
export function knownChoice(domain: SubscriptionDomain, choice: SubscriptionChoice): SubscriptionChoice {
  return {
    districts: districtsOf(domain)
      .map((d) => d.id)
      .filter((id) => choice.districts.includes(id)),
    topics: topicsOf(domain)
      .map((t) => t.id)
      .filter((id) => choice.topics.includes(id)),
  };
}

/**
 * The choice after one press: a district or topic added or removed, or «Весь город» (no district
 * filter). Null when the id is not in the domain file — a button from before the file changed.
 */
export function editedChoice(
  domain: SubscriptionDomain,
  choice: SubscriptionChoice,
  edit: SubscriptionEdit,
): SubscriptionChoice | null {
  const current = knownChoice(domain, choice);
  if (edit.type === 'city') return { ...current, districts: [] };
  const options = edit.what === 'district' ? districtsOf(domain) : topicsOf(domain);
  if (!options.some((o) => o.id === edit.id)) return null;
  const key = edit.what === 'district' ? 'districts' : 'topics';
  const ids = current[key].includes(edit.id) ? current[key].filter((id) => id !== edit.id) : [...current[key], edit.id];
  return knownChoice(domain, { ...current, [key]: ids });
}

export const sameChoice = (a: SubscriptionChoice, b: SubscriptionChoice): boolean =>
  a.districts.join() === b.districts.join() && a.topics.join() === b.topics.join();

/** The view of a choice, with every district and topic of the domain file marked chosen or not. */
export function viewOf(
  domain: SubscriptionDomain,
  state: { choice: SubscriptionChoice; active: boolean; optedOut: boolean },
): SubscriptionView {
  const choice = knownChoice(domain, state.choice);
  return {
    active: state.active,
    optedOut: state.optedOut,
    districts: districtsOf(domain).map((d) => ({ ...d, chosen: choice.districts.includes(d.id) })),
    topics: topicsOf(domain).map((t) => ({ ...t, chosen: choice.topics.includes(t.id) })),
    wholeCity: choice.districts.length === 0,
    allTopics: choice.topics.length === 0,
  };
}
