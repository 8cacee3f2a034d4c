import { type Api, InlineKeyboard } from 'grammy';
import type { OperatorNotifier } from '../../handlers/structuring/notify-operators.js';
import type { AlertDetails } from '../../models/problem-query.js';
import { ru } from '../texts/ru.js';
import { encodeCallback } from './callback-data.js';

/** Posts alerts into the operators' Telegram chat. */
export class TelegramOperatorNotifier implements OperatorNotifier {
  constructor(
    private readonly api: Api,
    private readonly chatId: number,
  ) {}

  async alert(details: AlertDetails): Promise<void> {
    await this.api.sendMessage(this.chatId, ru.operatorAlert(details), {
      ...(decisionKeyboard(details) ? { reply_markup: decisionKeyboard(details) } : {}),
    });
  }
}

/** Alerts an operator decides on carry the two buttons of the decision. */
function decisionKeyboard(details: AlertDetails): InlineKeyboard | undefined {
  const id = Number(details.kind === 'extension_requested' ? details.details.requestId : details.details.answerId);
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  if (details.kind === 'extension_requested')
    return new InlineKeyboard()
      .text(ru.approveButton, encodeCallback({ type: 'extension_decision', requestId: id, approve: true }))
      .text(ru.rejectButton, encodeCallback({ type: 'extension_decision', requestId: id, approve: false }));
  if (details.kind === 'answer_held')
    return new InlineKeyboard()
      .text(ru.sendAnswerButton, encodeCallback({ type: 'held_decision', answerId: id, approve: true }))
      .text(ru.returnAnswerButton, encodeCallback({ type: 'held_decision', answerId: id, approve: false }));
  return undefined;
}
