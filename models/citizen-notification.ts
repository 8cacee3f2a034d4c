import type { ReplyTarget } from './intake.js';

/** What handlers ask a channel to tell a citizen; the bots render it in Russian. */
export type CitizenNotification =
  | { kind: 'case_opened'; caseNumber: string; firstResponse: string }
  | { kind: 'case_extended'; caseNumber: string }
  /** A private message that was thanks: acknowledged, no case. */
  | { kind: 'thanks_received' }
  /** A private message with no problem in it (a greeting, an advert): ask for the details. */
  | { kind: 'need_details' }
  /** «Проблема решена?» with Да / Нет buttons (and, once, a reminder). */
  | { kind: 'poll'; caseId: number; caseNumber: string; reminder: boolean }
  /** The 1–5 rating buttons. */
  | { kind: 'poll_rate'; caseId: number; caseNumber: string }
  | { kind: 'poll_thanks'; reopened: boolean };

/** Sends a notification to a citizen on their channel. */
export interface CitizenNotifier {
  notify(target: ReplyTarget, notification: CitizenNotification): Promise<void>;
}

/** The platform says this chat can no longer be written to (bot blocked, chat gone): do not retry. */
export class DeliveryBlockedError extends Error {
  override name = 'DeliveryBlockedError';
}
