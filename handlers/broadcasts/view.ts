import type { BroadcastChannel, Segment } from '../../models/broadcast.js';
import type { BroadcastRow, RecipientTotals } from '../../models/broadcast-repository.js';
import type { BroadcastRecipientStatus, BroadcastStatus } from '../../models/schema.js';

/** A broadcast as the API and the bots show it. */
export interface BroadcastView {
  id: number;
  title: string;
  text: string;
  photoUrl: string | null;
  allowSplit: boolean;
  segment: Segment;
  priority: 'normal' | 'emergency';
  status: BroadcastStatus;
  author: string;
  approvedBy: string | null;
  approvedAt: Date | null;
  scheduledAt: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  recipientsTotal: number | null;
  /** Why a scheduled broadcast went back to `draft` when it was due (nobody to send to, an approval missing). */
  notStartedReason: string | null;
}

export const viewOf = (b: BroadcastRow): BroadcastView => ({
  id: b.id,
  title: b.title,
  text: b.text,
  photoUrl: b.photoUrl,
  allowSplit: b.allowSplit,
  segment: b.segment,
  priority: b.priority,
  status: b.status,
  author: b.author,
  approvedBy: b.approvedBy,
  approvedAt: b.approvedAt,
  scheduledAt: b.scheduledAt,
  createdAt: b.createdAt,
  startedAt: b.startedAt,
  finishedAt: b.finishedAt,
  recipientsTotal: b.recipientsTotal,
  notStartedReason: b.notStartedReason,
});

/** Who a broadcast would reach now, before anything is sent. */
export interface BroadcastPreview {
  broadcastId: number;
  recipients: number;
  byChannel: Partial<Record<BroadcastChannel, number>>;
  /** Members of the segment left out: «Отписаться» pressed; no private chat with the bot (wrote only in a group or a comment). */
  excluded: { optedOut: number; noPrivateChat: number };
  /** Above `broadcasts.approval.aboveRecipients`: a second person must approve before it starts. */
  needsApproval: boolean;
  approvalThreshold: number;
  approved: boolean;
  /** Channels of the segment this instance has no sender for (their recipients would wait). */
  unsendable: BroadcastChannel[];
}

export type StatusTotals = Record<BroadcastRecipientStatus, number>;

/** A broadcast with its progress: totals by status and channel, the rate and the time left. */
export interface BroadcastReport extends BroadcastView {
  totals: StatusTotals;
  byChannel: Partial<Record<BroadcastChannel, StatusTotals>>;
  /** Sent in the last minute. */
  ratePerMinute: number;
  /** Seconds left at the current rate (null when nothing is sending or nothing is left). */
  etaSeconds: number | null;
}

const zero = (): StatusTotals => ({ pending: 0, sending: 0, sent: 0, blocked: 0, failed: 0, skipped: 0 });

export function reportOf(b: BroadcastRow, t: RecipientTotals): BroadcastReport {
  const totals = zero();
  const byChannel: BroadcastReport['byChannel'] = {};
  for (const [channel, statuses] of Object.entries(t.byChannel) as [BroadcastChannel, Partial<StatusTotals>][]) {
    const c = zero();
    for (const [status, n] of Object.entries(statuses) as [keyof StatusTotals, number][]) {
      c[status] = n;
      totals[status] += n;
    }
    byChannel[channel] = c;
  }
  const left = totals.pending + totals.sending;
  const rate = t.sentLastMinute;
  const etaSeconds = left === 0 || rate === 0 || b.status !== 'running' ? null : Math.ceil((left / rate) * 60);
  return { ...viewOf(b), totals, byChannel, ratePerMinute: rate, etaSeconds };
}
