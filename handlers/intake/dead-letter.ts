import type { Db } from '../../models/database.js';
import { recordDeadLetter } from '../../models/intake-repository.js';
import { stripNul } from './sanitize.js';

/** Keeps an input we could not parse, raw, for an operator to inspect: never dropped silently. */
export async function keepDeadLetter(deps: { db: Db }, input: { source: string; reason: string; raw: string }): Promise<void> {
  // PostgreSQL jsonb cannot hold U+0000; the raw text is wrapped so any other bytes survive.
  await recordDeadLetter(deps.db, input.source, input.reason, { body: stripNul(input.raw) });
}
