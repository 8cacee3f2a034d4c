import { type Db, type Executor, inTransaction } from './database.js';
import type { Channel } from './intake.js';

/**
 * Citizens' subscriptions to broadcasts (migration 0029, docs/architecture/broadcasts.md#подписки):
 * one `subscription` row per citizen and an append-only `subscription_event` log of what they agreed
 * to, when and where. Every write that changes what a citizen receives appends its event in the same
 * transaction; an edit of a choice that is not active yet (a draft) is no consent and logs nothing.
 */

/** Districts and topics (ids of the domain file); an empty list is the whole city / every topic. */
export interface SubscriptionChoice {
  districts: string[];
  topics: string[];
}

/** A citizen as subscriptions see them: consent, the broadcasts opt-out and the subscription, if any. */
export interface CitizenSubscription {
  citizenId: number;
  consent: 'unknown' | 'given' | 'declined';
  /** «Отписаться» under a broadcast: nothing at all until they subscribe again. */
  optedOutAt: Date | null;
  subscription: (SubscriptionChoice & { channel: Channel; chatId: string; active: boolean }) | null;
}

/** Who writes and where broadcasts would go: the citizen, their messenger and the private chat. */
export interface SubscriptionTarget {
  citizenId: number;
  channel: Channel;
  chatId: string;
}

/** How the change came: a typed command, a button, the «Отписаться» under a broadcast, the API. */
export type SubscriptionVia = 'command' | 'button' | 'broadcast' | 'api';

/** The citizen of a messenger account with their subscription; undefined for someone who never wrote. */
export async function findCitizenSubscription(
  db: Executor,
  channel: Channel,
  externalId: string,
): Promise<CitizenSubscription | undefined> {
  const row = await db
    .selectFrom('citizen')
    .leftJoin('subscription', 'subscription.citizen_id', 'citizen.id')
    .select([
      'citizen.id',
      'citizen.consent',
      'citizen.broadcasts_opted_out_at',
      'subscription.channel',
      'subscription.chat_id',
      'subscription.districts',
      'subscription.topics',
      'subscription.active',
    ])
    .where('citizen.channel', '=', channel)
    .where('citizen.external_id', '=', externalId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    citizenId: row.id,
    consent: row.consent,
    optedOutAt: row.broadcasts_opted_out_at,
    subscription:
      row.channel !== null && row.chat_id !== null && row.active !== null
        ? {
            channel: row.channel,
            chatId: row.chat_id,
            districts: row.districts ?? [],
            topics: row.topics ?? [],
            active: row.active,
          }
        : null,
  };
}

/**
 * Keeps the choice a citizen is editing before they confirm it (a draft): the row is created inactive,
 * or updated while inactive. False (nothing written) when the subscription is active: an active
 * subscription changes only through saveSubscription, with its event.
 */
