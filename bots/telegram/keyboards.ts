import { InlineKeyboard } from 'grammy';
import { ru } from '../texts/ru.js';
import { encodeCallback } from './callback-data.js';

export const consentKeyboard = () =>
  new InlineKeyboard()
    .text(ru.consentYes, encodeCallback({ type: 'consent', answer: 'yes' }))
    .text(ru.consentNo, encodeCallback({ type: 'consent', answer: 'no' }));

export const newCaseKeyboard = () => new InlineKeyboard().text(ru.newCaseButton, encodeCallback({ type: 'new_case' }));

/** «Дополнение к обращению …» / «Новое обращение» for one waiting message (one per row: the first is long). */
export const followUpChoiceKeyboard = (messageId: number, caseNumber: string) =>
  new InlineKeyboard()
    .text(ru.followUpAdditionButton(caseNumber), encodeCallback({ type: 'follow_up', messageId, choice: 'addition' }))
    .row()
    .text(ru.newCaseButton, encodeCallback({ type: 'follow_up', messageId, choice: 'new' }));

export const pollKeyboard = (caseId: number) =>
  new InlineKeyboard()
    .text(ru.pollYes, encodeCallback({ type: 'poll', caseId, solved: true }))
    .text(ru.pollNo, encodeCallback({ type: 'poll', caseId, solved: false }));

/** Under the poll's thanks: «Добавить комментарий», then «Новое обращение». */
export const pollThanksKeyboard = (caseId: number) =>
  new InlineKeyboard()
    .text(ru.pollCommentButton, encodeCallback({ type: 'poll_comment', caseId }))
    .row()
    .text(ru.newCaseButton, encodeCallback({ type: 'new_case' }));

export const ratingKeyboard = (caseId: number) => {
  const keyboard = new InlineKeyboard();
  for (let rating = 1; rating <= 5; rating++) keyboard.text(String(rating), encodeCallback({ type: 'rate', caseId, rating }));
  return keyboard;
};
