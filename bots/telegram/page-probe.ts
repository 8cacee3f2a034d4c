import { type Api, GrammyError } from 'grammy';
import type { ChannelProbe, PageRef, ProbeOutcome } from '../../handlers/page-monitoring/index.js';
import { UNREADABLE } from '../../handlers/page-monitoring/index.js';

/**
 * A Telegram channel as monitoring sees it (docs/architecture/official-pages.md, «Ограничения платформ»):
 * getChat for its description and linked discussion group, getChatMember for the bot's own status. The
 * Bot API shows no history: the posts and comments themselves are recorded from updates by the inbox.
 */
export class TelegramChannelProbe implements ChannelProbe {
  #botId: number | null = null;

  constructor(private readonly api: Pick<Api, 'getChat' | 'getChatMember' | 'getMe'>) {}

  async probe(page: PageRef): Promise<ProbeOutcome> {
    try {
      const chat = await this.api.getChat(chatRef(page.externalId));
      if (chat.type !== 'channel') return { status: 'unreadable', reason: UNREADABLE.channelGone, gone: false };
      this.#botId ??= (await this.api.getMe()).id;
      const member = await this.api.getChatMember(chat.id, this.#botId);
      if (member.status !== 'administrator' && member.status !== 'creator')
        return { status: 'unreadable', reason: UNREADABLE.notAdmin, gone: false };
      const linked = (chat as { linked_chat_id?: number }).linked_chat_id;
      return {
        status: 'admin',
        chatId: String(chat.id),
        discussionChatId: linked === undefined ? null : String(linked),
        title: chat.title ?? null,
        setup: {
          // The Bot API does not show Telegram's verification; a channel has no contacts field.
          verified: null,
          description: Boolean(chat.description?.trim()),
          contacts: null,
          commentsOpen: linked !== undefined,
        },
      };
    } catch (error) {
      // A public @name that Telegram no longer knows is a channel deleted (or renamed): gone. A private channel
      // the bot is not in is "chat not found" (400) or "forbidden" (403) as well: not its administrator.
      if (
        error instanceof GrammyError &&
        error.error_code === 400 &&
        page.externalId.startsWith('@') &&
        /chat not found/i.test(error.description)
      )
        return { status: 'unreadable', reason: UNREADABLE.channelGone, gone: true };
      if (error instanceof GrammyError && (error.error_code === 400 || error.error_code === 403))
        return { status: 'unreadable', reason: UNREADABLE.notAdmin, gone: false };
      return {
        status: 'deferred',
        reason: error instanceof GrammyError ? `Telegram ${error.error_code}` : 'Telegram unreachable',
      };
    }
  }
}

/** @name, t.me/name or the -100… chat id, as getChat takes it. */
function chatRef(externalId: string): string | number {
  const id = externalId.trim().replace(/^https?:\/\/t\.me\//i, '');
  if (/^-?\d+$/.test(id)) return Number(id);
  return id.startsWith('@') ? id : `@${id}`;
}
