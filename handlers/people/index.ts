import type { CaseCard } from '../../models/case-query.js';
import type { StaffAccount } from '../../models/staff-account.js';
import type { HandlerDeps } from '../deps.js';
import { accountActive, accountBlocked } from './account-blocked.js';
import { caseCardFor } from './case-card.js';
import { issueLoginLink } from './console-login.js';
import { type RedeemOutcome, redeemInvite } from './invite.js';
import { type MyCasesOutcome, myCases } from './my-cases.js';
import { type OverdueOutcome, overdue } from './overdue.js';
import { staffKind } from './role-of.js';

export { type Action, may } from './access.js';
export { accountActive, accountBlocked } from './account-blocked.js';
export { issueApiToken, PERSONAL_TOKEN_PREFIX, personByApiToken, revokeApiTokensOf } from './api-tokens.js';
export { type CaseAccess, caseDepartmentOf } from './authorize-case.js';
export { caseCardFor } from './case-card.js';
export {
  CONSOLE_SECRET,
  issueLoginLink,
  issueLoginLinkFor,
  LOGIN_LINK_TTL_MS,
  loginLinkOwner,
  redeemLoginLink,
  SESSION_IDLE_MS,
  sessionOf,
  signOut,
  signOutEverywhere,
} from './console-login.js';
export { grantableRoles } from './grant.js';
export {
  deactivate,
  INVITE_TTL_MS,
  type InviteOutcome,
  inviteAgain,
  inviteOfficial,
  type RedeemOutcome,
  redeemInvite,
} from './invite.js';
export { INVITE_CHANNELS, type InviteChannel, inviteLink, inviteLinks } from './invite-link.js';
export { officials } from './list.js';
export { type MyCasesOutcome, myCases } from './my-cases.js';
export { type OverdueOutcome, overdue } from './overdue.js';
export { type PreferOutcome, preferChannel } from './prefer.js';
export { staffKind } from './role-of.js';

/** What the bots ask about people: invitations, an official's cases and cards, who is staff, titles. */
export interface PeopleApi {
  /** Binds the account that opened an invite (`chatId`: its private chat with the bot, where notices go). */
  redeem(token: string, account: StaffAccount & { chatId: string }): Promise<RedeemOutcome>;
  myCases(account: StaffAccount): Promise<MyCasesOutcome>;
  overdue(account: StaffAccount, all: boolean): Promise<OverdueOutcome>;
  caseCard(
    account: StaffAccount,
    number: string,
  ): Promise<{ status: 'ok'; card: CaseCard } | { status: 'forbidden' | 'not_found' }>;
  /** 'operator' or 'official' for МЦУ staff and officials (their /help), null for a citizen. */
  staffKind(account: StaffAccount): Promise<'operator' | 'official' | null>;
  /** The messenger says the bot was blocked on this account: notices go elsewhere until it is bound again. */
  accountBlocked(account: StaffAccount): Promise<boolean>;
  /** An update came from this account: a block recorded earlier is lifted. */
  accountActive(account: StaffAccount): Promise<boolean>;
  /** /login: a one-time link to the web console for an active person (5 minutes). */
  consoleLink(account: StaffAccount): Promise<{ status: 'issued'; url: string; expiresAt: Date } | { status: 'not_staff' }>;
  /** Russian titles for a role id and a department id (from the domain file). */
  titles(role: string, department: string): { role: string; department: string };
}

/** Binds the people use cases; `deps` is called on every use (the database or queue may not be up yet). */
export function bindPeople(deps: () => HandlerDeps, consoleUrl = 'http://localhost:3000/console'): PeopleApi {
  return {
    consoleLink: async (account) => {
      const issued = await issueLoginLink(deps(), account);
      if (issued.status !== 'issued') return issued;
      return { status: 'issued', url: `${consoleUrl}/login/${issued.token}`, expiresAt: issued.expiresAt };
    },
    redeem: (token, account) => redeemInvite(deps(), { token, account }),
    myCases: (account) => myCases(deps(), account),
    overdue: (account, all) => overdue(deps(), { account, all }),
    caseCard: (account, number) => caseCardFor(deps(), { account, number }),
    staffKind: (account) => staffKind(deps(), account),
    accountBlocked: (account) => accountBlocked(deps(), account),
    accountActive: (account) => accountActive(deps(), account),
    titles: (role, department) => {
      const { domain } = deps();
      return {
        role: (domain.roles as Record<string, string>)[role] ?? role,
        department: domain.departments.find((d) => d.id === department)?.name ?? department,
      };
    },
  };
}
