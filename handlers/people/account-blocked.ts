import type { StaffAccount } from '../../models/staff-account.js';
import { markAccountBlocked } from '../../models/staff-account-repository.js';
import type { HandlerDeps } from '../deps.js';

/**
 * A messenger told us the person blocked the bot on this account (MAX `bot_stopped`, a Telegram private
 * chat's `my_chat_member` → kicked): notices go to their other messenger from now on, as after a 403,
 * until the account is bound again. True when the account is bound and was not marked yet.
 */
export async function accountBlocked(deps: Pick<HandlerDeps, 'db' | 'clock'>, account: StaffAccount): Promise<boolean> {
  return markAccountBlocked(deps.db, account, deps.clock.now());
}
