import type { Clock } from '../../lib/clock.js';
import type { Channel } from '../../models/intake.js';
import type { CitizenSubscription, SubscriptionChoice } from '../../models/subscription-repository.js';
import {
  editedChoice,
  knownChoice,
  type SubscriptionDomain,
  type SubscriptionEdit,
  type SubscriptionView,
  sameChoice,
  viewOf,
} from './choice.js';
import type { SubscriptionStore } from './store.js';

/**
 * Citizens' subscriptions to broadcasts, the same for every messenger (docs/architecture/broadcasts.md#подписки).
 *
 * The choice lives in the `subscription` row, never in the keyboard: every press is saved at once and
 * the keyboard is drawn again from the row, so a restart, a second device or a press on an old
 * keyboard all see the same choice. Before the citizen confirms with «Готово» the row is an inactive
 * draft — no consent yet, no event, no broadcast; once active, each press is a `change` with its event.
 */

export interface SubscriptionDeps {
  store: SubscriptionStore;
  clock: Clock;
  domain: SubscriptionDomain;
}

/** Where the citizen is: their messenger account and, in a private chat, the chat broadcasts go to. */
export interface SubscriptionChat {
  channel: Channel;
  externalId: string;
  /** The private chat with the bot; null in a group chat, where no one can subscribe. */
  chatId: string | null;
}

export type SubscriptionOutcome =
  /** Asked in a group chat: subscriptions are per person, in the private chat. */
  | { status: 'private_only' }
  /** No consent to the processing of personal data (never asked, or declined). */
  | { status: 'consent_required' }
  /** A district or topic the domain file no longer has (a button from an old keyboard). */
  | { status: 'stale'; view: SubscriptionView }
  /** The choice to show; `changed` false when the press changed nothing (nothing to redraw). */
  | { status: 'choice'; view: SubscriptionView; changed: boolean }
  /** «Готово»: what was logged (`subscribe`, `change`), or null when it was active already. */
  | { status: 'subscribed'; view: SubscriptionView; action: 'subscribe' | 'change' | null }
  /** The messenger does not let the bot write to them unprompted (VK): nothing saved, they are told how. */
  | { status: 'messages_not_allowed' }
  | { status: 'unsubscribed' }
  | { status: 'not_subscribed' }
  | { status: 'opted_out' };

/** The messenger's own say, asked before a subscription is confirmed (VK: messages.isMessagesFromGroupAllowed). */
export interface PlatformCheck {
  /** False: the chat cannot receive broadcasts; null: unknown (the check failed), which does not block. */
  messagesAllowed?(): Promise<boolean | null>;
}

const EMPTY: SubscriptionChoice = { districts: [], topics: [] };

/** The subscriber (with consent) behind a private chat, or the refusal to answer with. */
async function subscriber(
  deps: SubscriptionDeps,
  chat: SubscriptionChat,
): Promise<{ citizen: CitizenSubscription; chatId: string } | { refusal: SubscriptionOutcome }> {
  if (chat.chatId === null) return { refusal: { status: 'private_only' } };
  const citizen = await deps.store.find(chat.channel, chat.externalId);
  if (citizen?.consent !== 'given') return { refusal: { status: 'consent_required' } };
  return { citizen, chatId: chat.chatId };
}

const stateOf = (citizen: CitizenSubscription) => ({
  choice: citizen.subscription ?? EMPTY,
  active: citizen.subscription?.active ?? false,
  optedOut: citizen.optedOutAt !== null,
});

/** /subscribe: the citizen's choice (the last one, if they had one), to change with the buttons. */
export async function showSubscription(deps: SubscriptionDeps, chat: SubscriptionChat): Promise<SubscriptionOutcome> {
  const found = await subscriber(deps, chat);
  if ('refusal' in found) return found.refusal;
  return { status: 'choice', view: viewOf(deps.domain, stateOf(found.citizen)), changed: false };
}

/**
 * A district or topic pressed, or «Весь город»: saved at once — as a draft before the citizen has
 * confirmed, as a logged `change` of an active subscription. An id the domain file no longer has is
 * refused (the current choice is shown again), never saved.
 */
