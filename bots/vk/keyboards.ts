import { type CitizenCommand, commandOfAction, typedCommand } from '../conversation/citizen.js';
import { type Button, type Buttons, consentButtons } from '../outbound/buttons.js';
import { encodeVkPayload, parseVkPayload } from './payload.js';

export type VkCommand = CitizenCommand;

/** VK refuses a text button label longer than 40 characters. */
const VK_LABEL_MAX = 40;

/**
 * Neutral buttons as a VK inline keyboard (the JSON string the API expects). Text buttons with a
 * payload: every VK client shows them, and a press arrives as an ordinary message_new (no
 * message_event subscription or sendMessageEventAnswer round trip).
 */
export function vkKeyboard(buttons: Buttons): string {
  return JSON.stringify({ inline: true, buttons: buttons.map((row) => row.map(vkButton)) });
}

function vkButton(button: Button) {
  if ('url' in button) return { action: { type: 'open_link', link: button.url, label: labelOf(button.label) } };
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
