import type { Logger } from 'pino';
import type { FollowUpsApi, IntakeApi } from '../../handlers/intake/index.js';
import type { PollsApi } from '../../handlers/polls/index.js';
import type { PrivacyApi } from '../../handlers/privacy/index.js';
import type { SubscriptionsApi } from '../../handlers/subscriptions/index.js';
import type { Author, Channel, IncomingMessage } from '../../models/intake.js';
import { type ButtonAction, type Buttons, consentButtons } from '../outbound/buttons.js';
import { ru, type TextCity } from '../texts/ru.js';
import { isSubscriptionAction, type KeyboardLimit, subscriptionCommand, subscriptionPress } from './subscriptions.js';

/**
 * A citizen's private chat with the bot, whatever the messenger: commands, consent, the poll, the
 * follow-up choice, «Это обращение?», and a message into intake. VK and MAX call it with what they
 * translated; each brings its own `reply` (its keyboard, its API). Telegram keeps its grammY features.
 */

/** What a citizen can ask for by a typed command or a button. */
export type CitizenCommand =
  | 'consent_yes'
  | 'consent_no'
  | 'new_case'
  | 'status'
  | 'start'
  | 'help'
  | 'subscribe'
  | 'unsubscribe'
  /** /forget: what withdrawing consent does, and how to confirm it. */
  | 'forget'
  /** «/forget да»: withdraw consent and anonymise at once (irreversible, hence the typed confirmation). */
  | 'forget_confirm';

export interface CitizenConversationDeps {
  intake: IntakeApi;
  log: Logger;
  /** The domain file's city (its name greets). */
  city: TextCity;
  /** Poll buttons (Да / Нет, 1–5, «Добавить комментарий»); without it a press is ignored, never a new case. */
  polls?: PollsApi | undefined;
  /** «Дополнение к обращению …» / «Новое обращение»; without it a press is stale, never a message. */
  followUps?: FollowUpsApi | undefined;
  /** /subscribe, /unsubscribe and their buttons; without it they are answered with help, never stored. */
  subscriptions?: SubscriptionsApi | undefined;
  /** «/forget да»; without it /forget is answered with help, never stored. */
  privacy?: PrivacyApi | undefined;
}

/** One turn of the conversation: who, what they pressed or typed, and how to answer them there. */
export interface CitizenTurn {
  channel: Channel;
  author: Author;
  /** A typed command («/start», «Начать», «/status», «Помощь») or the command of a button. */
  command: CitizenCommand | null;
  /** The decoded action of a pressed button, if any. */
  action: ButtonAction | null;
  /** The translated message to store when it is none of the above; null for a press or a start. */
  message: IncomingMessage | null;
  /** Writes in the chat; replies are best effort (a failed one is logged, never un-stores a message). */
  reply(text: string, buttons?: Buttons): Promise<void>;
  /** Shows "typing" while the worker decides a stored message (where the messenger has it). */
  typing?(): Promise<void>;
  /** The private chat broadcasts would go to; null in a group chat (no subscriptions there). */
  chatId: string | null;
  /** Redraws the message under the pressed button (MAX); false when it could not. Absent: a new message. */
  edit?(text: string, buttons?: Buttons): Promise<boolean>;
  /** The most one keyboard may hold (VK): the /subscribe screen is split to fit. */
  keyboardLimit?: KeyboardLimit;
  /** The messenger's own say before a subscription is confirmed (VK: messages.isMessagesFromGroupAllowed). */
  messagesAllowed?(): Promise<boolean | null>;
}

/** /forget (with the bot's name in a group-style «/forget@bot») or «Удалить мои данные», then «да» to confirm. */
const FORGET = /^(?:\/forget(?:@\w+)?|удалить мои данные|отозвать согласие)(?:\s+(да))?[.!]?$/;

/** «/start», «Начать», «/status», «Мои обращения», «/help», «Помощь», «/subscribe», «Подписаться», «/unsubscribe», «Отписаться», «/forget [да]» as typed. */
export function typedCommand(text: string): CitizenCommand | null {
  const t = text.trim().toLowerCase();
  const forget = FORGET.exec(t.replace(/\s+/g, ' '));
  if (forget) return forget[1] ? 'forget_confirm' : 'forget';
  if (t === '/start' || t === 'начать' || t === 'старт') return 'start';
  if (t === '/status' || t === 'мои обращения' || t === 'статус') return 'status';
  if (t === '/help' || t === 'помощь') return 'help';
  if (t === '/subscribe' || t === 'подписаться' || t === 'подписка' || t === 'рассылки') return 'subscribe';
  if (t === '/unsubscribe' || t === 'отписаться') return 'unsubscribe';
  return null;
}

/** The command a button stands for: consent and «Новое обращение». */
export function commandOfAction(action: ButtonAction | null): CitizenCommand | null {
  if (action?.type === 'consent') return action.answer === 'yes' ? 'consent_yes' : 'consent_no';
  if (action?.type === 'new_case') return 'new_case';
  return null;
}

/**
 * Decides one turn. A press is an answer (to the poll, the follow-up choice, «Это обращение?»), never
 * a stored message and never a case; a command is answered; anything else goes into intake. Rejects
 * only when intake could not store the message (the inbox then retries the event).
 */
