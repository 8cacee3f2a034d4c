import { caseCard } from '../../models/case-query.js';
import type { Db } from '../../models/database.js';
import { findOfficialByAccount, type OfficialRow } from '../../models/people-repository.js';
import type { StaffAccount } from '../../models/staff-account.js';
import { may } from './access.js';

export type CaseAccess =
  | { status: 'ok'; official: OfficialRow; card: NonNullable<Awaited<ReturnType<typeof caseCard>>> }
  | { status: 'forbidden' | 'not_found' };

/** May this messenger account act on this case: an official of its department, or a role that sees all cases. */
export async function authorizeForCase(db: Db, account: StaffAccount, caseId: number): Promise<CaseAccess> {
  const official = await findOfficialByAccount(db, account);
  const card = await caseCard(db, caseId);
  if (!card) return { status: 'not_found' };
  const own = official !== undefined && official.department === card.department;
  if (!official || !(may(official, 'cases:all') || (own && may(official, 'cases:own-department'))))
    return { status: 'forbidden' };
  return { status: 'ok', official, card };
}

/** A case's department for an API scope check: undefined when there is no such case. */
export async function caseDepartmentOf(db: Db, caseId: number): Promise<{ department: string | null } | undefined> {
  const card = await caseCard(db, caseId);
  return card ? { department: card.department } : undefined;
}
