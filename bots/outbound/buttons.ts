import type { CaseCard } from '../../models/case-query.js';
import type { CitizenNotification } from '../../models/citizen-notification.js';
import type { AlertDetails } from '../../models/problem-query.js';
import { ru } from '../texts/ru.js';

/**
 * What a button asks for when pressed, whatever the messenger. Each messenger has one codec for its
 * wire format (Telegram: bots/telegram/callback-data.ts; VK: bots/vk/payload.ts), never ad-hoc split().
 */
export type ButtonAction =
  | { type: 'consent'; answer: 'yes' | 'no' }
  | { type: 'new_case' }
  /** «Дополнение к обращению …» / «Новое обращение» for a message that waits for the citizen's choice. */
  | { type: 'follow_up'; messageId: number; choice: 'addition' | 'new' }
  /** «Да, это обращение» / «Нет, не обращение» for a message that may be thanks or chatter. */
  | { type: 'intent'; messageId: number; appeal: boolean }
  | { type: 'poll'; caseId: number; solved: boolean }
  | { type: 'rate'; caseId: number; rating: number }
  | { type: 'poll_comment'; caseId: number }
  | { type: 'take'; caseId: number }
  | { type: 'answer'; caseId: number; kind: 'interim' | 'final' }
  | { type: 'force' }
  | { type: 'extend'; caseId: number }
  | { type: 'redirect'; caseId: number }
  | { type: 'ask'; caseId: number }
  | { type: 'extension_decision'; requestId: number; approve: boolean }
  | { type: 'held_decision'; answerId: number; approve: boolean }
  /** /subscribe: add or remove one district or topic of the citizen's choice (ids of the domain file). */
  | { type: 'sub_toggle'; what: 'district' | 'topic'; id: string }
  /** /subscribe: «Весь город» — no district filter. */
  | { type: 'sub_city' }
  /** /subscribe: «Готово» — save the choice shown. */
  | { type: 'sub_done' }
  /** «Отписаться»: under every broadcast (its id) or in /subscribe (null). */
  | { type: 'unsubscribe'; broadcastId: number | null }
  /** Staff: a broadcast's controls (the /broadcast wizard, its preview and its progress message). */
  | { type: 'broadcast'; broadcastId: number; op: BroadcastOp }
  /** Staff /broadcast wizard: the audience of a draft — one district's subscribers, or every subscriber (null). */
  | { type: 'broadcast_segment'; broadcastId: number; district: string | null }
  /** Staff /broadcast wizard: the audience of a draft — the citizens whose cases are linked to a problem. */
  | { type: 'broadcast_problem'; broadcastId: number; problemId: number };

/**
 * What a staff member can do to a broadcast from a button: the controls, and in the wizard «Жителям по
 * проблеме» (`problems`: the list of problems) and the «Экстренная» toggle (`emergency` / `normal`).
 */
export const BROADCAST_OPS = ['start', 'approve', 'pause', 'resume', 'cancel', 'problems', 'emergency', 'normal'] as const;
export type BroadcastOp = (typeof BROADCAST_OPS)[number];

/** How a button stands out, where a messenger can show it (VK's colours); Telegram ignores it. */
export type ButtonTone = 'positive' | 'negative' | 'primary' | 'secondary';

/** A button under a message: an action of ours, or a link. */
export type Button = { label: string; action: ButtonAction; tone: ButtonTone } | { label: string; url: string };

/** Rows of buttons, top to bottom; no rows is no keyboard. */
export type Buttons = Button[][];

const press = (label: string, action: ButtonAction, tone: ButtonTone = 'secondary'): Button => ({ label, action, tone });

// ---- citizens ----

export const consentButtons = (): Buttons => [
  [
    press(ru.consentYes, { type: 'consent', answer: 'yes' }, 'positive'),
    press(ru.consentNo, { type: 'consent', answer: 'no' }, 'negative'),
  ],
];

export const newCaseButtons = (): Buttons => [[press(ru.newCaseButton, { type: 'new_case' }, 'primary')]];

/** «Дополнение к обращению …» / «Новое обращение» for one waiting message (one per row: the first is long). */
export const followUpChoiceButtons = (messageId: number, caseNumber: string): Buttons => [
  [press(ru.followUpAdditionButton(caseNumber), { type: 'follow_up', messageId, choice: 'addition' }, 'primary')],
  [press(ru.newCaseButton, { type: 'follow_up', messageId, choice: 'new' }, 'secondary')],
];

