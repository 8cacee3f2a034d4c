import type { Context } from 'grammy';
import type { Logger } from 'pino';
import type { AnswersApi } from '../../handlers/answers/index.js';
import type { CasesApi } from '../../handlers/cases/index.js';
import type { CommandsApi } from '../../handlers/commands/index.js';
import type { FollowUpsApi, IntakeApi } from '../../handlers/intake/index.js';
import type { PagesApi } from '../../handlers/pages/index.js';
import type { PeopleApi } from '../../handlers/people/index.js';
import type { PollsApi } from '../../handlers/polls/index.js';
import type { PrivacyApi } from '../../handlers/privacy/index.js';
import type { StaffBroadcastsApi } from '../../handlers/staff-broadcasts/index.js';
import type { SubscriptionsApi } from '../../handlers/subscriptions/index.js';
import type { StaffAccount } from '../../models/staff-account.js';
import type { TextCity } from '../texts/ru.js';

export interface TelegramBotDeps {
  log: Logger;
  /** The domain file's city: its name greets, its time zone and locale write every date and time. */
  city: TextCity;
  intake: IntakeApi;
  /** Invitations, an official's cases and cards, who is staff, titles. */
  people?: PeopleApi;
  /** The staff's commands (/queue, /category, /assign, /merge, /stats) and approvals. */
  commands?: CommandsApi;
  /** «Взять в работу». */
  cases?: CasesApi;
  /** «Ответить» and the other drafts, the official's text that follows, «Отправить всё равно». */
  answers?: AnswersApi;
  polls?: PollsApi;
  /** «Дополнение к обращению …» / «Новое обращение» under a follow-up about something else. */
  followUps?: FollowUpsApi;
  /** /subscribe, /unsubscribe and their buttons, «Отписаться» under a broadcast. */
  subscriptions?: SubscriptionsApi;
  /** «/forget да»: withdraw consent and anonymise (handlers/privacy). */
  privacy?: PrivacyApi;
  /** The staff's /broadcast, its buttons and the progress message's controls. */
  staffBroadcasts?: StaffBroadcastsApi;
  /** /pages: the registry of official pages. */
  pages?: PagesApi;
  /** Counts updates of a type we do not handle. */
  onIgnored?: (type: string) => void;
}

export type BotContext = Context;

/** The neutral sender of a private-chat update. */
export function senderOf(ctx: Context): { channel: 'telegram'; externalId: string } | null {
  return ctx.from ? { channel: 'telegram', externalId: String(ctx.from.id) } : null;
}

/** The Telegram account a member of staff uses, as the people use cases know it. */
export function staffAccount(from: { id: number }): StaffAccount {
  return { channel: 'telegram', userId: String(from.id) };
}

export function authorOf(ctx: Context): { externalId: string; displayName: string | null; username: string | null } | null {
  if (!ctx.from) return null;
  const name = [ctx.from.first_name, ctx.from.last_name].filter(Boolean).join(' ');
  return { externalId: String(ctx.from.id), displayName: name || null, username: ctx.from.username ?? null };
}
