import { type Api, GrammyError } from 'grammy';
import { type CitizenNotification, type CitizenNotifier, DeliveryBlockedError } from '../../models/citizen-notification.js';
import type { ReplyTarget } from '../../models/intake.js';
import { ru } from '../texts/ru.js';
import { newCaseKeyboard, pollKeyboard, ratingKeyboard } from './keyboards.js';

/** Renders citizen notifications in Russian and sends them through the Bot API. */
export class TelegramNotifier implements CitizenNotifier {
  constructor(private readonly api: Api) {}

  async notify(target: ReplyTarget, notification: CitizenNotification): Promise<void> {
    const text = ru.citizenNotification(notification);
    try {
      await this.api.sendMessage(target.chatId, text, {
        reply_markup:
          notification.kind === 'poll'
            ? pollKeyboard(notification.caseId)
            : notification.kind === 'poll_rate'
              ? ratingKeyboard(notification.caseId)
              : newCaseKeyboard(),
        ...(target.replyToMessageId
          ? { reply_parameters: { message_id: Number(target.replyToMessageId), allow_sending_without_reply: true } }
          : {}),
      });
    } catch (error) {
      // 403: the citizen blocked the bot or left; 400 "chat not found": the chat is gone. Neither heals by retrying.
      if (error instanceof GrammyError && (error.error_code === 403 || /chat not found/i.test(error.description))) {
        throw new DeliveryBlockedError(error.description);
      }
      throw error;
    }
  }
}