/** «Да, это обращение» / «Нет, не обращение» for one waiting message. */
export const intentQuestionButtons = (messageId: number): Buttons => [
  [
    press(ru.intentAppealButton, { type: 'intent', messageId, appeal: true }, 'primary'),
    press(ru.intentNotAppealButton, { type: 'intent', messageId, appeal: false }, 'secondary'),
  ],
];

export const pollButtons = (caseId: number): Buttons => [
  [
    press(ru.pollYes, { type: 'poll', caseId, solved: true }, 'positive'),
    press(ru.pollNo, { type: 'poll', caseId, solved: false }, 'negative'),
  ],
];

export const ratingButtons = (caseId: number): Buttons => [
  [1, 2, 3, 4, 5].map((rating) => press(String(rating), { type: 'rate', caseId, rating }, 'secondary')),
];

/** Under the poll's thanks: «Добавить комментарий», then «Новое обращение». */
export const pollThanksButtons = (caseId: number): Buttons => [
  [press(ru.pollCommentButton, { type: 'poll_comment', caseId }, 'primary')],
  [press(ru.newCaseButton, { type: 'new_case' }, 'secondary')],
];

/** «Отписаться» under every broadcast: the press carries the broadcast, and leaving takes effect before its next batch. */
export const broadcastButtons = (broadcastId: number): Buttons => [
  [press(ru.broadcastMessage.unsubscribeButton, { type: 'unsubscribe', broadcastId }, 'secondary')],
];

/** The buttons under a citizen notification: the poll's, the follow-up choice, else «Новое обращение». */
export function notificationButtons(n: CitizenNotification): Buttons {
  if (n.kind === 'poll') return pollButtons(n.caseId);
  if (n.kind === 'poll_rate') return ratingButtons(n.caseId);
  if (n.kind === 'poll_thanks' && n.caseId !== undefined) return pollThanksButtons(n.caseId);
  if (n.kind === 'follow_up_choice') return followUpChoiceButtons(n.messageId, n.caseNumber);
  if (n.kind === 'intent_question') return intentQuestionButtons(n.messageId);
  return newCaseButtons();
}

// ---- officials and operators ----

/**
 * The buttons under a case card: take it, answer it (final or interim), ask for more time, ask the
 * citizen (the clock stops), say it is not the department's, open the original post when there is a link.
 */
export function caseCardButtons(card: Pick<CaseCard, 'id' | 'permalink'>): Buttons {
  const caseId = card.id;
  const last: Button[] = [press(ru.redirectButton, { type: 'redirect', caseId })];
  if (card.permalink && /^https:\/\//.test(card.permalink)) last.push({ label: ru.openButton, url: card.permalink });
  return [
    [press(ru.takeButton, { type: 'take', caseId })],
    [
      press(ru.answerButton, { type: 'answer', caseId, kind: 'final' }),
      press(ru.interimButton, { type: 'answer', caseId, kind: 'interim' }),
    ],
    [press(ru.extendButton, { type: 'extend', caseId }), press(ru.askButton, { type: 'ask', caseId })],
    last,
  ];
}

/** Under the quality gate's objections: send the answer as it is. */
export const forceButtons = (): Buttons => [[press(ru.forceButton, { type: 'force' })]];

/** Alerts an operator decides on carry the two buttons of the decision; other alerts none. */
export function alertButtons(alert: AlertDetails): Buttons {
  const id = Number(alert.kind === 'extension_requested' ? alert.details.requestId : alert.details.answerId);
  if (!Number.isSafeInteger(id) || id <= 0) return [];
  if (alert.kind === 'extension_requested')
    return [
      [
        press(ru.approveButton, { type: 'extension_decision', requestId: id, approve: true }),
        press(ru.rejectButton, { type: 'extension_decision', requestId: id, approve: false }),
      ],
    ];
  if (alert.kind === 'answer_held')
    return [
      [
        press(ru.sendAnswerButton, { type: 'held_decision', answerId: id, approve: true }),
        press(ru.returnAnswerButton, { type: 'held_decision', answerId: id, approve: false }),
      ],
    ];
  return [];
}
