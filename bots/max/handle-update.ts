import type { Logger } from 'pino';
import type { FollowUpsApi, IntakeApi } from '../../handlers/intake/index.js';
import type { PollsApi } from '../../handlers/polls/index.js';
import type { PrivacyApi } from '../../handlers/privacy/index.js';
import type { SubscriptionsApi } from '../../handlers/subscriptions/index.js';
import { type CitizenTurn, converseWithCitizen, typedCommand } from '../conversation/citizen.js';
import type { StaffConversationDeps } from '../conversation/staff.js';
import { isSubscriptionAction } from '../conversation/subscriptions.js';
import type { Buttons } from '../outbound/buttons.js';
import { ru, type TextCity } from '../texts/ru.js';
import type { MaxApiPort, MaxTarget } from './api.js';
import { maxKeyboard } from './keyboards.js';
import { deliveryFailure, sendText } from './outbound.js';
import { parseMaxPayload } from './payload.js';
import { maxAccount, redeemInMax, staffDialogMessage, staffPressInMax, typedCitizenCommand } from './staff.js';
import { authorOf, type HANDLED_MAX_UPDATES, MalformedMaxUpdate, type MaxUpdate, translateMaxUpdate } from './translate.js';

export interface MaxHandlerDeps extends Omit<StaffConversationDeps, 'city'> {
  intake: IntakeApi;
  api: MaxApiPort;
  log: Logger;
  /** The domain file's city (its name greets). */
  city: TextCity;
  polls?: PollsApi | undefined;
  followUps?: FollowUpsApi | undefined;
  subscriptions?: SubscriptionsApi | undefined;
  /** «/forget да»: withdraw consent and anonymise (handlers/privacy). */
  privacy?: PrivacyApi | undefined;
  onIgnored?: (type: string) => void;
  onMalformed?: (update: MaxUpdate, reason: string) => Promise<void>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * One stored MAX update → a decision: the inbox decider of the `max` channel. A dialog is the
 * citizen's conversation (bots/conversation/citizen.ts, as VK's); a group chat or channel is captured
 * silently once an operator approved it; `bot_added` registers the chat, pending. Resolves once the
 * update is stored (or deliberately ignored); rejects when intake could not store it, so the inbox
 * retries. Replies are best effort.
 */
