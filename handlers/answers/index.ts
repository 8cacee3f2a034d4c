import type { DraftKind } from '../../models/schema.js';
import type { StaffAccount } from '../../models/staff-account.js';
import type { HandlerDeps } from '../deps.js';
import type { AnswerSettings } from './answer-case.js';
import { forceDraft, type OfficialTextOutcome, startAnswer, submitOfficialText } from './official-answer.js';

export {
  type AnswerDeps,
  type AnswerOutcome,
  type AnswerSettings,
  answerCase,
  answerSettingsFor,
  DEFAULT_POLL_DELAY_MS,
  deliverAnswer,
} from './answer-case.js';
export { caseAnswers } from './list.js';
export { forceDraft, type OfficialTextOutcome, startAnswer, submitOfficialText } from './official-answer.js';
export { decisionTaken, pendingDecisions } from './pending-decisions.js';
export { checkAnswer, DEFAULT_QUALITY_RULES, type QualityRules, type QualityVerdict } from './quality-gate.js';
export { type ReviewOutcome, reviewHeldAnswer } from './review-held.js';

/** An official's answer in the bot: «Ответить» (and the other drafts), the text that follows, «Отправить всё равно». */
export interface AnswersApi {
  startAnswer(
    caseId: number,
    kind: DraftKind,
    account: StaffAccount,
  ): Promise<{ status: 'ready'; caseNumber: string } | { status: 'forbidden' | 'not_found' }>;
  /** `photos`: Telegram file ids (the answer is delivered with them). */
  submit(
    account: StaffAccount,
    text: string,
    replyToText?: string,
    photos?: readonly { telegramFileId: string }[],
  ): Promise<OfficialTextOutcome>;
  force(account: StaffAccount): Promise<OfficialTextOutcome>;
}

/**
 * Binds the officials' answers; `deps` is called on every use (the database or queue may not be up yet).
 * The same deps serve the case actions a draft may turn into (an extension, a return, a question).
 */
export function bindAnswers(deps: () => HandlerDeps & AnswerSettings): AnswersApi {
  const withActions = () => {
    const d = deps();
    return { ...d, actions: d };
  };
  return {
    startAnswer: (caseId, kind, account) => startAnswer(deps(), { caseId, kind, account }),
    submit: (account, text, replyToText, photos) =>
      submitOfficialText(withActions(), { account, text, replyToText, ...(photos ? { photos } : {}) }),
    force: (account) => forceDraft(withActions(), { account }),
  };
}
