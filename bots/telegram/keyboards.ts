import { InlineKeyboard } from 'grammy';
import { ru } from '../texts/ru.js';
import { encodeCallback } from './callback-data.js';

export const consentKeyboard = () =>
  new InlineKeyboard()
    .text(ru.consentYes, encodeCallback({ type: 'consent', answer: 'yes' }))
    .text(ru.consentNo, encodeCallback({ type: 'consent', answer: 'no' }));

export const newCaseKeyboard = () => new InlineKeyboard().text(ru.newCaseButton, encodeCallback({ type: 'new_case' }));
