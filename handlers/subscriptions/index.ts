import type { Channel } from '../../models/intake.js';
import type { HandlerDeps } from '../deps.js';
import { databaseSubscriptionStore } from './store.js';
import {
  confirmSubscription,
  editSubscription,
  optOut,
  type PlatformCheck,
  type SubscriptionChat,
  type SubscriptionDeps,
  type SubscriptionOutcome,
  showSubscription,
  unsubscribe,
} from './subscriptions.js';

export {
  editedChoice,
  knownChoice,
  type SubscriptionDomain,
  type SubscriptionEdit,
  type SubscriptionOption,
  type SubscriptionView,
  viewOf,
} from './choice.js';
export { databaseSubscriptionStore, type SubscriptionStore } from './store.js';
export {
  confirmSubscription,
  editSubscription,
  optOut,
  type PlatformCheck,
  type SubscriptionChat,
  type SubscriptionDeps,
  type SubscriptionOutcome,
  showSubscription,
  unsubscribe,
} from './subscriptions.js';

/** /subscribe, its buttons, /unsubscribe and «Отписаться» under a broadcast, as every bot calls them. */
export interface SubscriptionsApi {
  show(chat: SubscriptionChat): Promise<SubscriptionOutcome>;
  toggle(chat: SubscriptionChat, what: 'district' | 'topic', id: string): Promise<SubscriptionOutcome>;
  wholeCity(chat: SubscriptionChat): Promise<SubscriptionOutcome>;
  confirm(chat: SubscriptionChat, platform?: PlatformCheck): Promise<SubscriptionOutcome>;
  unsubscribe(chat: SubscriptionChat, via: 'command' | 'button'): Promise<SubscriptionOutcome>;
  optOut(sender: { channel: Channel; externalId: string }, broadcastId: number): Promise<SubscriptionOutcome>;
}

/** Binds the subscription use cases; `deps` is called on every use (the database may not be up yet). */
export function bindSubscriptions(deps: () => HandlerDeps): SubscriptionsApi {
  const bound = (): SubscriptionDeps => {
    const d = deps();
    return { store: databaseSubscriptionStore(d.db), clock: d.clock, domain: d.domain };
  };
  return {
    show: (chat) => showSubscription(bound(), chat),
    toggle: (chat, what, id) => editSubscription(bound(), chat, { type: 'toggle', what, id }),
    wholeCity: (chat) => editSubscription(bound(), chat, { type: 'city' }),
    confirm: (chat, platform) => confirmSubscription(bound(), chat, platform),
    unsubscribe: (chat, via) => unsubscribe(bound(), chat, via),
    optOut: (sender, broadcastId) => optOut(bound(), sender, broadcastId),
  };
}
