import type { Api } from 'grammy';
import type { AnswerDeliverer } from '../../handlers/answers/answer-case.js';
import type { AnswerTarget } from '../../models/answer-target.js';
import type { AnswerPhoto } from '../../models/schema.js';
import { splitText } from '../split-text.js';
import { ru } from '../texts/ru.js';
import { sendOrBlocked } from './blocked.js';

/** Telegram's limit on a photo caption. */
const CAPTION_MAX = 1024;

/**
 * Answers in the citizen's private chat, or as a reply in the discussion thread where they wrote.
 * Photos the official attached go first (the answer as the first one's caption when it fits).
 */
export class TelegramAnswerDeliverer implements AnswerDeliverer {
  constructor(private readonly api: Pick<Api, 'sendMessage' | 'sendPhoto'>) {}

  async deliver(target: AnswerTarget, text: string, _ref: string, photos: readonly AnswerPhoto[] = []): Promise<void> {
    if (target.channel !== 'telegram') throw new Error(`not a Telegram target: ${target.channel}`);
    const reply = target.replyTo ? { reply_parameters: { message_id: target.replyTo, allow_sending_without_reply: true } } : {};
    const body = ru.answerToCitizen(text);
    const captioned = photos.length > 0 && body.length <= CAPTION_MAX;
    for (const [i, photo] of photos.entries()) {
      await sendOrBlocked(() =>
        this.api.sendPhoto(target.chatId, photo.telegramFileId, {
          ...(i === 0 ? reply : {}),
          ...(i === 0 && captioned ? { caption: body } : {}),
        }),
      );
    }
    if (captioned) return;
    // An answer longer than one message (the official's 4096 characters plus our heading) goes in parts.
    for (const [i, part] of splitText(body).entries())
      await sendOrBlocked(() => this.api.sendMessage(target.chatId, part, i === 0 && photos.length === 0 ? reply : {}));
  }
}
