import type { ReplyTarget } from './intake.js';

/** What handlers ask a channel to tell a citizen; the bots render it in Russian. */
export type CitizenNotification =
  | { kind: 'case_opened'; caseNumber: string; firstResponse: string }
  | { kind: 'case_extended'; caseNumber: string }
  /** A private message that was thanks: acknowledged, no case. */
  | { kind: 'thanks_received' }
  /** A private message with no problem in it (a greeting, an advert): ask for the details. */
  | { kind: 'need_details' };

/** Sends a notification to a citizen on their channel. */
export interface CitizenNotifier {
  notify(target: ReplyTarget, notification: CitizenNotification): Promise<void>;
}

/** The platform says this chat can no longer be written to (bot blocked, chat gone): do not retry. */
export class DeliveryBlockedError extends Error {
  override name = 'DeliveryBlockedError';
}
