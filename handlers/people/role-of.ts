import type { Db } from '../../models/database.js';
import { findOfficialByTelegram } from '../../models/people-repository.js';
import { may } from './access.js';

/** What help a Telegram account should see: an official's, an operator's, or none (a citizen). */
export async function staffKind(deps: { db: Db }, telegramUserId: string): Promise<'operator' | 'official' | null> {
  const person = await findOfficialByTelegram(deps.db, telegramUserId);
  if (!person?.active) return null;
  return may(person, 'triage') ? 'operator' : 'official';
}
