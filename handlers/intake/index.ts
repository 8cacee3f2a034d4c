import { undecidedMessageByKey } from '../../models/case-repository.js';
import type { Author, Channel, IncomingMessage, IntakeOutcome } from '../../models/intake.js';
import { type CitizenCasesResult, citizenCases, requestNewCase } from './citizen-cases.js';
import type { IntakeDeps } from './deps.js';
import { chooseFollowUp, type FollowUpsApi } from './follow-up-choice.js';
import { answerIntent, type IntentAnswerOutcome } from './intent-question.js';
import { MicroBatcher } from './micro-batcher.js';
import { processMessage } from './process-message.js';
import { receiveBatch, receiveMessage } from './receive-message.js';
import { recordConsent } from './record-consent.js';
import { registerSource } from './register-source.js';

export { type CitizenCasesResult, citizenCases, requestNewCase } from './citizen-cases.js';
export { type IntakeDeps, type IntakeSettings, intakeSettingsFor } from './deps.js';
export { type IntentAnswerOutcome, intentQuestionTimeout } from './intent-question.js';
export { MicroBatcher } from './micro-batcher.js';
export { notifyCitizen } from './notify-citizen.js';
export { type ProcessOutcome, processMessage } from './process-message.js';
export { DECISION_SOURCE, MAX_DECIDE_FAILURES, processUnprocessed } from './process-unprocessed.js';
export { receiveBatch, receiveMessage } from './receive-message.js';
export { recordConsent } from './record-consent.js';
export { registerSource } from './register-source.js';

/** The intake use cases as the channel adapters see them: deps already bound. */
export interface IntakeApi {
  receive(input: IncomingMessage): Promise<IntakeOutcome>;
  recordConsent(input: { channel: Channel; author: Author; consent: 'given' | 'declined' }): Promise<void>;
  citizenCases(sender: { channel: Channel; externalId: string }): Promise<CitizenCasesResult>;
  requestNewCase(sender: { channel: Channel; externalId: string }): Promise<'ok' | 'consent_required'>;
  registerSource(input: { channel: Channel; source: IncomingMessage['source'] }): Promise<{ id: number; status: string }>;
  /** «Да, это обращение» / «Нет, не обращение» under a message that may be thanks or chatter. */
  answerIntent(input: {
    messageId: number;
    appeal: boolean;
    sender: { channel: Channel; externalId: string };
  }): Promise<IntentAnswerOutcome>;
}

/**
 * Binds the use cases to their deps. With `batching`, concurrent receives are group-committed
 * (see MicroBatcher); without it every message has its own transaction.
 *
 * `receive` is one unit of work with the inbox event that carries the message: it stores the
 * message, then decides its case (join, open, structure) in the same call. If the deciding fails,
 * the message stays unprocessed; the inbox retries the event (the message is then a duplicate) and
 * `processUnprocessed` picks the message up — nothing is decided twice (processMessage is idempotent).
 */
export function bindIntake(deps: IntakeDeps, batching?: { maxWaitMs: number; maxSize: number; maxInFlight: number }): IntakeApi {
  const batcher = batching ? new MicroBatcher((items: IncomingMessage[]) => receiveBatch(deps, items), batching) : null;
  return {
    receive: async (input) => {
      const outcome = await (batcher ? batcher.submit(input) : receiveMessage(deps, input));
      if (!input.opensCase) return outcome;
      if (outcome.status === 'stored') await processMessage(deps, { messageId: outcome.messageId });
      else if (outcome.status === 'duplicate') {
        // A retried event whose message was stored but not decided (the deciding failed or the process
        // died): decide it now, so a failure goes through the inbox's retries and parking again.
        const messageId = await undecidedMessageByKey(deps.db, {
          channel: input.channel,
          sourceExternalId: input.source.externalId,
          externalId: input.externalId,
        });
        if (messageId !== undefined) await processMessage(deps, { messageId });
      }
      return outcome;
    },
    recordConsent: (input) => recordConsent(deps, input),
    citizenCases: (sender) => citizenCases(deps, sender),
    requestNewCase: (sender) => requestNewCase(deps, sender),
    registerSource: (input) => registerSource(deps, input),
    answerIntent: (input) => answerIntent(deps, input),
  };
}
export { channelCursor } from './channel-cursor.js';
export { type DeadLetterDeps, deadLetters, type ReplayOutcome, type ReplaySource, replayDeadLetter } from './dead-letters.js';
export {
  chooseFollowUp,
  DEFAULT_FOLLOW_UP_CHOICE_TIMEOUT_MS,
  type FollowUpChoice,
  type FollowUpChoiceOutcome,
  type FollowUpsApi,
  followUpTimeout,
} from './follow-up-choice.js';
export {
  type CommunityReader,
  decideWallItem,
  type PollReport,
  pollCommunities,
  WALL_CHANNEL,
  type WallEvent,
  type WallItem,
} from './poll-communities.js';
export { pruneEventLedger } from './prune-event-ledger.js';
export { fetchThreadSnippet, type PostReader } from './thread-snippet.js';

/**
 * Binds «Дополнение к обращению …» / «Новое обращение» under a follow-up about something else. Like
 * bindIntake, it is bound once the queue is up, with the intake deps (the structurer is built then).
 */
export function bindFollowUps(deps: IntakeDeps): FollowUpsApi {
  return { choose: (input) => chooseFollowUp(deps, input) };
}
