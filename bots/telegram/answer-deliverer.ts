import { type Api, GrammyError } from 'grammy';
import type { AnswerDeliverer } from '../../handlers/answers/answer-case.js';
import type { AnswerTarget } from '../../models/answer-target.js';
import { DeliveryBlockedError } from '../../models/citizen-notification.js';
import { ru } from '../texts/ru.js';

/** Answers in the citizen's private chat, or as a reply in the discussion thread where they wrote. */
export class TelegramAnswerDeliverer implements AnswerDeliverer {
  constructor(private readonly api: Api) {}

  async deliver(target: AnswerTarget, text: string): Promise<void> {
    if (target.channel !== 'telegram') throw new Error(`not a Telegram target: ${target.channel}`);
    try {
      await this.api.sendMessage(target.chatId, ru.answerToCitizen(text), {
        ...(target.replyTo ? { reply_parameters: { message_id: target.replyTo, allow_sending_without_reply: true } } : {}),
      });
    } catch (error) {
      if (error instanceof GrammyError && (error.error_code === 403 || /chat not found/i.test(error.description))) {
        throw new DeliveryBlockedError(error.description);
      }
      throw error;
    }
  }
}
