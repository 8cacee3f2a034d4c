import type { Logger } from 'pino';
import type { FollowUpsApi, IntakeApi } from '../../handlers/intake/index.js';
import type { PollsApi } from '../../handlers/polls/index.js';
import type { PrivacyApi } from '../../handlers/privacy/index.js';
import type { SubscriptionsApi } from '../../handlers/subscriptions/index.js';
import { converseWithCitizen } from '../conversation/citizen.js';
import type { TextCity } from '../texts/ru.js';
import type { VkApiPort } from './api.js';
import { commandOf, vkKeyboard } from './keyboards.js';
import { parseVkPayload } from './payload.js';
import { intentButtonsFor, messagesFromGroupAllowed, VK_INLINE_KEYBOARD } from './subscriptions.js';
import { HANDLED_VK_EVENTS, MalformedVkEvent, translateVkEvent, type VkEvent } from './translate.js';

export interface VkHandlerDeps {
  intake: IntakeApi;
  api: VkApiPort;
  log: Logger;
  /** The domain file's city (its name greets). */
  city: TextCity;
  /** Poll buttons (Да / Нет, 1–5, «Добавить комментарий»); without it a press is ignored, never a new case. */
  polls?: PollsApi;
  /** «Дополнение к обращению …» / «Новое обращение»; without it a press is stale, never a message. */
  followUps?: FollowUpsApi;
  /** /subscribe and its buttons; without it they are answered with help, never stored. */
  subscriptions?: SubscriptionsApi;
  /** «/forget да»: withdraw consent and anonymise (handlers/privacy). */
  privacy?: PrivacyApi;
  /** The VK intent broadcasts to subscribers go out with (domain file): a newsletter one turns on VK's intent buttons. */
  subscriptionIntent?: string | null;
  onIgnored?: (type: string) => void;
  onMalformed?: (event: VkEvent, reason: string) => Promise<void>;
}

/** VK numbers group conversations from here up (peer_id = 2000000000 + chat id). */
const VK_CONVERSATION_PEERS = 2_000_000_000;

/**
 * One VK event → intake. Resolves only after the event is stored (or deliberately ignored); rejects
 * when storage failed, so the Callback API answer / long-poll cursor does not move past it. A private
 * message is a turn of the citizen's conversation (bots/conversation/citizen.ts, shared with MAX).
 * Replies to citizens are best effort: a failed reply is logged and never un-stores a message.
 */
export function createVkEventHandler(deps: VkHandlerDeps): (event: VkEvent) => Promise<void> {
  const reply = async (peerId: number, text: string, keyboard?: string) => {
    await deps.api
      .sendMessage(peerId, text, keyboard ? { keyboard } : {})
      .catch((error) => deps.log.warn({ err: error }, 'VK reply failed (message itself is stored)'));
  };

  return async (event) => {
    if (!(HANDLED_VK_EVENTS as readonly string[]).includes(event.type)) {
      deps.onIgnored?.(event.type);
      return;
    }
    let input: ReturnType<typeof translateVkEvent>;
    try {
      input = translateVkEvent(event);
    } catch (error) {
      if (error instanceof MalformedVkEvent) {
        await deps.onMalformed?.(event, error.message);
        return;
      }
      throw error;
    }
    if (!input) return;

    if (input.kind === 'private' && input.author) {
      const peerId = Number(input.source.externalId);
      const userId = Number(input.author.externalId);
      const message = (event.object?.message ?? event.object ?? {}) as { payload?: unknown };
      const intents = intentButtonsFor(deps.subscriptionIntent, peerId, event.object?.client_info);
      // A VK button press is an ordinary message carrying the button's payload.
      await converseWithCitizen(deps, {
        channel: 'vk',
        author: input.author,
        command: commandOf(message.payload, input.text),
        action: parseVkPayload(message.payload),
        message: input,
        reply: (text, buttons) => reply(peerId, text, buttons && buttons.length > 0 ? vkKeyboard(buttons, intents) : undefined),
        // Peers from 2000000000 up are group conversations (беседы): nobody subscribes there.
        chatId: peerId < VK_CONVERSATION_PEERS ? String(peerId) : null,
        keyboardLimit: VK_INLINE_KEYBOARD,
        messagesAllowed: () => messagesFromGroupAllowed(deps.api, event.group_id, userId, deps.log),
      });
      return;
    }
    await deps.intake.receive(input);
  };
}
