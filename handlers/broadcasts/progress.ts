import { BROADCAST_CHANNELS, type BroadcastChannel } from '../../models/broadcast.js';
import { findBroadcast, setProgressMessage } from '../../models/broadcast-repository.js';
import type { BroadcastNotStarted, BroadcastProgress, ChannelPort, OutboundMessage } from '../../models/outbound.js';
import type { BroadcastStatus } from '../../models/schema.js';
import type { HandlerDeps } from '../deps.js';
import { deliverToPersonAt } from '../reminders/index.js';
import type { BroadcastNotifier } from './notifier.js';
import type { BroadcastReport } from './view.js';

export type BroadcastNotifierDeps = Pick<HandlerDeps, 'db' | 'clock' | 'log'> & {
  outbound: ChannelPort;
  /** At most one edit of a broadcast's progress message this often; a change of status is shown at once. */
  minEditIntervalMs?: number;
};

/** Telegram lets a bot edit a message about once a second before it answers 429; three keeps it far from that. */
const MIN_EDIT_INTERVAL_MS = 3_000;

const progressOf = (r: BroadcastReport): BroadcastProgress => ({
  id: r.id,
  title: r.title,
  status: r.status,
  totals: r.totals,
  byChannel: r.byChannel,
  ratePerMinute: r.ratePerMinute,
  etaSeconds: r.etaSeconds,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
});

const isBroadcastChannel = (c: string): c is BroadcastChannel => (BROADCAST_CHANNELS as readonly string[]).includes(c);

/**
 * The author's view of a broadcast in their messenger, through the channel port: the progress message
 * edited in place (the one the staff bot's «Запустить» turned into it, stored on the broadcast), at most
 * one edit per `minEditIntervalMs` per broadcast; a broadcast started elsewhere (the API) by a person gets
 * one sent to their preferred messenger and stored. At the end, the summary (the sender calls `finished`
 * once); a scheduled one that could not start when due, the reason (the sweep calls `notStarted`). Nothing
 * here throws: a failure is logged, and the broadcast goes on.
 */
export function createBroadcastNotifier(deps: BroadcastNotifierDeps): BroadcastNotifier {
  const interval = deps.minEditIntervalMs ?? MIN_EDIT_INTERVAL_MS;
  // Per broadcast, when its progress was last shown and with which status (in this process: it only paces).
  const shown = new Map<number, { at: number; status: BroadcastStatus }>();

  const showProgress = async (report: BroadcastReport): Promise<void> => {
    const now = deps.clock.now().getTime();
    const last = shown.get(report.id);
    if (last && last.status === report.status && now - last.at < interval) return;
    // Taken before the calls below, so a second report meanwhile waits its turn instead of editing twice.
    shown.set(report.id, { at: now, status: report.status });
    const b = await findBroadcast(deps.db, report.id);
    if (!b) return;
    const message: OutboundMessage = { kind: 'broadcast_progress', progress: progressOf(report) };
    const ref = `broadcast-progress:${b.id}`;
    if (b.progressMessage) {
      const { channel, chatId, messageId } = b.progressMessage;
      const result = await deps.outbound.edit({ channel, chatId }, messageId, message, ref);
      if (result.status !== 'sent')
        deps.log.info({ broadcastId: b.id, status: result.status, reason: result.reason }, 'broadcast progress not edited');
      return;
    }
    // No message to edit yet (started from the API, or the bot could not keep one). Once it ended, the
    // summary says it all: a progress message just before it would only repeat it.
    if (b.authorId === null || b.status === 'done' || b.status === 'cancelled') return;
    const where = await deliverToPersonAt(deps, b.authorId, message, ref);
    if (!where) {
      deps.log.info({ broadcastId: b.id }, 'broadcast author has no messenger to show the progress in');
      return;
    }
    if (where.messageId !== null && isBroadcastChannel(where.recipient.channel))
      await setProgressMessage(deps.db, b.id, {
        channel: where.recipient.channel,
        chatId: where.recipient.chatId,
        messageId: where.messageId,
      });
  };

  const sendSummary = async (report: BroadcastReport): Promise<void> => {
    const b = await findBroadcast(deps.db, report.id);
    // The service token's broadcasts have no person to tell: their author reads GET /api/v1/broadcasts/:id.
    if (!b || b.authorId === null) return;
    const where = await deliverToPersonAt(
      deps,
      b.authorId,
      { kind: 'broadcast_summary', progress: progressOf(report) },
      `broadcast-summary:${b.id}`,
    );
    if (!where) deps.log.info({ broadcastId: b.id }, 'broadcast author has no messenger for the summary');
  };

  const tellNotStarted = async (notice: BroadcastNotStarted): Promise<void> => {
    const b = await findBroadcast(deps.db, notice.broadcastId);
    if (!b || b.authorId === null) return;
    const where = await deliverToPersonAt(
      deps,
      b.authorId,
      { kind: 'broadcast_not_started', notice },
      `broadcast-not-started:${b.id}:${deps.clock.now().getTime()}`,
    );
    if (!where) deps.log.info({ broadcastId: b.id }, 'broadcast author has no messenger to be told it did not start');
  };

  return {
    async progress(report) {
      try {
        await showProgress(report);
      } catch (error) {
        deps.log.warn({ err: error, broadcastId: report.id }, 'broadcast progress not shown');
      }
    },
    async finished(report) {
      try {
        await sendSummary(report);
      } catch (error) {
        deps.log.warn({ err: error, broadcastId: report.id }, 'broadcast summary not sent');
      } finally {
        shown.delete(report.id);
      }
    },
    async notStarted(notice) {
      try {
        await tellNotStarted(notice);
      } catch (error) {
        deps.log.warn({ err: error, broadcastId: notice.broadcastId }, 'broadcast author not told it did not start');
      }
    },
  };
}
