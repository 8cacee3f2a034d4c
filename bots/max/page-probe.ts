import { type Api, Bot, MaxError } from '@maxhub/max-bot-api';
import type { ChannelProbe, PageRef, ProbeOutcome } from '../../handlers/page-monitoring/index.js';
import { UNREADABLE } from '../../handlers/page-monitoring/index.js';

/** What the probe needs of the MAX Bot API (the SDK's Api; a fake in tests). */
export type MaxChannelApi = Pick<Api, 'getChat' | 'getChatMembership'>;

/**
 * A MAX channel as monitoring sees it: GET /chats/{id} for its state and description, GET
 * /chats/{id}/members/me for whether the bot administers it. Its posts are recorded from updates by the
 * inbox (docs/architecture/official-pages.md, «Ограничения платформ» says what is and is not measured).
 */
export class MaxChannelProbe implements ChannelProbe {
  constructor(private readonly api: MaxChannelApi) {}

  async probe(page: PageRef): Promise<ProbeOutcome> {
    const id = page.externalId.trim();
    // GET /chats/{chatId} takes a channel's public link name in the same place (GET /chats/{chatLink}).
    const ref = /^-?\d+$/.test(id) ? Number(id) : id;
    try {
      const chat = await this.api.getChat(ref as number);
      if (chat.status !== 'active') return { status: 'unreadable', reason: UNREADABLE.channelGone, gone: chat.status !== 'left' };
      const me = await this.api.getChatMembership(chat.chat_id);
      if (!me.is_admin && !me.is_owner) return { status: 'unreadable', reason: UNREADABLE.notAdmin, gone: false };
      return {
        status: 'admin',
        chatId: String(chat.chat_id),
        discussionChatId: null,
        title: chat.title ?? null,
        setup: { verified: null, description: Boolean(chat.description?.trim()), contacts: null, commentsOpen: null },
      };
    } catch (error) {
      // Not a member (403) or no such chat (404): the bot does not administer it.
      if (error instanceof MaxError && (error.status === 403 || error.status === 404))
        return { status: 'unreadable', reason: UNREADABLE.notAdmin, gone: false };
      return { status: 'deferred', reason: error instanceof MaxError ? `MAX ${error.status}` : 'MAX unreachable' };
    }
  }
}

/** The probe on its own SDK client (a few requests a round: outside the bot's pacer). */
export function createMaxChannelProbe(options: { token: string; baseUrl: string }): MaxChannelProbe {
  return new MaxChannelProbe(new Bot(options.token, { clientOptions: { baseUrl: options.baseUrl } }).api);
}
