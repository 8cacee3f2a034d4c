import type {
  PlatformCheck,
  SubscriptionChat,
  SubscriptionOutcome,
  SubscriptionsApi,
  SubscriptionView,
} from '../../handlers/subscriptions/index.js';
import type { Channel } from '../../models/intake.js';
import { type ButtonAction, type Buttons, consentButtons } from '../outbound/buttons.js';
import {
  subscriptionButtons,
  subscriptionControlRow,
  subscriptionDistrictRows,
  subscriptionTopicRows,
} from '../outbound/subscription-buttons.js';
import { ru } from '../texts/ru.js';

/**
 * /subscribe, /unsubscribe and their buttons as a conversation, the same for every messenger: each
 * turn becomes an answer — a message to redraw in place, messages to send, a short notice for the
 * press — that Telegram's feature (bots/telegram/features/subscriptions.ts) and the VK and MAX
 * conversation (citizen.ts) deliver their own way.
 */

export type SubscriptionAction = Extract<ButtonAction, { type: 'sub_toggle' | 'sub_city' | 'sub_done' | 'unsubscribe' }>;

export const isSubscriptionAction = (action: ButtonAction | null): action is SubscriptionAction =>
  action?.type === 'sub_toggle' || action?.type === 'sub_city' || action?.type === 'sub_done' || action?.type === 'unsubscribe';

/** A message: its text and the buttons under it. */
export interface Screen {
  text: string;
  buttons?: Buttons;
}

/** What to do in the chat. */
export interface SubscriptionAnswer {
  /** A short notice for the press (Telegram's callback answer); messengers without one send it as a message. */
  notice?: string;
  /** Redraws the message under the pressed button (where the messenger cannot, or fails, it is sent). */
  edit?: Screen;
  /** Sent as new messages, in order. */
  send: Screen[];
}

/** The most one message's keyboard may hold (VK's inline keyboards: 10 buttons in 6 rows). */
export interface KeyboardLimit {
  buttons: number;
  rows: number;
}

export interface SubscriptionChatOptions {
  /** The messenger can redraw the message under a pressed button (Telegram, MAX; not VK's text buttons). */
  canEdit: boolean;
  /** Split the screen so that no message carries more; no limit: one message. */
  limit?: KeyboardLimit;
  /** The messenger's own check before a subscription is confirmed (VK). */
  platform?: PlatformCheck;
}

type Focus = 'district' | 'topic';

/** /subscribe or /unsubscribe typed (or «Подписаться» / «Отписаться» in VK and MAX). */
export async function subscriptionCommand(
  api: SubscriptionsApi,
  chat: SubscriptionChat,
  command: 'subscribe' | 'unsubscribe',
  options: SubscriptionChatOptions,
): Promise<SubscriptionAnswer> {
  const outcome = command === 'subscribe' ? await api.show(chat) : await api.unsubscribe(chat, 'command');
  return answerOf(outcome, options, null);
}

/** A subscription button pressed: a district or topic, «Весь город», «Готово», «Отписаться (от всех)». */
export async function subscriptionPress(
  api: SubscriptionsApi,
  chat: SubscriptionChat,
  action: SubscriptionAction,
  options: SubscriptionChatOptions,
): Promise<SubscriptionAnswer> {
  const sender: { channel: Channel; externalId: string } = { channel: chat.channel, externalId: chat.externalId };
  switch (action.type) {
    case 'sub_toggle':
      return answerOf(await api.toggle(chat, action.what, action.id), options, action.what);
    case 'sub_city':
      return answerOf(await api.wholeCity(chat), options, 'district');
    case 'sub_done':
      return answerOf(await api.confirm(chat, options.platform), options, 'press');
    case 'unsubscribe':
      // Under a broadcast: no broadcasts at all; in /subscribe («Отписаться от всех»): the subscription ends.
      return action.broadcastId === null
        ? answerOf(await api.unsubscribe(chat, 'button'), options, 'press')
        : answerOf(await api.optOut(sender, action.broadcastId), options, null);
  }
}

