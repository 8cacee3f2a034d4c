import type { BroadcastContent } from '../../models/broadcast.js';
import type { OutboundMessage, Recipient } from '../../models/outbound.js';
import type { AnswerPhoto } from '../../models/schema.js';
import { ru, type TextCity } from '../texts/ru.js';
import { approvalButtons, notStartedButtons, progressButtons } from './broadcast-staff-buttons.js';
import { alertButtons, type Buttons, broadcastButtons, caseCardButtons, notificationButtons } from './buttons.js';

/** A message as every messenger shows it: the text, the buttons under it, the photos before it. */
export interface Rendered {
  text: string;
  buttons: Buttons;
  photos: readonly AnswerPhoto[];
}

/**
 * The one place that decides the words (from bots/texts/ru.ts) and the buttons of an outbound
 * message; the messengers' adapters only map the result onto their API.
 */
export function render(message: OutboundMessage, recipient: Recipient, city: TextCity): Rendered {
  const plain = (text: string, buttons: Buttons = []): Rendered => ({ text, buttons, photos: [] });
  switch (message.kind) {
    case 'citizen_notification':
      return plain(ru.citizenNotification(message.notification, city), notificationButtons(message.notification));
    case 'answer':
      // A reply comment in a public thread is signed by the community and is the answer itself; a
      // chat message says what it is.
      return {
        text: recipient.thread ? message.text : ru.answerToCitizen(message.text),
        buttons: [],
        photos: message.photos,
      };
    case 'case_card':
      // A case closed because its citizen withdrew consent has nothing left to press.
      return plain(
        ru.reminderCard(message.card, city),
        message.card.kind?.type === 'consent_withdrawn' ? [] : caseCardButtons(message.card),
      );
    case 'digest':
      return plain(ru.morningDigest(message.digest, city));
    case 'weekly_report':
      return plain(ru.weeklyReport(message.report));
    case 'operator_alert':
      return plain(ru.operatorAlert(message.alert, city), alertButtons(message.alert));
    case 'processing_failed':
      return plain(ru.internalError);
    case 'broadcast_progress':
      return plain(ru.broadcastStaff.progress(message.progress), progressButtons(message.progress));
    case 'broadcast_summary':
      return plain(ru.broadcastStaff.summary(message.progress));
    case 'broadcast_approval':
      return plain(ru.broadcastStaff.approval(message.approval), approvalButtons(message.approval));
    case 'broadcast_not_started':
      return plain(ru.broadcastStaff.notStarted(message.notice), notStartedButtons(message.notice));
  }
}

/** A broadcast as every messenger shows it: the text, «Отписаться» under it, the picture (a URL) before it. */
export interface RenderedBroadcast {
  text: string;
  buttons: Buttons;
  photoUrl: string | null;
}

/**
 * A broadcast's words and button, once for every messenger: the title on its own line, then the text
 * (an emergency one marked above the title), and «Отписаться» carrying the broadcast. Each messenger
 * splits the text over its own limit (bots/split-text.ts), the button under the last part.
 */
export function renderBroadcast(content: BroadcastContent): RenderedBroadcast {
  return { text: ru.broadcastMessage.text(content), buttons: broadcastButtons(content.broadcastId), photoUrl: content.photoUrl };
}
