import { type Api, InlineKeyboard } from 'grammy';
import type { CaseCard, OfficialNotifier } from '../../handlers/reminders/notify-official.js';
import { ru } from '../texts/ru.js';
import { encodeCallback } from './callback-data.js';

/** Reminder cards for officials, with «Взять в работу». */
export class TelegramOfficialNotifier implements OfficialNotifier {
  constructor(private readonly api: Api) {}

  async remind(telegramUserId: string, card: CaseCard): Promise<void> {
    await this.api.sendMessage(telegramUserId, ru.reminderCard(card), {
      reply_markup: new InlineKeyboard()
        .text(ru.takeButton, encodeCallback({ type: 'take', caseId: card.id }))
        .row()
        .text(ru.answerButton, encodeCallback({ type: 'answer', caseId: card.id, kind: 'final' }))
        .text(ru.interimButton, encodeCallback({ type: 'answer', caseId: card.id, kind: 'interim' })),
    });
  }
}
