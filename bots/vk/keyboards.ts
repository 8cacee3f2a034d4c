import { ru } from '../texts/ru.js';

export type VkCommand = 'consent_yes' | 'consent_no' | 'new_case' | 'status' | 'start' | 'help';

const button = (label: string, cmd: VkCommand, color: 'positive' | 'negative' | 'primary' | 'secondary') => ({
  action: { type: 'text', label, payload: JSON.stringify({ cmd }) },
  color,
});

/** Inline keyboards as the VK API expects them (JSON strings). */
export const vkConsentKeyboard = (): string =>
  JSON.stringify({
    inline: true,
    buttons: [[button(ru.consentYes, 'consent_yes', 'positive'), button(ru.consentNo, 'consent_no', 'negative')]],
  });

export const vkNewCaseKeyboard = (): string =>
  JSON.stringify({ inline: true, buttons: [[button(ru.newCaseButton, 'new_case', 'primary')]] });

// ---- the satisfaction poll ----
// Text buttons with a payload, like the ones above: every VK client shows them, and a press arrives
// as an ordinary message_new (no message_event subscription or sendMessageEventAnswer round trip).

/** What a poll button asks for; the payload stays far below VK's 255-character limit. */
export type VkPollAction =
  | { type: 'poll'; caseId: number; solved: boolean }
  | { type: 'rate'; caseId: number; rating: number }
  | { type: 'poll_comment'; caseId: number };

const pollButton = (label: string, action: VkPollAction, color: 'positive' | 'negative' | 'primary' | 'secondary') => ({
  action: {
    type: 'text',
    label,
    payload: JSON.stringify(
      action.type === 'poll'
        ? { cmd: 'poll', case: action.caseId, solved: action.solved }
        : action.type === 'rate'
          ? { cmd: 'rate', case: action.caseId, rating: action.rating }
          : { cmd: 'poll_comment', case: action.caseId },
    ),
  },
  color,
});

export const vkPollKeyboard = (caseId: number): string =>
  JSON.stringify({
    inline: true,
    buttons: [
      [
        pollButton(ru.pollYes, { type: 'poll', caseId, solved: true }, 'positive'),
        pollButton(ru.pollNo, { type: 'poll', caseId, solved: false }, 'negative'),
      ],
    ],
  });

export const vkRatingKeyboard = (caseId: number): string =>
  JSON.stringify({
    inline: true,
    buttons: [[1, 2, 3, 4, 5].map((rating) => pollButton(String(rating), { type: 'rate', caseId, rating }, 'secondary'))],
  });

/** Under the poll's thanks: «Добавить комментарий», then «Новое обращение». */
export const vkPollThanksKeyboard = (caseId: number): string =>
  JSON.stringify({
    inline: true,
    buttons: [
      [pollButton(ru.pollCommentButton, { type: 'poll_comment', caseId }, 'primary')],
      [button(ru.newCaseButton, 'new_case', 'secondary')],
    ],
  });

/** Reads a poll button's action from a message payload; null for anything else (typed text never is one). */
export function pollActionOf(payload: unknown): VkPollAction | null {
  if (typeof payload !== 'string') return null;
  let parsed: { cmd?: unknown; case?: unknown; solved?: unknown; rating?: unknown };
  try {
    parsed = JSON.parse(payload) as typeof parsed;
  } catch {
    return null;
  }
  const caseId = parsed?.case;
  if (typeof caseId !== 'number' || !Number.isSafeInteger(caseId) || caseId <= 0) return null;
  if (parsed.cmd === 'poll' && typeof parsed.solved === 'boolean') return { type: 'poll', caseId, solved: parsed.solved };
  if (parsed.cmd === 'rate' && typeof parsed.rating === 'number' && [1, 2, 3, 4, 5].includes(parsed.rating))
    return { type: 'rate', caseId, rating: parsed.rating };
  if (parsed.cmd === 'poll_comment') return { type: 'poll_comment', caseId };
  return null;
}

// ---- the follow-up choice ----

/** «Дополнение к обращению …» or «Новое обращение» for one waiting message. */
export interface VkFollowUpAction {
  messageId: number;
  choice: 'addition' | 'new';
}

/** VK refuses a text button label longer than 40 characters. */
const VK_LABEL_MAX = 40;

const followUpButton = (label: string, action: VkFollowUpAction, color: 'primary' | 'secondary') => ({
  action: {
    type: 'text',
    label: label.length > VK_LABEL_MAX ? `${label.slice(0, VK_LABEL_MAX - 1)}…` : label,
    payload: JSON.stringify({ cmd: 'follow_up', msg: action.messageId, choice: action.choice === 'addition' ? 'add' : 'new' }),
  },
  color,
});

export const vkFollowUpKeyboard = (messageId: number, caseNumber: string): string =>
  JSON.stringify({
    inline: true,
    buttons: [
      [followUpButton(ru.followUpAdditionButton(caseNumber), { messageId, choice: 'addition' }, 'primary')],
      [followUpButton(ru.newCaseButton, { messageId, choice: 'new' }, 'secondary')],
    ],
  });

/** Reads a follow-up choice button from a message payload; null for anything else. */
export function followUpActionOf(payload: unknown): VkFollowUpAction | null {
  if (typeof payload !== 'string') return null;
  let parsed: { cmd?: unknown; msg?: unknown; choice?: unknown };
  try {
    parsed = JSON.parse(payload) as typeof parsed;
  } catch {
    return null;
  }
  const messageId = parsed?.msg;
  if (parsed?.cmd !== 'follow_up' || typeof messageId !== 'number' || !Number.isSafeInteger(messageId) || messageId <= 0)
    return null;
  if (parsed.choice === 'add') return { messageId, choice: 'addition' };
  if (parsed.choice === 'new') return { messageId, choice: 'new' };
  return null;
}

/** Reads a button's command from a message payload or a typed command («/status», «Начать»). */
export function commandOf(payload: unknown, text: string): VkCommand | null {
  if (typeof payload === 'string') {
    try {
      const parsed = JSON.parse(payload) as { cmd?: unknown; command?: unknown };
      if (parsed.command === 'start') return 'start';
      if (
        typeof parsed.cmd === 'string' &&
        ['consent_yes', 'consent_no', 'new_case', 'status', 'start', 'help'].includes(parsed.cmd)
      ) {
        return parsed.cmd as VkCommand;
      }
    } catch {
      // not a payload of ours: fall through to the text
    }
  }
  const t = text.trim().toLowerCase();
  if (t === '/start' || t === 'начать' || t === 'старт') return 'start';
  if (t === '/status' || t === 'мои обращения' || t === 'статус') return 'status';
  if (t === '/help' || t === 'помощь') return 'help';
  return null;
}