export async function saveSubscriptionDraft(
  db: Executor,
  target: SubscriptionTarget,
  choice: SubscriptionChoice,
  at: Date,
): Promise<boolean> {
  const result = await db
    .insertInto('subscription')
    .values({
      citizen_id: target.citizenId,
      channel: target.channel,
      chat_id: target.chatId,
      districts: choice.districts,
      topics: choice.topics,
      active: false,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .column('citizen_id')
        .doUpdateSet({
          channel: target.channel,
          chat_id: target.chatId,
          districts: choice.districts,
          topics: choice.topics,
          updated_at: at,
        })
        .where('subscription.active', '=', false),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Saves a choice and makes it active, in one transaction: the row upserted (active, this chat), the
 * broadcasts opt-out cleared, and the event appended — `subscribe` when it was not active, `change`
 * when it was. Returns the event's action.
 */
export async function saveSubscription(
  db: Db,
  target: SubscriptionTarget,
  choice: SubscriptionChoice,
  via: SubscriptionVia,
  at: Date,
): Promise<'subscribe' | 'change'> {
  return inTransaction(db, async (tx) => {
    const before = await tx
      .selectFrom('subscription')
      .select('active')
      .where('citizen_id', '=', target.citizenId)
      .forUpdate()
      .executeTakeFirst();
    const action = before?.active ? 'change' : 'subscribe';
    await tx
      .insertInto('subscription')
      .values({
        citizen_id: target.citizenId,
        channel: target.channel,
        chat_id: target.chatId,
        districts: choice.districts,
        topics: choice.topics,
        active: true,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.column('citizen_id').doUpdateSet({
          channel: target.channel,
          chat_id: target.chatId,
          districts: choice.districts,
          topics: choice.topics,
          active: true,
          updated_at: at,
        }),
      )
      .execute();
    await tx
      .updateTable('citizen')
      .set({ broadcasts_opted_out_at: null })
      .where('id', '=', target.citizenId)
      .where('broadcasts_opted_out_at', 'is not', null)
      .execute();
    await appendEvent(tx, { citizenId: target.citizenId, channel: target.channel, action, choice, via, broadcastId: null, at });
    return action;
  });
}

/**
 * /unsubscribe or «Отписаться от всех»: the subscription becomes inactive and `unsubscribe` is logged
 * with the choice that ended. False when there was no active subscription (nothing is written).
 */
export async function endSubscription(
  db: Db,
  who: { citizenId: number; channel: Channel },
  via: SubscriptionVia,
  at: Date,
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const ended = await tx
      .updateTable('subscription')
      .set({ active: false, updated_at: at })
      .where('citizen_id', '=', who.citizenId)
      .where('active', '=', true)
      .returning(['districts', 'topics'])
      .executeTakeFirst();
    if (!ended) return false;
    await appendEvent(tx, { ...who, action: 'unsubscribe', choice: ended, via, broadcastId: null, at });
    return true;
  });
}

/**
 * «Отписаться» under a broadcast: no broadcasts at all, not even about their own cases, until they
 * subscribe again — the subscription (if any) ends and `citizen.broadcasts_opted_out_at` is set, with
 * an `opt_out` event naming the broadcast (null when no such broadcast exists: a crafted or very old
 * button still opts out). False when they had already opted out and had nothing active (nothing written).
 */
export async function optOutOfBroadcasts(
  db: Db,
  who: { citizenId: number; channel: Channel },
  broadcastId: number | null,
  at: Date,
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const ended = await tx
      .updateTable('subscription')
      .set({ active: false, updated_at: at })
      .where('citizen_id', '=', who.citizenId)
      .where('active', '=', true)
      .returning(['districts', 'topics'])
      .executeTakeFirst();
    const newlyOptedOut = await tx
      .updateTable('citizen')
      .set({ broadcasts_opted_out_at: at })
      .where('id', '=', who.citizenId)
      .where('broadcasts_opted_out_at', 'is', null)
      .executeTakeFirst();
    if (!ended && Number(newlyOptedOut.numUpdatedRows) === 0) return false;
    const known =
      broadcastId === null
        ? null
        : ((await tx.selectFrom('broadcast').select('id').where('id', '=', broadcastId).executeTakeFirst())?.id ?? null);
    await appendEvent(tx, {
      ...who,
      action: 'opt_out',
      choice: ended ?? { districts: [], topics: [] },
      via: 'broadcast',
      broadcastId: known,
      at,
    });
    return true;
  });
}

/** A citizen's subscription log, oldest first (tests, the dashboard's «who agreed to what»). */
export async function subscriptionEvents(db: Executor, citizenId: number) {
  return db
    .selectFrom('subscription_event')
    .select(['channel', 'action', 'districts', 'topics', 'via', 'broadcast_id', 'at'])
    .where('citizen_id', '=', citizenId)
    .orderBy('id')
    .execute();
}

async function appendEvent(
  db: Executor,
  e: {
    citizenId: number;
    channel: Channel;
    action: 'subscribe' | 'change' | 'unsubscribe' | 'opt_out';
    choice: SubscriptionChoice;
    via: SubscriptionVia;
    broadcastId: number | null;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('subscription_event')
    .values({
      citizen_id: e.citizenId,
      channel: e.channel,
      action: e.action,
      districts: e.choice.districts,
      topics: e.choice.topics,
      via: e.via,
      broadcast_id: e.broadcastId,
      at: e.at,
    })
    .execute();
}
