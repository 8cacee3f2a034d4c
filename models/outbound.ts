import type { BroadcastChannel } from './broadcast.js';
import type { CaseCard } from './case-query.js';
import type { CitizenNotification } from './citizen-notification.js';
import type { Digest } from './digest-repository.js';
import type { Channel } from './intake.js';
import type { AlertDetails } from './problem-query.js';
import type { WeeklyReport } from './report-repository.js';
import type { AnswerPhoto, BroadcastRecipientStatus, BroadcastStatus } from './schema.js';

/**
 * The outbound channel port: everything the platform sends to people goes through one
 * `ChannelPort.send(recipient, message, ref)`. Handlers say *what* to send and to whom; bots/ renders
 * it (Russian text, buttons) and delivers it on the recipient's messenger. See
 * docs/architecture/channel-port.md.
 */

/** Who gets a message, on which messenger. */
export interface Recipient {
  channel: Channel;
  /** The chat (Telegram chat id, VK peer id); for a public thread, the page that owns it (VK owner id). */
  chatId: string;
  /** The message this one replies to, in that chat. */
  replyToMessageId?: string;
  /** A reply comment in a public thread (a VK wall comment) instead of a chat message. */
  thread?: { postId: string; commentId: string };
}

/** What is sent, as meaning: the bots decide the words and the buttons. */
export type OutboundMessage =
  /** A notification to a citizen (case opened, poll, follow-up choice, …), with its buttons. */
  | { kind: 'citizen_notification'; notification: CitizenNotification }
  /** An official's answer, with the photos they attached (Telegram file ids). */
  | { kind: 'answer'; text: string; photos: readonly AnswerPhoto[] }
  /** A case card for an official (a reminder), with the buttons to act on the case. */
  | { kind: 'case_card'; card: CaseCard }
  /** The morning digest for one person. */
  | { kind: 'digest'; digest: Digest }
  /** The weekly report for one person (regulation 2.1.5, 4.3). */
  | { kind: 'weekly_report'; report: WeeklyReport }
  /** An alert to the operators; the ones an operator decides on carry the decision's buttons. */
  | { kind: 'operator_alert'; alert: AlertDetails }
  /** «Извините, произошла ошибка…»: the citizen's update could not be processed and was parked. */
  | { kind: 'processing_failed' }
  /** A broadcast's progress for its author (a bar, the rate, the time left), edited in place while it sends. */
  | { kind: 'broadcast_progress'; progress: BroadcastProgress }
  /** A broadcast ended: the final summary for its author. */
  | { kind: 'broadcast_summary'; progress: BroadcastProgress }
  /** A broadcast waits for a second person's approval (to the approvers), or got it (to the author). */
  | { kind: 'broadcast_approval'; approval: BroadcastApproval }
  /** A scheduled broadcast did not start when due (to the author): nobody to send to, or an approval missing. */
  | { kind: 'broadcast_not_started'; notice: BroadcastNotStarted };

/** Recipients of a broadcast by what became of them. */
export type BroadcastTotals = Record<BroadcastRecipientStatus, number>;

/** What the author sees of a running or finished broadcast (a `BroadcastReport` of handlers/broadcasts fits). */
export interface BroadcastProgress {
  id: number;
  title: string;
  status: BroadcastStatus;
  totals: BroadcastTotals;
  byChannel: Partial<Record<BroadcastChannel, BroadcastTotals>>;
  /** Sent in the last minute. */
  ratePerMinute: number;
  /** Seconds left at the current rate; null when nothing sends or nothing is left. */
  etaSeconds: number | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** A scheduled broadcast that went back to draft when it was due, and why (told to its author). */
export interface BroadcastNotStarted {
  broadcastId: number;
  title: string;
  /** `empty`: the segment reaches nobody now; `approval`: it grew above the threshold with no approval. */
  why: 'empty' | 'approval';
  /** Who it would reach now. */
  recipients: number;
  /** `broadcasts.approval.aboveRecipients`. */
  threshold: number;
}

/** A broadcast above the approval threshold: asked of the approvers, or approved (told to the author). */
export interface BroadcastApproval {
  step: 'requested' | 'approved';
  broadcastId: number;
  title: string;
  text: string;
  recipients: number;
  threshold: number;
  /** The author's name (requested) or the approver's (approved). */
  by: string;
}

/** What became of one send. */
export type DeliveryResult =
  | { status: 'sent'; messageId?: string }
  /** The chat can no longer be written to (the bot was blocked, the chat is gone): retrying never helps. */
  | { status: 'blocked'; reason: string }
  /** The messenger asked us to slow down: try again after `afterSeconds`. */
  | { status: 'retry'; afterSeconds: number; reason: string; cause?: unknown }
  /** Anything else (network, the messenger's error, no sender for the channel here). */
  | { status: 'failed'; reason: string; cause?: unknown };

/** Sends a message to one recipient; never throws for a delivery failure, it returns it. */
export interface ChannelPort {
  /** `ref` names this one send across retries (a job id, `answer:<id>`): a messenger may deduplicate by it. */
  send(recipient: Recipient, message: OutboundMessage, ref: string): Promise<DeliveryResult>;
  /**
   * Replaces the text and buttons of a message sent before (`messageId`, as `sent` returned it) — a
   * broadcast's progress. Where the messenger cannot edit (VK's community messages here), `failed`.
   * An edit that changes nothing counts as `sent`.
   */
  edit(recipient: Recipient, messageId: string, message: OutboundMessage, ref: string): Promise<DeliveryResult>;
}

/** A send that should be tried again: thrown from a job so the queue retries it with backoff. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  /** The messenger's own hint (429 retry_after), for a queue that can honour it. */
  readonly retryAfterSeconds: number | undefined;

  constructor(result: Extract<DeliveryResult, { status: 'retry' | 'failed' }>) {
    super(
      result.status === 'retry' ? `${result.reason} (retry after ${result.afterSeconds} s)` : result.reason,
      result.cause === undefined ? undefined : { cause: result.cause },
    );
    this.retryAfterSeconds = result.status === 'retry' ? result.afterSeconds : undefined;
  }
}

/**
 * For a send where a blocked chat is an outcome to record (citizens): `sent` or `blocked`
 * is returned; `retry` and `failed` throw a DeliveryError so the queue retries.
 */
export function sentOrBlocked(result: DeliveryResult): Extract<DeliveryResult, { status: 'sent' | 'blocked' }> {
  if (result.status === 'sent' || result.status === 'blocked') return result;
  throw new DeliveryError(result);
}

/**
 * For a send that must arrive (operators' alerts, the parked notice): anything but `sent` throws. Staff
 * notices go through handlers/reminders/deliver-to-person.ts instead, which falls back to another messenger.
 */
export function sentOrThrow(result: DeliveryResult): Extract<DeliveryResult, { status: 'sent' }> {
  if (result.status === 'sent') return result;
  throw new DeliveryError(result.status === 'blocked' ? { status: 'failed', reason: result.reason } : result);
}