/** `pressed`: null for a command; the section a district or topic press was in; 'press' for the others. */
function answerOf(
  outcome: SubscriptionOutcome,
  options: SubscriptionChatOptions,
  pressed: Focus | 'press' | null,
): SubscriptionAnswer {
  const isPress = pressed !== null;
  const focus = pressed === 'district' || pressed === 'topic' ? pressed : undefined;
  const redraw = (view: SubscriptionView): Pick<SubscriptionAnswer, 'edit' | 'send'> =>
    isPress && options.canEdit
      ? { edit: { text: ru.subscriptions.screen(view), buttons: subscriptionButtons(view) }, send: [] }
      : { send: subscriptionScreens(view, options.limit, focus) };
  const closing = (text: string): Pick<SubscriptionAnswer, 'edit' | 'send'> =>
    isPress && options.canEdit ? { edit: { text }, send: [] } : { send: [{ text }] };
  switch (outcome.status) {
    case 'private_only':
      return isPress ? { notice: ru.subscriptions.privateOnly, send: [] } : { send: [{ text: ru.subscriptions.privateOnly }] };
    case 'consent_required':
      return { send: [{ text: ru.consentRequired, buttons: consentButtons() }] };
    case 'stale':
      return { notice: ru.subscriptions.stale, ...redraw(outcome.view) };
    case 'choice':
      return isPress && !outcome.changed ? { send: [] } : redraw(outcome.view);
    case 'subscribed':
      return closing(ru.subscriptions.subscribed(outcome.view));
    case 'messages_not_allowed':
      return { send: [{ text: ru.subscriptions.vkMessagesNotAllowed, buttons: [subscriptionControlRow({ active: false })] }] };
    case 'unsubscribed':
      return closing(ru.subscriptions.unsubscribed);
    case 'not_subscribed':
      return isPress
        ? { notice: ru.subscriptions.notSubscribed, send: [] }
        : { send: [{ text: ru.subscriptions.notSubscribed }] };
    case 'opted_out':
      // Under a broadcast: the broadcast itself stays as it is; the confirmation comes as a message.
      return { send: [{ text: ru.subscriptions.optedOut }] };
  }
}

/**
 * The /subscribe screen as messages: one, unless the messenger limits a keyboard (VK) — then the
 * districts and the topics each get their own message (`focus`: only the section just pressed), the
 * controls under the last, and a section too large for one keyboard continues in further messages.
 */
export function subscriptionScreens(view: SubscriptionView, limit?: KeyboardLimit, focus?: Focus): Screen[] {
  const text = ru.subscriptions.screen(view);
  const all = subscriptionButtons(view);
  if (!limit || fits(all, limit)) return [{ text, buttons: all }];
  const sections = [
    { focus: 'district' as const, rows: subscriptionDistrictRows(view) },
    { focus: 'topic' as const, rows: subscriptionTopicRows(view) },
  ].filter((s) => s.rows.length > 0 && (focus === undefined || s.focus === focus));
  const screens: Screen[] = [];
  sections.forEach((section, i) => {
    const rows = i === sections.length - 1 ? [...section.rows, subscriptionControlRow(view)] : section.rows;
    chunks(rows, limit).forEach((buttons, j) => {
      screens.push({ text: j > 0 ? ru.subscriptions.more : i === 0 ? text : ru.subscriptions.topicsTitle, buttons });
    });
  });
  return screens;
}

const count = (rows: Buttons) => rows.reduce((n, row) => n + row.length, 0);
const fits = (rows: Buttons, limit: KeyboardLimit) => rows.length <= limit.rows && count(rows) <= limit.buttons;

/** Rows in keyboards of at most `limit`, in order. */
function chunks(rows: Buttons, limit: KeyboardLimit): Buttons[] {
  const out: Buttons[] = [];
  let current: Buttons = [];
  for (const row of rows) {
    if (current.length > 0 && !fits([...current, row], limit)) {
      out.push(current);
      current = [];
    }
    current.push(row);
  }
  if (current.length > 0) out.push(current);
  return out;
}
