import type { ReplyTarget } from './intake.js';

/** What handlers ask a channel to tell a citizen; the bots render it in Russian. */
export type CitizenNotification =
  | { kind: 'case_opened'; caseNumber: string; firstResponse: string }
  | { kind: 'case_extended'; caseNumber: string };

/** Sends a notification to a citizen on their channel. */
export interface CitizenNotifier {
  notify(target: ReplyTarget, notification: CitizenNotification): Promise<void>;
}

/** The platform says this chat can no longer be written to (bot blocked, chat gone): do not retry. */
export class DeliveryBlockedError extends Error {
  override name = 'DeliveryBlockedError';
}
