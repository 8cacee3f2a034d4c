import type { CaseCard } from '../../models/case-query.js';
import type { HandlerDeps } from '../deps.js';
import { caseCardFor } from './case-card.js';
import { type RedeemOutcome, redeemInvite } from './invite.js';
import { type MyCasesOutcome, myCases } from './my-cases.js';
import { type OverdueOutcome, overdue } from './overdue.js';
import { staffKind } from './role-of.js';

export { type Action, may } from './access.js';
export { issueApiToken, PERSONAL_TOKEN_PREFIX, personByApiToken, revokeApiTokensOf } from './api-tokens.js';
export { type CaseAccess, caseDepartmentOf } from './authorize-case.js';
export { caseCardFor } from './case-card.js';
export {
  deactivate,
  INVITE_TTL_MS,
  type InviteOutcome,
  inviteLink,
  inviteOfficial,
  type RedeemOutcome,
  redeemInvite,
} from './invite.js';
export { officials } from './list.js';
export { type MyCasesOutcome, myCases } from './my-cases.js';
export { type OverdueOutcome, overdue } from './overdue.js';
export { staffKind } from './role-of.js';

/** What the bots ask about people: invitations, an official's cases and cards, who is staff, titles. */
export interface PeopleApi {
  redeem(token: string, telegramUserId: string): Promise<RedeemOutcome>;
  myCases(telegramUserId: string): Promise<MyCasesOutcome>;
  overdue(telegramUserId: string, all: boolean): Promise<OverdueOutcome>;
  caseCard(
    telegramUserId: string,
    number: string,
  ): Promise<{ status: 'ok'; card: CaseCard } | { status: 'forbidden' | 'not_found' }>;
  /** 'operator' or 'official' for МЦУ staff and officials (their /help), null for a citizen. */
  staffKind(telegramUserId: string): Promise<'operator' | 'official' | null>;
  /** Russian titles for a role id and a department id (from the domain file). */
  titles(role: string, department: string): { role: string; department: string };
}

/** Binds the people use cases; `deps` is called on every use (the database or queue may not be up yet). */
export function bindPeople(deps: () => HandlerDeps): PeopleApi {
  return {
    redeem: (token, telegramUserId) => redeemInvite(deps(), { token, telegramUserId }),
    myCases: (telegramUserId) => myCases(deps(), telegramUserId),
    overdue: (telegramUserId, all) => overdue(deps(), { telegramUserId, all }),
    caseCard: (telegramUserId, number) => caseCardFor(deps(), { telegramUserId, number }),
    staffKind: (telegramUserId) => staffKind(deps(), telegramUserId),
    titles: (role, department) => {
      const { domain } = deps();
      return {
        role: (domain.roles as Record<string, string>)[role] ?? role,
        department: domain.departments.find((d) => d.id === department)?.name ?? department,
      };
    },
  };
}
