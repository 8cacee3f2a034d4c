import type { CitizenNotification, CitizenNotifier } from '../../models/citizen-notification.js';
import type { ReplyTarget } from '../../models/intake.js';
import { ru } from '../texts/ru.js';
import { stableRandomId, type VkApiPort } from './api.js';
import { vkNewCaseKeyboard } from './keyboards.js';

/** Renders citizen notifications in Russian and sends them as community messages. */
export class VkNotifier implements CitizenNotifier {
  constructor(private readonly api: VkApiPort) {}

  async notify(target: ReplyTarget, notification: CitizenNotification): Promise<void> {
    const text = ru.citizenNotification(notification);
    await this.api.sendMessage(Number(target.chatId), text, {
      keyboard: vkNewCaseKeyboard(),
      // The same notification retried by the queue carries the same random_id: VK sends it once.
      randomId: stableRandomId(
        `${target.chatId}:${notification.kind}:${'caseNumber' in notification ? notification.caseNumber : ''}:${target.replyToMessageId ?? ''}`,
      ),
    });
  }
}
