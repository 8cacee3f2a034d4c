import type { CitizenNotification, CitizenNotifier } from '../../models/citizen-notification.js';
import type { ReplyTarget } from '../../models/intake.js';
import { ru } from '../texts/ru.js';
import { stableRandomId, type VkApiPort } from './api.js';
import { vkFollowUpKeyboard, vkNewCaseKeyboard, vkPollKeyboard, vkPollThanksKeyboard, vkRatingKeyboard } from './keyboards.js';

/** Renders citizen notifications in Russian and sends them as community messages. */
export class VkNotifier implements CitizenNotifier {
  constructor(private readonly api: VkApiPort) {}

  async notify(target: ReplyTarget, notification: CitizenNotification, ref?: string): Promise<void> {
    const text = ru.citizenNotification(notification);
    await this.api.sendMessage(Number(target.chatId), text, {
      keyboard: keyboardFor(notification),
      // The same notification retried by the queue carries the same random_id (from its job id): VK sends
      // it once, and two different notifications never share one (VK checks the whole dialog's history).
      randomId: stableRandomId(
        ref ??
          `${target.chatId}:${notification.kind}${notification.kind === 'poll' && notification.reminder ? ':reminder' : ''}:${'caseNumber' in notification ? notification.caseNumber : ''}:${target.replyToMessageId ?? ''}`,
      ),
    });
  }
}

function keyboardFor(n: CitizenNotification): string {
  if (n.kind === 'poll') return vkPollKeyboard(n.caseId);
  if (n.kind === 'poll_rate') return vkRatingKeyboard(n.caseId);
  if (n.kind === 'poll_thanks' && n.caseId !== undefined) return vkPollThanksKeyboard(n.caseId);
  if (n.kind === 'follow_up_choice') return vkFollowUpKeyboard(n.messageId, n.caseNumber);
  return vkNewCaseKeyboard();
}