export async function editSubscription(
  deps: SubscriptionDeps,
  chat: SubscriptionChat,
  edit: SubscriptionEdit,
): Promise<SubscriptionOutcome> {
  const found = await subscriber(deps, chat);
  if ('refusal' in found) return found.refusal;
  const { citizen, chatId } = found;
  const state = stateOf(citizen);
  const next = editedChoice(deps.domain, state.choice, edit);
  if (!next) return { status: 'stale', view: viewOf(deps.domain, state) };
  const changed = !sameChoice(knownChoice(deps.domain, state.choice), next);
  if (changed) {
    const target = { citizenId: citizen.citizenId, channel: chat.channel, chatId };
    const at = deps.clock.now();
    // A draft is written only while inactive; if it became active meanwhile, this press is a change.
    if (state.active || !(await deps.store.saveDraft(target, next, at))) await deps.store.save(target, next, 'button', at);
  }
  return { status: 'choice', view: viewOf(deps.domain, { ...state, choice: next }), changed };
}

/**
 * «Готово»: the choice shown becomes the subscription (nothing chosen: the whole city, every topic),
 * logged as `subscribe`, and an earlier «Отписаться» under a broadcast is lifted. The messenger is
 * asked first whether it lets the bot write to the chat; when it does not, nothing is saved.
 */
export async function confirmSubscription(
  deps: SubscriptionDeps,
  chat: SubscriptionChat,
  platform: PlatformCheck = {},
): Promise<SubscriptionOutcome> {
  const found = await subscriber(deps, chat);
  if ('refusal' in found) return found.refusal;
  const { citizen, chatId } = found;
  const state = stateOf(citizen);
  const choice = knownChoice(deps.domain, state.choice);
  const sameChat = citizen.subscription?.chatId === chatId;
  if (state.active && sameChat && sameChoice(choice, state.choice)) {
    return { status: 'subscribed', view: viewOf(deps.domain, state), action: null };
  }
  if (!state.active && platform.messagesAllowed && (await platform.messagesAllowed()) === false) {
    return { status: 'messages_not_allowed' };
  }
  const target = { citizenId: citizen.citizenId, channel: chat.channel, chatId };
  const action = await deps.store.save(target, choice, 'button', deps.clock.now());
  return { status: 'subscribed', view: viewOf(deps.domain, { choice, active: true, optedOut: false }), action };
}

/**
 * /unsubscribe or «Отписаться от всех»: the subscription ends (logged). Messages about the citizen's
 * own cases still come; «Отписаться» under a broadcast stops those too. Only in the private chat, so
 * nobody learns in a group who was subscribed; no consent needed to leave.
 */
export async function unsubscribe(
  deps: SubscriptionDeps,
  chat: SubscriptionChat,
  via: 'command' | 'button',
): Promise<SubscriptionOutcome> {
  if (chat.chatId === null) return { status: 'private_only' };
  const citizen = await deps.store.find(chat.channel, chat.externalId);
  if (!citizen) return { status: 'not_subscribed' };
  const ended = await deps.store.end({ citizenId: citizen.citizenId, channel: chat.channel }, via, deps.clock.now());
  return { status: ended ? 'unsubscribed' : 'not_subscribed' };
}

/**
 * «Отписаться» under a broadcast: no broadcasts at all, not even about their own cases, until they
 * subscribe again (logged as `opt_out` with the broadcast). Always honoured, wherever it is pressed
 * and whatever the button's age; pressing it again changes nothing.
 */
export async function optOut(
  deps: SubscriptionDeps,
  sender: { channel: Channel; externalId: string },
  broadcastId: number,
): Promise<SubscriptionOutcome> {
  const citizen = await deps.store.find(sender.channel, sender.externalId);
  if (citizen) await deps.store.optOut({ citizenId: citizen.citizenId, channel: sender.channel }, broadcastId, deps.clock.now());
  return { status: 'opted_out' };
}
