/** What handlers ask a channel to tell a citizen (through the port, models/outbound.ts); the bots render it in Russian. */
export type CitizenNotification =
  | { kind: 'case_opened'; caseNumber: string; firstResponse: string }
  | { kind: 'case_extended'; caseNumber: string }
  /** The deadline was extended (the citizen must be told the new term and why). */
  | { kind: 'deadline_extended'; caseNumber: string; until: string; reason: string }
  /** An official's question about the case (its clock stops until the citizen answers). */
  | { kind: 'question'; caseNumber: string; text: string }
  /** The case was found to duplicate another; the answer will come for that one. */
  | { kind: 'case_merged'; caseNumber: string; intoNumber: string }
  /** A private message that was thanks: acknowledged, no case. */
  | { kind: 'thanks_received' }
  /** A private message with no problem in it (a greeting, an advert): ask for the details. */
  | { kind: 'need_details' }
  /** «Проблема решена?» with Да / Нет buttons (and, once, a reminder). */
  | { kind: 'poll'; caseId: number; caseNumber: string; reminder: boolean }
  /** The 1–5 rating buttons. */
  | { kind: 'poll_rate'; caseId: number; caseNumber: string }
  /** Thanks for the answer; with a case id, a «Добавить комментарий» button. */
  | { kind: 'poll_thanks'; reopened: boolean; caseId?: number }
  /** The comment written after «Добавить комментарий» was taken. */
  | { kind: 'poll_comment_thanks' }
  /**
   * A message about something else than the open case: «Дополнение к обращению …» / «Новое обращение»
   * buttons for that message; without an answer within `waitMinutes` it becomes a new case.
   */
  | { kind: 'follow_up_choice'; messageId: number; caseNumber: string; waitMinutes: number }
  /**
   * «Это обращение?» with «Да, это обращение» / «Нет» for a message that may be thanks or chatter;
   * without an answer within `waitMinutes` (or when the citizen writes again) it becomes a case.
   */
  | { kind: 'intent_question'; messageId: number; waitMinutes: number }
  /** The citizen said the message was not an appeal (and it was not thanks): nothing opened. */
  | { kind: 'not_an_appeal' };
