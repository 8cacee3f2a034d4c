import type { AnswerDeliverer } from '../../handlers/answers/answer-case.js';
import type { AnswerTarget } from '../../models/answer-target.js';
import type { AnswerPhoto } from '../../models/schema.js';
import { splitText } from '../split-text.js';
import type { TelegramFileSource } from '../telegram/file-source.js';
import { ru } from '../texts/ru.js';
import { stableRandomId, type VkApiPort } from './api.js';

/**
 * Answers by community message, or by a reply comment (from the community) under the citizen's wall
 * comment. Photos (sent by officials in Telegram) are copied into a private message; a community
 * token cannot upload photos for a wall comment, so a comment carries the text only.
 */
export class VkAnswerDeliverer implements AnswerDeliverer {
  constructor(
    private readonly api: VkApiPort,
    private readonly telegramFile: TelegramFileSource | null = null,
  ) {}

  async deliver(target: AnswerTarget, text: string, ref: string, photos: readonly AnswerPhoto[] = []): Promise<void> {
    if (target.channel !== 'vk') throw new Error(`not a VK target: ${target.channel}`);
    if (target.mode === 'private') {
      const attachments: string[] = [];
      if (photos.length > 0 && !this.telegramFile) throw new Error('no Telegram file access in this instance to copy the photos');
      for (const photo of photos.slice(0, 10)) {
        const bytes = await (this.telegramFile as TelegramFileSource)(photo.telegramFileId);
        attachments.push(await this.api.uploadMessagePhoto(target.peerId, bytes));
      }
      // The same answer retried by the queue keeps its random_ids: VK delivers each part once.
      for (const [i, part] of splitText(ru.answerToCitizen(text)).entries())
        await this.api.sendMessage(target.peerId, part, {
          randomId: stableRandomId(i === 0 ? ref : `${ref}:${i}`),
          ...(i === 0 && attachments.length > 0 ? { attachment: attachments.join(',') } : {}),
        });
      return;
    }
    await this.api.createComment(target.ownerId, target.postId, target.commentId, text);
  }
}
