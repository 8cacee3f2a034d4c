import type { Logger } from 'pino';
import type { KeyboardLimit } from '../conversation/subscriptions.js';
import type { VkApiPort } from './api.js';

/**
 * VK's own subscription mechanics, used where they fit (docs/architecture/broadcasts.md#подписки):
 *
 * - `messages.isMessagesFromGroupAllowed` before a subscription is confirmed: a person who does not let
 *   the community write to them would get nothing, so they are told how to allow it instead.
 * - `intent_subscribe` / `intent_unsubscribe` keyboard buttons for «Готово» and «Отписаться от всех»:
 *   VK lets a community send a newsletter intent (`promo_newsletter`, `non_promo_newsletter`) only to
 *   those who subscribed to it with such a button, so one press is both VK's consent and ours. A press
 *   comes back as a `message_new` whose payload is `{"command":"internal_command","action":{"type":
 *   "intent_subscribe",…}}` (parsed in payload.ts). Only for clients that list these button types in
 *   `client_info.button_actions`; others get the ordinary text buttons.
 */

/** VK's inline keyboard: at most 10 buttons in at most 6 rows. */
export const VK_INLINE_KEYBOARD: KeyboardLimit = { buttons: 10, rows: 6 };

/** The newsletter intents a person subscribes to with VK's intent buttons. */
export const VK_NEWSLETTER_INTENTS = ['promo_newsletter', 'non_promo_newsletter'] as const;
export type VkNewsletterIntent = (typeof VK_NEWSLETTER_INTENTS)[number];

/** What an intent button needs: the person (VK requires their peer_id) and the intent. */
export interface VkIntentButtons {
  peerId: number;
  intent: VkNewsletterIntent;
}

/**
 * The intent buttons for this person, when the broadcasts to subscribers go out with a newsletter
 * intent (`broadcasts.vkIntents.subscribers` of the domain file) and their client can show them;
 * otherwise undefined (text buttons).
 */
export function intentButtonsFor(
  intent: string | null | undefined,
  peerId: number,
  clientInfo: unknown,
): VkIntentButtons | undefined {
  if (!(VK_NEWSLETTER_INTENTS as readonly string[]).includes(intent ?? '')) return undefined;
  const actions = (clientInfo as { button_actions?: unknown } | undefined)?.button_actions;
  if (!Array.isArray(actions) || !actions.includes('intent_subscribe') || !actions.includes('intent_unsubscribe'))
    return undefined;
  return { peerId, intent: intent as VkNewsletterIntent };
}

/**
 * `messages.isMessagesFromGroupAllowed`: whether the community may write to this person. Null when VK
 * did not say (an error, a network failure): that does not block the subscription — the sender learns
 * a closed chat from its own error and ends the subscription then.
 */
export async function messagesFromGroupAllowed(
  api: VkApiPort,
  groupId: number,
  userId: number,
  log: Logger,
): Promise<boolean | null> {
  try {
    const r = await api.call<{ is_allowed?: unknown }>('messages.isMessagesFromGroupAllowed', {
      group_id: groupId,
      user_id: userId,
    });
    return Number(r.is_allowed) === 1;
  } catch (error) {
    log.warn({ err: error }, 'VK messages.isMessagesFromGroupAllowed failed; the subscription is not held up');
    return null;
  }
}
