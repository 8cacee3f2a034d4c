import type { Db } from '../../models/database.js';
import { findOfficialByTelegram, type OfficialRow } from '../../models/people-repository.js';
import type { HandlerDeps } from '../deps.js';
import { may } from './access.js';

/** The operator behind a Telegram account, if they may triage (operators and the head of the МЦУ). */
export async function operatorOf(db: Db, telegramUserId: string): Promise<OfficialRow | undefined> {
  const person = await findOfficialByTelegram(db, telegramUserId);
  return person && may(person, 'triage') ? person : undefined;
}

/** What help a Telegram account should see: an official's, an operator's, or none (a citizen). */
export async function staffKind(deps: Pick<HandlerDeps, 'db'>, telegramUserId: string): Promise<'operator' | 'official' | null> {
  const person = await findOfficialByTelegram(deps.db, telegramUserId);
  if (!person?.active) return null;
  return may(person, 'triage') ? 'operator' : 'official';
}
