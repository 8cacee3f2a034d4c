import { type CitizenCommand, commandOfAction, typedCommand } from '../conversation/citizen.js';
import { type Button, type Buttons, consentButtons } from '../outbound/buttons.js';
import { encodeVkPayload, parseVkPayload } from './payload.js';
import type { VkIntentButtons } from './subscriptions.js';

export type VkCommand = CitizenCommand;

/** VK refuses a text button label longer than 40 characters. */
const VK_LABEL_MAX = 40;

/**
 * Neutral buttons as a VK inline keyboard (the JSON string the API expects). Text buttons with a
 * payload: every VK client shows them, and a press arrives as an ordinary message_new (no
 * message_event subscription or sendMessageEventAnswer round trip). With `intents`, the subscription's
 * «Готово» and «Отписаться от всех» are VK's own intent_subscribe / intent_unsubscribe buttons
 * (bots/vk/subscriptions.ts); those take no colour and no payload.
 */
export function vkKeyboard(buttons: Buttons, intents?: VkIntentButtons): string {
  return JSON.stringify({ inline: true, buttons: buttons.map((row) => row.map((b) => vkButton(b, intents))) });
}

function vkButton(button: Button, intents: VkIntentButtons | undefined) {
  if ('url' in button) return { action: { type: 'open_link', link: button.url, label: labelOf(button.label) } };
  const intent =
    button.action.type === 'sub_done'
      ? 'intent_subscribe'
      : button.action.type === 'unsubscribe' && button.action.broadcastId === null
        ? 'intent_unsubscribe'
        : null;
  if (intents && intent)
    return { action: { type: intent, peer_id: intents.peerId, intent: intents.intent, label: labelOf(button.label) } };
  return { action: { type: 'text', label: labelOf(button.label), payload: encodeVkPayload(button.action) }, color: button.tone };
}

const labelOf = (label: string) => (label.length > VK_LABEL_MAX ? `${label.slice(0, VK_LABEL_MAX - 1)}…` : label);

/** «Согласен(на)» / «Не согласен(на)», for the replies in the conversation. */
export const vkConsentKeyboard = (): string => vkKeyboard(consentButtons());

/** Reads a button's command from a message payload or a typed command («/status», «Начать»). */
export function commandOf(payload: unknown, text: string): VkCommand | null {
  const fromAction = commandOfAction(parseVkPayload(payload));
  if (fromAction) return fromAction;
  if (typeof payload === 'string') {
    try {
      const parsed = JSON.parse(payload) as { cmd?: unknown; command?: unknown };
      if (parsed.command === 'start') return 'start';
      if (typeof parsed.cmd === 'string' && ['status', 'start', 'help'].includes(parsed.cmd)) {
        return parsed.cmd as VkCommand;
      }
    } catch {
      // not a payload of ours: fall through to the text
    }
  }
  return typedCommand(text);
}
