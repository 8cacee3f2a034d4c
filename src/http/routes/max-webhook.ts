import type { EdgeOutcome } from '../../../handlers/inbox/index.js';
import type { HttpPlugin } from '../server.js';
import { secretWebhookRoute } from './secret-webhook.js';

export interface MaxWebhookDeps {
  secret: string;
  /** Checks a parsed body (bots/max/edge.ts). */
  check: (value: unknown) => EdgeOutcome;
  /** Commits the update to the inbox (or the refused body to the dead letters); rejects when it could not. */
  accept: (outcome: EdgeOutcome) => Promise<void>;
}

/**
 * POST /max/webhook (a MAX `POST /subscriptions` subscription), the secret in `X-Max-Bot-Api-Secret`
 * (see secret-webhook.ts). A body that is not JSON is kept in the dead letters and answered 400; JSON
 * that can never be an update is kept too and answered 200, so MAX stops re-sending it; when the commit
 * fails, 503, and MAX delivers it again (it retries for up to 8 hours).
 */
export function maxWebhookRoute(deps: MaxWebhookDeps): HttpPlugin {
  return secretWebhookRoute({
    ...deps,
    path: '/max/webhook',
    header: 'x-max-bot-api-secret',
    platform: 'MAX',
    notJsonStatus: 400,
  });
}
