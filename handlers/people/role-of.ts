import type { Db } from '../../models/database.js';
import { findOfficialByAccount, type OfficialRow } from '../../models/people-repository.js';
import type { StaffAccount } from '../../models/staff-account.js';
import type { HandlerDeps } from '../deps.js';
import { may } from './access.js';

/** The operator behind a messenger account, if they may triage (operators and the head of the МЦУ). */
export async function operatorOf(db: Db, account: StaffAccount): Promise<OfficialRow | undefined> {
  const person = await findOfficialByAccount(db, account);
  return person && may(person, 'triage') ? person : undefined;
}

/** What help a messenger account should see: an official's, an operator's, or none (a citizen). */
export async function staffKind(deps: Pick<HandlerDeps, 'db'>, account: StaffAccount): Promise<'operator' | 'official' | null> {
  const person = await findOfficialByAccount(deps.db, account);
  if (!person?.active) return null;
  return may(person, 'triage') ? 'operator' : 'official';
}
