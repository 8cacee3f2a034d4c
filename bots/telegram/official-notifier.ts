import { type Api, InlineKeyboard } from 'grammy';
import type { CaseCard, OfficialNotifier } from '../../handlers/reminders/notify-official.js';
import { ru } from '../texts/ru.js';
import { encodeCallback } from './callback-data.js';

/** Reminder cards for officials, with «Взять в работу». */
export class TelegramOfficialNotifier implements OfficialNotifier {
  constructor(private readonly api: Api) {}

  async remind(telegramUserId: string, card: CaseCard): Promise<void> {
    await this.api.sendMessage(telegramUserId, ru.reminderCard(card), { reply_markup: caseKeyboard(card.id) });
  }
}

/** The buttons under a case card: take it, answer it, or give an interim answer. */
export function caseKeyboard(caseId: number): InlineKeyboard {
  return new InlineKeyboard()
    .text(ru.takeButton, encodeCallback({ type: 'take', caseId }))
    .row()
    .text(ru.answerButton, encodeCallback({ type: 'answer', caseId, kind: 'final' }))
    .text(ru.interimButton, encodeCallback({ type: 'answer', caseId, kind: 'interim' }));
}
