import type { Logger } from 'pino';
import type { Db } from '../../models/database.js';
import { type AlertDetails, alertDetails } from '../../models/problem-query.js';

/** Delivers an alert to the МЦУ operators (a Telegram chat today; per-operator delivery comes with officials). */
export interface OperatorNotifier {
  alert(details: AlertDetails): Promise<void>;
}

/**
 * Sends one alert. Without an operators' channel configured the alert stays visible in the API
 * (GET /api/v1/alerts) and this says so in the log; a failed send throws and the queue retries.
 */
export async function notifyOperators(
  deps: { db: Db; notifier: OperatorNotifier | null; log: Logger },
  payload: { alertId: number },
): Promise<'sent' | 'no_channel' | 'missing'> {
  const details = await alertDetails(deps.db, payload.alertId);
  if (!details) return 'missing';
  if (!deps.notifier) {
    deps.log.warn(
      { alertId: payload.alertId, kind: details.kind },
      'no operators chat configured (TELEGRAM_OPERATORS_CHAT_ID); the alert is in the API only',
    );
    return 'no_channel';
  }
  await deps.notifier.alert(details);
  return 'sent';
}
