import type { EdgeOutcome } from '../../../handlers/inbox/index.js';
import type { HttpPlugin } from '../server.js';
import { secretWebhookRoute } from './secret-webhook.js';

export interface TelegramWebhookDeps {
  secret: string;
  /** Checks a parsed body (bots/telegram/edge.ts). */
  check: (value: unknown) => EdgeOutcome;
  /** Commits the event to the inbox (or the refused body to the dead letters); rejects when it could not. */
  accept: (outcome: EdgeOutcome) => Promise<void>;
}

/**
 * POST /telegram/webhook, the secret in `X-Telegram-Bot-Api-Secret-Token` (see secret-webhook.ts). A body
 * that is not JSON is kept and answered 200, so Telegram stops re-sending it.
 */
export function telegramWebhookRoute(deps: TelegramWebhookDeps): HttpPlugin {
  return secretWebhookRoute({
    ...deps,
    path: '/telegram/webhook',
    header: 'x-telegram-bot-api-secret-token',
    platform: 'Telegram',
    notJsonStatus: 200,
  });
}
