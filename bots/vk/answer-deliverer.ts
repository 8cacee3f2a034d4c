import type { AnswerDeliverer } from '../../handlers/answers/answer-case.js';
import type { AnswerTarget } from '../../models/answer-target.js';
import { ru } from '../texts/ru.js';
import { stableRandomId, type VkApiPort } from './api.js';

/** Answers by community message, or by a reply comment (from the community) under the citizen's wall comment. */
export class VkAnswerDeliverer implements AnswerDeliverer {
  constructor(private readonly api: VkApiPort) {}

  async deliver(target: AnswerTarget, text: string, ref: string): Promise<void> {
    if (target.channel !== 'vk') throw new Error(`not a VK target: ${target.channel}`);
    if (target.mode === 'private') {
      // The same answer retried by the queue keeps its random_id: VK delivers it once.
      await this.api.sendMessage(target.peerId, ru.answerToCitizen(text), { randomId: stableRandomId(ref) });
      return;
    }
    await this.api.createComment(target.ownerId, target.postId, target.commentId, text);
  }
}
