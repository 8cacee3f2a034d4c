import type { Db } from '../../models/database.js';
import type { Channel } from '../../models/intake.js';
import {
  type CitizenSubscription,
  endSubscription,
  findCitizenSubscription,
  optOutOfBroadcasts,
  type SubscriptionChoice,
  type SubscriptionTarget,
  type SubscriptionVia,
  saveSubscription,
  saveSubscriptionDraft,
} from '../../models/subscription-repository.js';

/**
 * What the subscription use cases read and write: models/subscription-repository.ts on the database,
 * an in-memory fake in the handlers' unit tests. Every write that changes what a citizen receives
 * appends its subscription_event in the same transaction.
 */
export interface SubscriptionStore {
  find(channel: Channel, externalId: string): Promise<CitizenSubscription | undefined>;
  /** Keeps a choice not confirmed yet; false when the subscription is active (nothing written). */
  saveDraft(target: SubscriptionTarget, choice: SubscriptionChoice, at: Date): Promise<boolean>;
  /** Activates the choice (opt-out cleared) and logs `subscribe` or `change`. */
  save(target: SubscriptionTarget, choice: SubscriptionChoice, via: SubscriptionVia, at: Date): Promise<'subscribe' | 'change'>;
  /** Ends an active subscription and logs `unsubscribe`; false when none was active. */
  end(who: { citizenId: number; channel: Channel }, via: SubscriptionVia, at: Date): Promise<boolean>;
  /** No broadcasts at all until they subscribe again; logs `opt_out`; false when already so. */
  optOut(who: { citizenId: number; channel: Channel }, broadcastId: number | null, at: Date): Promise<boolean>;
}

/** The store on the database. */
export function databaseSubscriptionStore(db: Db): SubscriptionStore {
  return {
    find: (channel, externalId) => findCitizenSubscription(db, channel, externalId),
    saveDraft: (target, choice, at) => saveSubscriptionDraft(db, target, choice, at),
    save: (target, choice, via, at) => saveSubscription(db, target, choice, via, at),
    end: (who, via, at) => endSubscription(db, who, via, at),
    optOut: (who, broadcastId, at) => optOutOfBroadcasts(db, who, broadcastId, at),
  };
}
