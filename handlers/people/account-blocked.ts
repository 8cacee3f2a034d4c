import type { StaffAccount } from '../../models/staff-account.js';
import { clearAccountBlocked, markAccountBlocked } from '../../models/staff-account-repository.js';
import type { HandlerDeps } from '../deps.js';

/**
 * A messenger told us the person blocked the bot on this account (MAX `bot_stopped`, a Telegram private
 * chat's `my_chat_member` → kicked): notices go to their other messenger from now on, as after a 403,
 * until the account is bound again. True when the account is bound and was not marked yet.
 */
export async function accountBlocked(deps: Pick<HandlerDeps, 'db' | 'clock'>, account: StaffAccount): Promise<boolean> {
  return markAccountBlocked(deps.db, account, deps.clock.now());
}

/**
 * An update came from this account (a message, a press, a start): the person can be written to there
 * again, so a block recorded earlier (a 403, a stop, a transient "chat not found") is lifted and notices
 * return to their preferred messenger. True when a block was lifted.
 */
export async function accountActive(deps: Pick<HandlerDeps, 'db'>, account: StaffAccount): Promise<boolean> {
  return clearAccountBlocked(deps.db, account);
}
