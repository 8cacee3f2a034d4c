import { countDecideFailure, overdueQuestions, unprocessedMessages } from '../../models/case-repository.js';
import { insertDeadLetters } from '../../models/inbox-repository.js';
import { errorText } from '../inbox/worker.js';
import type { IntakeDeps } from './deps.js';
import { DEFAULT_FOLLOW_UP_CHOICE_TIMEOUT_MS, followUpTimeout } from './follow-up-choice.js';
import { intentQuestionTimeout } from './intent-question.js';
import { processMessage } from './process-message.js';

/** The dead-letter source of a message whose case could not be decided (replay: the sweep tries again). */
export const DECISION_SOURCE = 'message-decision';

/** A message whose deciding failed this many sweeps is parked in the dead letters. */
export const MAX_DECIDE_FAILURES = 5;

/**
 * The safety net of inline deciding: messages stored more than `graceMs` ago whose case was never
 * decided (the process died between storing and deciding, or deciding failed) are decided now, one
 * by one — a failing one is counted and, after MAX_DECIDE_FAILURES sweeps, parked in the dead
 * letters, and the others go on. Follow-up choices and «Это обращение?» questions still pending `graceMs`
 * after their timeout (the timeout job gave up, e.g. during a long outage) become new cases, as the
 * timeout would have made them.
 */
export async function processUnprocessed(deps: IntakeDeps, options: { graceMs: number; limit: number }): Promise<number> {
  const now = deps.clock.now().getTime();
  let decided = 0;
  const timeoutMs = deps.settings.followUpChoiceTimeoutMs ?? DEFAULT_FOLLOW_UP_CHOICE_TIMEOUT_MS;
  const overdue = {
    askedBefore: new Date(now - timeoutMs - options.graceMs),
    limit: options.limit,
    maxFailures: MAX_DECIDE_FAILURES,
  };
  const timeouts = [
    ['follow_up_choice', (messageId: number) => followUpTimeout(deps, { messageId })],
    ['intent_question', (messageId: number) => intentQuestionTimeout(deps, { messageId })],
  ] as const;
  for (const [question, timeout] of timeouts) {
    for (const messageId of await overdueQuestions(deps.db, question, overdue)) {
      if (await attempt(deps, messageId, async () => (await timeout(messageId)) !== 'stale')) decided++;
    }
  }
  const ids = await unprocessedMessages(deps.db, new Date(now - options.graceMs), options.limit, MAX_DECIDE_FAILURES);
  for (const messageId of ids) {
    if (await attempt(deps, messageId, async () => (await processMessage(deps, { messageId })).status !== 'skipped')) decided++;
  }
  return decided;
}

async function attempt(deps: IntakeDeps, messageId: number, decide: () => Promise<boolean>): Promise<boolean> {
  try {
    return await decide();
  } catch (error) {
    const failures = await countDecideFailure(deps.db, messageId);
    deps.log.warn({ err: error, messageId, failures }, 'deciding a stored message failed; the sweep tries again');
    if (failures >= MAX_DECIDE_FAILURES) {
      await insertDeadLetters(deps.db, [
        { source: DECISION_SOURCE, reason: 'case_decision_failed', raw: { messageId }, error: errorText(error) },
      ]);
      deps.log.error({ messageId }, 'a stored message could not be decided: parked in the dead letters');
    }
    return false;
  }
}
