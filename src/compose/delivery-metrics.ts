import type { BroadcastPort } from '../../models/broadcast.js';
import type { ChannelPort, DeliveryResult } from '../../models/outbound.js';
import type { AppMetrics } from '../http/metrics.js';

type Failures = AppMetrics['deliveriesFailed'];

/**
 * The channel port, counting what did not arrive in mcu_deliveries_failed_total: the channel, the
 * message's kind (answer, case_card, …: a fixed list) and the outcome (blocked, failed, retry) —
 * never the messenger's own reason text, which is unbounded and may quote a person.
 */
export function countingChannelPort(port: ChannelPort, failures: Failures): ChannelPort {
  const count = (channel: string, kind: string, result: DeliveryResult) => {
    if (result.status !== 'sent') failures.inc({ channel, kind, reason: result.status });
    return result;
  };
  return {
    send: async (recipient, message, ref) => count(recipient.channel, message.kind, await port.send(recipient, message, ref)),
    edit: async (recipient, messageId, message, ref) =>
      count(recipient.channel, message.kind, await port.edit(recipient, messageId, message, ref)),
  };
}

/** The broadcast port, counting each recipient that did not get the broadcast (kind `broadcast`). */
export function countingBroadcastPort(port: BroadcastPort, failures: Failures): BroadcastPort {
  return {
    channels: () => port.channels(),
    batchSize: (channel) => port.batchSize(channel),
    concurrency: (channel) => port.concurrency(channel),
    send: async (channel, content, recipients) => {
      const results = await port.send(channel, content, recipients);
      for (const r of results) if (r.status !== 'sent') failures.inc({ channel, kind: 'broadcast', reason: r.status });
      return results;
    },
  };
}
