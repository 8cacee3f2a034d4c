import { type Api, InlineKeyboard } from 'grammy';
import type { OfficialNotifier } from '../../handlers/reminders/notify-official.js';
import type { CaseCard } from '../../models/case-query.js';
import { ru } from '../texts/ru.js';
import { encodeCallback } from './callback-data.js';

/** Case cards and reminders for officials, with their buttons. */
export class TelegramOfficialNotifier implements OfficialNotifier {
  constructor(private readonly api: Api) {}

  async remind(telegramUserId: string, card: CaseCard): Promise<void> {
    await this.api.sendMessage(telegramUserId, ru.reminderCard(card), { reply_markup: caseKeyboard(card) });
  }
}

/**
 * The buttons under a case card: take it, answer it (final or interim), ask for more time, ask the
 * citizen (the clock stops), say it is not the department's, open the original post when there is a link.
 */
export function caseKeyboard(card: Pick<CaseCard, 'id' | 'permalink'>): InlineKeyboard {
  const caseId = card.id;
  const keyboard = new InlineKeyboard()
    .text(ru.takeButton, encodeCallback({ type: 'take', caseId }))
    .row()
    .text(ru.answerButton, encodeCallback({ type: 'answer', caseId, kind: 'final' }))
    .text(ru.interimButton, encodeCallback({ type: 'answer', caseId, kind: 'interim' }))
    .row()
    .text(ru.extendButton, encodeCallback({ type: 'extend', caseId }))
    .text(ru.askButton, encodeCallback({ type: 'ask', caseId }))
    .row()
    .text(ru.redirectButton, encodeCallback({ type: 'redirect', caseId }));
  if (card.permalink && /^https:\/\//.test(card.permalink)) keyboard.url(ru.openButton, card.permalink);
  return keyboard;
}
