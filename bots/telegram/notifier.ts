import type { Api } from 'grammy';
import type { CitizenNotification, CitizenNotifier } from '../../models/citizen-notification.js';
import type { ReplyTarget } from '../../models/intake.js';
import { ru } from '../texts/ru.js';
import { sendOrBlocked } from './blocked.js';
import { followUpChoiceKeyboard, newCaseKeyboard, pollKeyboard, pollThanksKeyboard, ratingKeyboard } from './keyboards.js';

/** Renders citizen notifications in Russian and sends them through the Bot API. */
export class TelegramNotifier implements CitizenNotifier {
  constructor(private readonly api: Api) {}

  async notify(target: ReplyTarget, notification: CitizenNotification): Promise<void> {
    await sendOrBlocked(() =>
      this.api.sendMessage(target.chatId, ru.citizenNotification(notification), {
        reply_markup: keyboardFor(notification),
        ...(target.replyToMessageId
          ? { reply_parameters: { message_id: Number(target.replyToMessageId), allow_sending_without_reply: true } }
          : {}),
      }),
    );
  }
}

function keyboardFor(n: CitizenNotification) {
  if (n.kind === 'poll') return pollKeyboard(n.caseId);
  if (n.kind === 'poll_rate') return ratingKeyboard(n.caseId);
  if (n.kind === 'poll_thanks' && n.caseId !== undefined) return pollThanksKeyboard(n.caseId);
  if (n.kind === 'follow_up_choice') return followUpChoiceKeyboard(n.messageId, n.caseNumber);
  return newCaseKeyboard();
}
