import type { Context } from 'grammy';
import type { Logger } from 'pino';
import type { OfficialTextOutcome } from '../../handlers/answers/official-answer.js';
import type { MergeOutcome } from '../../handlers/cases/merge.js';
import type { AssignOutcome } from '../../handlers/cases/reassign.js';
import type { StatsReport } from '../../handlers/cases/stats.js';
import type { TakeOutcome } from '../../handlers/cases/take-case.js';
import type { FollowUpsApi } from '../../handlers/intake/follow-up-choice.js';
import type { IntakeApi } from '../../handlers/intake/index.js';
import type { RedeemOutcome } from '../../handlers/people/invite.js';
import type { MyCasesOutcome } from '../../handlers/people/my-cases.js';
import type { OverdueOutcome } from '../../handlers/people/overdue.js';
import type { PollsApi } from '../../handlers/polls/index.js';
import type { CaseCard } from '../../models/case-query.js';
import type { DraftKind } from '../../models/schema.js';
import type { TextCity } from '../texts/ru.js';

export interface PeopleApi {
  redeem(token: string, telegramUserId: string): Promise<RedeemOutcome>;
  myCases(telegramUserId: string): Promise<MyCasesOutcome>;
  overdue(telegramUserId: string, all: boolean): Promise<OverdueOutcome>;
  caseCard(
    telegramUserId: string,
    number: string,
  ): Promise<{ status: 'ok'; card: CaseCard } | { status: 'forbidden' | 'not_found' }>;
  queue(telegramUserId: string): Promise<
    | {
        status: 'ok';
        cases: {
          number: string;
          status: string;
          text: string;
          priority: string;
          deadlineAt: Date | null;
          suggestions?: unknown;
        }[];
      }
    | { status: 'forbidden' }
  >;
  category(
    telegramUserId: string,
    number: string,
    category: string,
  ): Promise<{ status: string; category?: string; department?: string; known?: string[] }>;
  assign(telegramUserId: string, number: string, target: string): Promise<AssignOutcome | { status: 'forbidden' }>;
  merge(telegramUserId: string, number: string, into: string): Promise<MergeOutcome | { status: 'forbidden' }>;
  stats(telegramUserId: string, days: number): Promise<({ status: 'ok' } & StatsReport) | { status: 'forbidden' }>;
  /** 'operator' or 'official' for МЦУ staff and officials (their /help), null for a citizen. */
  staffKind(telegramUserId: string): Promise<'operator' | 'official' | null>;
  /** Russian titles for a role id and a department id (from the domain file). */
  titles(role: string, department: string): { role: string; department: string };
}

export interface CasesApi {
  take(caseId: number, telegramUserId: string): Promise<TakeOutcome>;
  startAnswer(
    caseId: number,
    kind: DraftKind,
    telegramUserId: string,
  ): Promise<{ status: 'ready'; caseNumber: string } | { status: 'forbidden' | 'not_found' }>;
  decideExtension(requestId: number, approve: boolean, telegramUserId: string): Promise<{ status: string; caseNumber?: string }>;
  reviewHeld(
    answerId: number,
    approve: boolean,
    telegramUserId: string,
  ): Promise<{ status: string; caseNumber?: string; from?: string }>;
  submit(
    telegramUserId: string,
    text: string,
    replyToText?: string,
    photos?: readonly { telegramFileId: string }[],
  ): Promise<OfficialTextOutcome>;
  force(telegramUserId: string): Promise<OfficialTextOutcome>;
}

export interface TelegramBotDeps {
  log: Logger;
  /** The domain file's city: its name greets, its time zone and locale write every date and time. */
  city: TextCity;
  intake: IntakeApi;
  people?: PeopleApi;
  polls?: PollsApi;
  /** «Дополнение к обращению …» / «Новое обращение» under a follow-up about something else. */
  followUps?: FollowUpsApi;
  cases?: CasesApi;
  /** Counts updates of a type we do not handle. */
  onIgnored?: (type: string) => void;
}

export type BotContext = Context;

/** The neutral sender of a private-chat update. */
export function senderOf(ctx: Context): { channel: 'telegram'; externalId: string } | null {
  return ctx.from ? { channel: 'telegram', externalId: String(ctx.from.id) } : null;
}

export function authorOf(ctx: Context): { externalId: string; displayName: string | null; username: string | null } | null {
  if (!ctx.from) return null;
  const name = [ctx.from.first_name, ctx.from.last_name].filter(Boolean).join(' ');
  return { externalId: String(ctx.from.id), displayName: name || null, username: ctx.from.username ?? null };
}
