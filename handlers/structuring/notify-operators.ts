import type { Logger } from 'pino';
import type { Db } from '../../models/database.js';
import { type ChannelPort, type Recipient, sentOrThrow } from '../../models/outbound.js';
import { alertDetails } from '../../models/problem-query.js';

/**
 * Sends one alert to the МЦУ operators' chat (`operators`: a Telegram chat today). Without one
 * configured the alert stays visible in the API (GET /api/v1/alerts) and this says so in the log;
 * a failed send throws and the queue retries.
 */
export async function notifyOperators(
  deps: { db: Db; outbound: ChannelPort; operators: Recipient | null; log: Logger },
  payload: { alertId: number },
): Promise<'sent' | 'no_channel' | 'missing'> {
  const details = await alertDetails(deps.db, payload.alertId);
  if (!details) return 'missing';
  if (!deps.operators) {
    deps.log.warn(
      { alertId: payload.alertId, kind: details.kind },
      'no operators chat configured (TELEGRAM_OPERATORS_CHAT_ID); the alert is in the API only',
    );
    return 'no_channel';
  }
  sentOrThrow(await deps.outbound.send(deps.operators, { kind: 'operator_alert', alert: details }, `alert:${details.id}`));
  return 'sent';
}
