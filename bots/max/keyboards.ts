import type { Button, Buttons } from '../outbound/buttons.js';
import type { MaxAttachment } from './api.js';
import { encodeMaxPayload } from './payload.js';

/** MAX refuses a button text longer than 128 characters. */
const LABEL_MAX = 128;

/**
 * Neutral buttons as MAX's inline keyboard, an item of a message's `attachments`: callback buttons
 * (a press comes back as a `message_callback` update with the payload) and link buttons. MAX has no
 * button colours in its schema, so `tone` is not shown. No rows, no keyboard.
 */
export function maxKeyboard(buttons: Buttons): MaxAttachment | null {
  if (buttons.length === 0) return null;
  return { type: 'inline_keyboard', payload: { buttons: buttons.map((row) => row.map(maxButton)) } };
}

function maxButton(button: Button) {
  const text = button.label.length > LABEL_MAX ? `${button.label.slice(0, LABEL_MAX - 1)}…` : button.label;
  if ('url' in button) return { type: 'link', text, url: button.url };
  return { type: 'callback', text, payload: encodeMaxPayload(button.action) };
}
