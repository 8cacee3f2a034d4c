import type { Api } from 'grammy';
import type { AnswerDeliverer } from '../../handlers/answers/answer-case.js';
import type { AnswerTarget } from '../../models/answer-target.js';
import { ru } from '../texts/ru.js';
import { sendOrBlocked } from './blocked.js';

/** Answers in the citizen's private chat, or as a reply in the discussion thread where they wrote. */
export class TelegramAnswerDeliverer implements AnswerDeliverer {
  constructor(private readonly api: Api) {}

  async deliver(target: AnswerTarget, text: string): Promise<void> {
    if (target.channel !== 'telegram') throw new Error(`not a Telegram target: ${target.channel}`);
    await sendOrBlocked(() =>
      this.api.sendMessage(target.chatId, ru.answerToCitizen(text), {
        ...(target.replyTo ? { reply_parameters: { message_id: target.replyTo, allow_sending_without_reply: true } } : {}),
      }),
    );
  }
}