export async function converseWithCitizen(deps: CitizenConversationDeps, turn: CitizenTurn): Promise<void> {
  const { action, author, reply } = turn;
  const sender = { channel: turn.channel, externalId: author.externalId };
  const answered = async (outcome: string) => {
    if (outcome === 'not_yours') await reply(ru.forbidden);
    else if (outcome === 'stale') await reply(ru.staleButton);
    else if (outcome === 'ready') await reply(ru.pollCommentPrompt);
  };

  // Subscription buttons and commands are answers, never stored (a VK press also carries its label as text).
  if (isSubscriptionAction(action) || turn.command === 'subscribe' || turn.command === 'unsubscribe') {
    return subscriptionTurn(deps, turn);
  }
  if (action?.type === 'follow_up') {
    const outcome = deps.followUps
      ? await deps.followUps.choose({ messageId: action.messageId, choice: action.choice, sender })
      : 'stale';
    return answered(outcome);
  }
  if (action?.type === 'intent') {
    // The case number or the reply follows as a notification.
    return answered(await deps.intake.answerIntent({ messageId: action.messageId, appeal: action.appeal, sender }));
  }
  if (action?.type === 'poll' || action?.type === 'rate' || action?.type === 'poll_comment') {
    if (!deps.polls) {
      deps.log.warn({ channel: turn.channel }, 'poll button pressed but polls are not wired in this instance');
      return;
    }
    const outcome =
      action.type === 'poll_comment'
        ? await deps.polls.requestComment({ caseId: action.caseId, sender })
        : await deps.polls.answer({
            caseId: action.caseId,
            sender,
            ...(action.type === 'poll' ? { solved: action.solved } : { rating: action.rating }),
          });
    return answered(outcome);
  }

  const command = turn.command ?? commandOfAction(action);
  switch (command) {
    case 'consent_yes':
    case 'consent_no': {
      const consent = command === 'consent_yes' ? 'given' : 'declined';
      await deps.intake.recordConsent({ channel: turn.channel, author, consent });
      return reply(consent === 'given' ? ru.consentGiven : ru.consentDeclined);
    }
    case 'start': {
      await reply(ru.welcome(deps.city));
      const cases = await deps.intake.citizenCases(sender);
      return cases.status === 'consent_required' ? reply(ru.consentPrompt, consentButtons()) : reply(ru.consentGiven);
    }
    case 'help':
      return reply(ru.help);
    case 'forget':
      return reply(ru.forgetConfirm);
    case 'forget_confirm': {
      if (!deps.privacy) {
        deps.log.warn({ channel: turn.channel }, '/forget asked for but privacy is not wired in this instance');
        return reply(ru.help);
      }
      const outcome = await deps.privacy.forget(sender);
      return reply(outcome.status === 'forgotten' ? ru.forgotten(outcome.closedCases) : ru.forgetNothing);
    }
    case 'status': {
      const result = await deps.intake.citizenCases(sender);
      if (result.status === 'consent_required') return reply(ru.consentRequired, consentButtons());
      if (result.cases.length === 0) return reply(ru.statusEmpty);
      return reply([ru.statusTitle, ...result.cases.map((c) => ru.statusLine(c.number, c.status, c.text))].join('\n'));
    }
    case 'new_case': {
      const result = await deps.intake.requestNewCase(sender);
      return result === 'consent_required' ? reply(ru.consentRequired, consentButtons()) : reply(ru.newCasePrompt);
    }
  }

  if (!turn.message) return;
  const outcome = await deps.intake.receive(turn.message);
  if (outcome.status === 'consent_required') await reply(ru.consentRequired, consentButtons());
  else if (outcome.status === 'declined') await reply(ru.declinedInfo);
  else if (outcome.status === 'stored') await turn.typing?.();
}

/** /subscribe, /unsubscribe or one of their buttons: the shared subscription conversation, delivered here. */
async function subscriptionTurn(deps: CitizenConversationDeps, turn: CitizenTurn): Promise<void> {
  if (!deps.subscriptions) {
    deps.log.warn({ channel: turn.channel }, 'subscription asked for but subscriptions are not wired in this instance');
    return turn.reply(turn.action ? ru.staleButton : ru.help);
  }
  const chat = { channel: turn.channel, externalId: turn.author.externalId, chatId: turn.chatId };
  const messagesAllowed = turn.messagesAllowed;
  const options = {
    canEdit: turn.edit !== undefined,
    ...(turn.keyboardLimit ? { limit: turn.keyboardLimit } : {}),
    ...(messagesAllowed ? { platform: { messagesAllowed: () => messagesAllowed() } } : {}),
  };
  const answer = isSubscriptionAction(turn.action)
    ? await subscriptionPress(deps.subscriptions, chat, turn.action, options)
    : await subscriptionCommand(deps.subscriptions, chat, turn.command === 'unsubscribe' ? 'unsubscribe' : 'subscribe', options);
  if (answer.notice) await turn.reply(answer.notice);
  if (answer.edit && !(await turn.edit?.(answer.edit.text, answer.edit.buttons)))
    await turn.reply(answer.edit.text, answer.edit.buttons);
  for (const screen of answer.send) await turn.reply(screen.text, screen.buttons);
}