export function createMaxUpdateHandler(deps: MaxHandlerDeps): (update: MaxUpdate) => Promise<void> {
  const replyIn =
    (to: MaxTarget): CitizenTurn['reply'] =>
    async (text, buttons) => {
      // The reason, not the error: MAX's error messages can name the chat or the user.
      await sendText(deps.api, to, { text, ...(buttons ? { buttons } : {}) }).catch((error) =>
        deps.log.warn({ reason: deliveryFailure(error).reason }, 'MAX reply failed (the update itself is stored)'),
      );
    };
  /** Replaces a message's text and keyboard; false when MAX refused (the caller sends a new one instead). */
  const editIn = async (mid: string, text: string, buttons?: Buttons): Promise<boolean> => {
    const keyboard = buttons ? maxKeyboard(buttons) : null;
    try {
      await deps.api.edit(mid, { text, attachments: keyboard ? [keyboard] : [] });
      return true;
    } catch (error) {
      deps.log.debug({ reason: deliveryFailure(error).reason }, 'MAX edit failed; sending a new message');
      return false;
    }
  };
  const onMessage = async (update: MaxUpdate) => {
    let input: ReturnType<typeof translateMaxUpdate>;
    try {
      input = translateMaxUpdate(update);
    } catch (error) {
      if (!(error instanceof MalformedMaxUpdate)) throw error;
      await deps.onMalformed?.(update, error.message);
      return;
    }
    if (!input) return;
    if (input.kind === 'private' && input.action === 'new' && input.author) {
      const chatId = Number(input.source.externalId);
      // Staff first (commands, an official's answer); a citizen's message passes through.
      const staff = await staffDialogMessage(deps, {
        userId: Number(input.author.externalId),
        chatId,
        text: input.text,
        replyToText: repliedText(update),
        photos: input.attachments.filter((a) => a.type === 'photo').length,
      });
      if (staff) return;
      await converseWithCitizen(deps, {
        channel: 'max',
        author: input.author,
        // `/start <payload>` that was no invite is the citizen's /start, not a message (as in Telegram).
        command: typedCommand(input.text) ?? typedCitizenCommand(input.text),
        action: null,
        message: input,
        reply: replyIn({ chatId }),
        chatId: String(chatId),
        typing: () => deps.api.typing(chatId).catch((e) => deps.log.debug({ err: e }, 'MAX typing failed (non-essential)')),
      });
      return;
    }
    const groupCommand = input.kind === 'chat' && input.action === 'new' ? typedCitizenCommand(input.text) : null;
    if (input.author && (groupCommand === 'subscribe' || groupCommand === 'unsubscribe')) {
      // Subscriptions are per person, in the dialog: the conversation refuses it here (chatId null), and
      // the command is no message of the city chat.
      await converseWithCitizen(deps, {
        channel: 'max',
        author: input.author,
        command: groupCommand,
        action: null,
        message: null,
        reply: replyIn({ chatId: Number(input.source.externalId) }),
        chatId: null,
      });
      return;
    }
    await deps.intake.receive(input);
  };

  /** The dialog opened: by an invite's deep link (`?start=<token>`: the person is bound), else the citizen's greeting. */
  const onStart = async (update: MaxUpdate) => {
    const author = authorOf(update.user);
    const chatId = num(update.chat_id);
    if (!author || chatId === undefined) return;
    const payload = typeof update.payload === 'string' ? update.payload : '';
    if (await redeemInMax(deps, { payload, userId: Number(author.externalId), chatId })) return;
    await converseWithCitizen(deps, {
      channel: 'max',
      author,
      command: 'start',
      action: null,
      message: null,
      reply: replyIn({ chatId }),
      chatId: String(chatId),
    });
  };

  /**
   * A button press: a staff button (a case card, the quality gate, an operators' alert, in a dialog or
   * the operators' group) is decided by the staff conversation; a citizen's button in a dialog is an
   * answer (never stored as a message). The press is always answered (POST /answers), so the client
   * stops waiting — with a notification where there is something to say.
   */
  const onPress = async (update: MaxUpdate) => {
    const callback = obj(update.callback);
    const message = obj(update.message);
    const recipient = obj(message.recipient);
    const body = obj(message.body);
    const author = authorOf(callback.user);
    const chatId = num(recipient.chat_id);
    const userId = num(obj(callback.user).user_id);
    let notice: string | undefined;
    try {
      const action = parseMaxPayload(callback.payload);
      const to: MaxTarget | null = chatId !== undefined ? { chatId } : userId !== undefined ? { userId } : null;
      // MAX sends `message: null` when the message under the button is gone: a staff press is still
      // decided (it names its case), its reply going to the person by user_id.
      if (author && userId !== undefined && to) {
        const staff = await staffPressInMax(deps, {
          action,
          userId,
          who: author.username ? `@${author.username}` : (author.displayName ?? '—'),
          to,
          mid: typeof body.mid === 'string' ? body.mid : null,
          text: typeof body.text === 'string' ? body.text : '',
        });
        if (staff) {
          notice = staff.notice;
          return;
        }
      }
      const inDialog = recipient.chat_type === 'dialog' || chatId === undefined;
      if (!author || !to || !inDialog) return;
      // A subscription button under a message MAX no longer has: the dialog (where broadcasts would go)
      // is unknown, so only «Отписаться» under a broadcast (which needs no chat) is still decided.
      if (
        chatId === undefined &&
        isSubscriptionAction(action) &&
        !(action.type === 'unsubscribe' && action.broadcastId !== null)
      ) {
        notice = ru.staleButton;
        return;
      }
      const mid = typeof body.mid === 'string' ? body.mid : null;
      await converseWithCitizen(deps, {
        channel: 'max',
        author,
        command: null,
        action,
        message: null,
        reply: replyIn(to),
        chatId: chatId !== undefined ? String(chatId) : null,
        // The /subscribe keyboard is redrawn in place (PUT /messages) after each press.
        ...(mid ? { edit: (text: string, buttons?: Buttons) => editIn(mid, text, buttons) } : {}),
      });
    } finally {
      if (typeof callback.callback_id === 'string')
        await deps.api
          .answerCallback(callback.callback_id, notice)
          .catch((error) => deps.log.debug({ err: error }, 'MAX callback answer failed (non-essential)'));
    }
  };

  /** The user stopped the bot: a member of staff's MAX account is blocked, their other messenger takes the notices. */
  const onStopped = async (update: MaxUpdate) => {
    const userId = num(obj(update.user).user_id);
    if (userId !== undefined && deps.people) await deps.people.accountBlocked(maxAccount(userId));
  };

  const onChatAdded = async (update: MaxUpdate) => {
    const chatId = num(update.chat_id);
    if (chatId === undefined) return;
    const isChannel = update.is_channel === true;
    const { id: sourceId } = await deps.intake.registerSource({
      channel: 'max',
      source: {
        externalId: String(chatId),
        kind: isChannel ? 'official_channel' : 'city_chat',
        title: null,
        official: isChannel,
      },
    });
    // The source id, not MAX's chat id (a platform id is personal data in our logs).
    deps.log.info({ isChannel, sourceId }, 'new MAX chat registered; waiting for an operator to approve it');
  };

  return async (update) => {
    // A person acting in a dialog (a message, a press, a start) can be written to again: a block recorded
    // on their MAX account (a 403, a stop, a passing "chat not found") is lifted. Not on bot_stopped.
    const active = activeUserOf(update);
    if (active !== undefined && deps.people) await deps.people.accountActive(maxAccount(active));
    switch (update.update_type as (typeof HANDLED_MAX_UPDATES)[number]) {
      case 'message_created':
      case 'message_edited':
      case 'message_removed':
        return onMessage(update);
      case 'bot_started':
        return onStart(update);
      case 'message_callback':
        return onPress(update);
      case 'bot_added':
        return onChatAdded(update);
      case 'bot_stopped':
        return onStopped(update);
      default:
        deps.onIgnored?.(update.update_type);
    }
  };
}

/** The text of the message this one replies to (an official replying to a card names its case by it). */
function repliedText(update: MaxUpdate): string | undefined {
  const link = obj(obj(update.message).link);
  const text = obj(link.message).text;
  return link.type === 'reply' && typeof text === 'string' ? text : undefined;
}

/** The user behind a dialog message, a press or a start (the updates that show the chat is open); else undefined. */
function activeUserOf(update: MaxUpdate): number | undefined {
  if (update.update_type === 'bot_started') return num(obj(update.user).user_id);
  if (update.update_type === 'message_callback') return num(obj(obj(update.callback).user).user_id);
  const message = obj(update.message);
  if (update.update_type === 'message_created' && obj(message.recipient).chat_type === 'dialog')
    return num(obj(message.sender).user_id);
  return undefined;
}
