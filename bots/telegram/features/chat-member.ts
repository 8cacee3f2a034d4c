import { Composer } from 'grammy';
import type { BotContext, TelegramBotDeps } from '../context.js';
import { RetryableUpdateError } from '../errors.js';

/** The bot was added to a group or made admin of a channel: register the chat, pending approval. */
export function chatMemberFeature(deps: TelegramBotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on('my_chat_member', async (ctx) => {
    const { chat, new_chat_member: member } = ctx.myChatMember;
    if (chat.type === 'private') return;
    if (member.status !== 'member' && member.status !== 'administrator') return;
    const isChannel = chat.type === 'channel';
    let sourceId: number;
    try {
      ({ id: sourceId } = await deps.intake.registerSource({
        channel: 'telegram',
        source: {
          externalId: String(chat.id),
          kind: isChannel ? 'official_channel' : 'city_chat',
          title: chat.title ?? null,
          official: isChannel,
        },
      }));
    } catch (error) {
      throw new RetryableUpdateError('could not register the chat', { cause: error });
    }
    // The source id, not the Telegram chat id (a platform id is personal data in our logs).
    deps.log.info({ chatType: chat.type, sourceId }, 'new chat registered; waiting for an operator to approve it');
  });
  return feature;
}
