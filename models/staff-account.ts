import type { Channel } from './intake.js';

/**
 * A member of staff's account on one messenger, as the bots see the sender: Telegram's `from.id`, MAX's
 * `user_id`. Handlers identify officials and МЦУ staff by it, never by a platform-specific field, so
 * every messenger calls the same use cases.
 */
export interface StaffAccount {
  channel: Channel;
  userId: string;
}

/** An account as it is bound to a person: where to write to them, and whether that still works. */
export interface BoundAccount extends StaffAccount {
  /** The private chat with the bot (Telegram: the user id itself; MAX: its own chat id). */
  chatId: string;
  /** Cards, reminders and the digest go to this messenger first. */
  preferred: boolean;
  /** When the bot learnt it was blocked there (403): not written to again until the account is bound anew. */
  blockedAt: Date | null;
}
