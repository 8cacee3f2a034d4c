import { z } from 'zod';
import { CHANNELS } from './intake.js';
import { parseOfficialNotice, parseReminderKind } from './reminder-kind.js';

// Kinds travel as their stored text (queued jobs hold it already); a text the codec cannot read is
// refused when sent and dead-lettered when worked, never guessed at.
const reminderKindText = z.string().refine((s) => parseReminderKind(s) !== null, 'must be a reminder kind such as "before:80"');
const officialNoticeText = z
  .string()
  .refine((s) => parseOfficialNotice(s) !== null, 'must be a reminder kind or an official notice such as "answer:rejected"');

/**
 * The one catalogue of background jobs: every queue name, its payload schema and its retry policy.
 * Producers and workers both import from here, so a payload change is a compile error on both sides.
 */
export const JOBS = {
  /** Smoke job used by health checks and tests: proves the queue round-trips. */
  ping: {
    schema: z.object({ at: z.string() }),
    policy: { retryLimit: 0 },
  },
  /**
   * Decide a stored message's case. No longer enqueued per message (the inbox's unit of work decides
   * inline); kept so jobs queued by an older version are still worked off.
   */
  'process-message': {
    schema: z.object({ messageId: z.number().int().positive() }),
    policy: { retryLimit: 8, retryDelay: 2, retryBackoff: true },
  },
  /** Tell a citizen something on their channel (case registered, answer, poll). */
  'notify-citizen': {
    schema: z.object({
      target: z.object({
        channel: z.enum(CHANNELS),
        chatId: z.string(),
        replyToMessageId: z.string().optional(),
      }),
      notification: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('case_opened'), caseNumber: z.string(), firstResponse: z.string() }),
        z.object({ kind: z.literal('case_extended'), caseNumber: z.string() }),
        z.object({ kind: z.literal('deadline_extended'), caseNumber: z.string(), until: z.string(), reason: z.string() }),
        z.object({ kind: z.literal('case_merged'), caseNumber: z.string(), intoNumber: z.string() }),
        z.object({ kind: z.literal('question'), caseNumber: z.string(), text: z.string().max(4000) }),
        z.object({ kind: z.literal('thanks_received') }),
        z.object({ kind: z.literal('need_details') }),
        z.object({ kind: z.literal('poll'), caseId: z.number().int(), caseNumber: z.string(), reminder: z.boolean() }),
        z.object({ kind: z.literal('poll_rate'), caseId: z.number().int(), caseNumber: z.string() }),
        // caseId is optional: jobs queued before the comment button existed carry none.
        z.object({ kind: z.literal('poll_thanks'), reopened: z.boolean(), caseId: z.number().int().optional() }),
        z.object({ kind: z.literal('poll_comment_thanks') }),
        z.object({
          kind: z.literal('intent_question'),
          messageId: z.number().int().positive(),
          waitMinutes: z.number().int().positive(),
        }),
        z.object({ kind: z.literal('not_an_appeal') }),
        z.object({
          kind: z.literal('follow_up_choice'),
          messageId: z.number().int().positive(),
          caseNumber: z.string(),
          waitMinutes: z.number().int().positive(),
        }),
      ]),
    }),
    policy: { retryLimit: 10, retryDelay: 5, retryBackoff: true },
  },
  /**
   * The citizen did not say whether a message is an addition or a new appeal in time: it becomes a new
   * case, unless their answer came first (the choice row decides, exactly once).
   */
  'follow-up-timeout': {
    schema: z.object({ messageId: z.number().int().positive() }),
    policy: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
  },
  /**
   * The citizen did not answer «Это обращение?» in time: the message becomes a case (nothing is lost),
   * unless their answer or their next message came first (the question row decides, exactly once).
   */
  'intent-question-timeout': {
    schema: z.object({ messageId: z.number().int().positive() }),
    policy: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
  },
  /** Fetch the text of the VK post a comment is under (when the post was not stored), for its thread snippet. */
  'fetch-thread-snippet': {
    schema: z.object({ messageId: z.number().int().positive() }),
    policy: { retryLimit: 5, retryDelay: 30, retryBackoff: true },
  },
  /** Deliver an official's answer to the citizen where they wrote. */
  'deliver-answer': {
    schema: z.object({ answerId: z.number().int().positive() }),
    policy: { retryLimit: 10, retryDelay: 5, retryBackoff: true },
  },
  /** Ask the citizen whether the problem was solved (after the final answer), or remind once. */
  'ask-poll': {
    schema: z.object({ caseId: z.number().int().positive(), reminder: z.boolean() }),
    policy: { retryLimit: 5, retryDelay: 30, retryBackoff: true },
  },
  /** A reminder before a deadline or an escalation step after it (exactly once per case and kind). */
  remind: {
    schema: z.object({ caseId: z.number().int().positive(), kind: reminderKindText }),
    policy: { retryLimit: 5, retryDelay: 5, retryBackoff: true },
  },
  /**
   * One case card to one person, on their preferred messenger (or another they bound). Jobs queued
   * before staff accounts name a Telegram user id instead of the person: they are still worked off.
   */
  'notify-official': {
    schema: z.union([
      z.object({ officialId: z.number().int().positive(), caseId: z.number().int().positive(), kind: officialNoticeText }),
      z.object({ telegramUserId: z.string(), caseId: z.number().int().positive(), kind: officialNoticeText }),
    ]),
    policy: { retryLimit: 10, retryDelay: 5, retryBackoff: true },
  },
  /** The morning digest (cron, city time): on working days, one `send-digest` per person with something open. */
  'morning-digest': {
    schema: z.object({}).passthrough(),
    policy: { retryLimit: 3, retryDelay: 60, retryBackoff: true },
  },
  /** One person's morning digest on their messenger (exactly once per person and local date). */
  'send-digest': {
    schema: z.object({
      officialId: z.number().int().positive(),
      localDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    }),
    policy: { retryLimit: 10, retryDelay: 5, retryBackoff: true },
  },
  /**
   * The weekly report (cron, city time, daily): on the first working day of the week, one
   * `send-weekly-report` per recipient (regulation 2.1.5, 4.3).
   */
  'weekly-report': {
    schema: z.object({}).passthrough(),
    policy: { retryLimit: 3, retryDelay: 60, retryBackoff: true },
  },
  /** One person's weekly report on their messenger (exactly once per person and week, by its Monday). */
  'send-weekly-report': {
    schema: z.object({
      officialId: z.number().int().positive(),
      weekStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    }),
    policy: { retryLimit: 10, retryDelay: 5, retryBackoff: true },
  },
  /** Tell the МЦУ operators about an urgent case or a spike, right away. */
  'notify-operators': {
    schema: z.object({ alertId: z.number().int().positive() }),
    policy: { retryLimit: 10, retryDelay: 5, retryBackoff: true },
  },
  /** Adapt the classifier to operators' corrections; switch only if not worse (cron, or on demand). */
  'retrain-classifier': {
    schema: z.object({}).passthrough(),
    policy: { retryLimit: 1, retryDelay: 60, retryBackoff: false },
  },
  /** Cron: decide messages whose inline deciding never finished (the process died in between). */
  'process-unprocessed': {
    schema: z.object({}).passthrough(),
    policy: { retryLimit: 2, retryDelay: 30, retryBackoff: true },
  },
  /**
   * Delete event-ledger rows and decided inbox events older than intake.eventLedgerRetention, and
   * dead letters older than intake.deadLetterRetention (cron, daily).
   */
  'prune-event-ledger': {
    schema: z.object({}).passthrough(),
    policy: { retryLimit: 2, retryDelay: 300, retryBackoff: true },
  },
  /**
   * Anonymise the citizens past `privacy.retentionMonths` and old page comments, in batches (cron, daily):
   * docs/operations/personal-data.md.
   */
  'anonymise-expired': {
    schema: z.object({}).passthrough(),
    policy: { retryLimit: 2, retryDelay: 600, retryBackoff: true, expireInSeconds: 3600 },
  },
  /**
   * Recompute the ratings' per-case facts the database marked stale (cron, every minute; also the
   * backfill after migration 0028): docs/architecture/ratings.md#the-facts-table.
   */
  'refresh-case-facts': {
    schema: z.object({}).passthrough(),
    policy: { retryLimit: 2, retryDelay: 30, retryBackoff: true },
  },
  /**
   * The official pages' monitoring round (cron, `pages.schedule`): every active page read, its snapshot
   * written, unanswered comments judged, alerts raised (docs/architecture/official-pages.md). One at a time.
   */
  'monitor-pages': {
    schema: z.object({}).passthrough(),
    // A round of hundreds of pages at 3 requests/s takes minutes (bench/pages: 300 pages, 4.3 min): an hour
    // before pg-boss counts it as lost, not its default 15 minutes.
    policy: { retryLimit: 1, retryDelay: 300, retryBackoff: false, policy: 'short', expireInSeconds: 3600 },
  },
  /** Poll the configured public VK communities for new posts and comments (cron). */
  'poll-communities': {
    schema: z.object({}).passthrough(),
    policy: { retryLimit: 2, retryDelay: 30, retryBackoff: true },
  },
  /**
   * Send one broadcast for a slice of time (its sender holds the broadcast's lease), then hand over to
   * the next slice; a crashed slice's lease runs out and the sweep or the retry continues it.
   */
  'broadcast-run': {
    schema: z.object({ broadcastId: z.number().int().positive() }),
    // One waiting job per broadcast (singletonKey): the sweep, a resume and a hand-over do not pile up.
    policy: { retryLimit: 20, retryDelay: 5, retryBackoff: true, policy: 'short' },
  },
  /** The same for an emergency broadcast: its own queue, so it never waits behind a normal one. */
  'broadcast-run-emergency': {
    schema: z.object({ broadcastId: z.number().int().positive() }),
    policy: { retryLimit: 20, retryDelay: 2, retryBackoff: true, policy: 'short' },
  },
  /**
   * A broadcast above the approval threshold: ask the people who may approve it (`requested`, from the staff
   * bot's «Запустить»), or tell its author it was approved (`approved`), in their messengers.
   */
  'broadcast-approval': {
    schema: z.object({ broadcastId: z.number().int().positive(), step: z.enum(['requested', 'approved']) }),
    policy: { retryLimit: 5, retryDelay: 10, retryBackoff: true },
  },
  /** Cron (every minute): start scheduled broadcasts that are due, continue running ones nobody holds. */
  'broadcast-sweep': {
    schema: z.object({}).passthrough(),
    policy: { retryLimit: 1, retryDelay: 30, retryBackoff: false },
  },
  /**
   * Cron (daily): while a year deadlines reach is missing from the production calendar, alert the
   * operators once a week (handlers/calendar; docs/operations/production-calendar.md).
   */
  'calendar-check': {
    schema: z.object({}).passthrough(),
    policy: { retryLimit: 2, retryDelay: 300, retryBackoff: true },
  },
} as const satisfies Record<string, JobDefinition>;

export interface JobDefinition {
  schema: z.ZodType;
  /**
   * Retries, and pg-boss's queue `policy`: `short` keeps at most one job per `singletonKey` waiting (a
   * second send with the key is dropped while one waits; an active one does not count).
   */
  policy: {
    retryLimit: number;
    retryDelay?: number;
    retryBackoff?: boolean;
    policy?: 'standard' | 'short';
    /** How long an active job may run before pg-boss counts it as failed (its default: 15 minutes). */
    expireInSeconds?: number;
  };
}

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['schema']>;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** Jobs that exhausted their retries land here, with the original payload, for an operator to inspect. */
export const DEAD_LETTER_QUEUE = 'dead-letter';

/** What handlers see of the queue: enqueue, optionally inside the caller's transaction. */
export interface JobQueue<TTx = unknown> {
  /** With `singletonKey` on a `short` queue, null when a job with that key already waits. */
  send<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options?: { tx?: TTx; startAfter?: Date; singletonKey?: string },
  ): Promise<string | null>;
  /** Enqueues many jobs of one queue with one statement. */
  sendMany<N extends JobName>(name: N, payloads: JobPayload<N>[], options?: { tx?: TTx }): Promise<void>;
}
