import { InlineKeyboard } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import { type Button, type Buttons, consentButtons } from '../outbound/buttons.js';
import { encodeCallback } from './callback-data.js';

/** Neutral buttons as a Telegram inline keyboard: an action becomes its callback_data, a link a url button. */
export function inlineKeyboard(buttons: Buttons): InlineKeyboard {
  return new InlineKeyboard(buttons.map((row) => row.map(inlineButton)));
}

function inlineButton(button: Button): InlineKeyboardButton {
  return 'url' in button
    ? InlineKeyboard.url(button.label, button.url)
    : InlineKeyboard.text(button.label, encodeCallback(button.action));
}

/** «Согласен(на)» / «Не согласен(на)», for the replies in the conversation. */
export const consentKeyboard = () => inlineKeyboard(consentButtons());
