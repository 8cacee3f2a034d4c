import type { Api } from 'grammy';
import type { Digest, DigestNotifier } from '../../handlers/reminders/send-digest.js';
import { ru } from '../texts/ru.js';
import { sendOrBlocked } from './blocked.js';

/** The morning digest as one Telegram message; a chat that blocked the bot is reported, not retried. */
export class TelegramDigestNotifier implements DigestNotifier {
  constructor(private readonly api: Api) {}

  async digest(telegramUserId: string, digest: Digest): Promise<void> {
    await sendOrBlocked(() => this.api.sendMessage(telegramUserId, ru.morningDigest(digest)));
  }
}
