import type { Executor } from './database.js';
import type { OfficialRow } from './people-repository.js';

/** The web console's one-time login links and sessions (migration 0031); hashes only, never the secrets. */

const personColumns = [
  'official.id',
  'official.name',
  'official.department',
  'official.role',
  'official.preferred_channel as preferredChannel',
  'official.active',
] as const;

export async function insertLoginLink(
  db: Executor,
  link: { tokenHash: string; officialId: number; at: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('console_login_link')
    .values({ token_hash: link.tokenHash, official_id: link.officialId, created_at: link.at, expires_at: link.expiresAt })
    .execute();
}

/** Whether a link is live (unspent, unexpired, its person active), without spending it. */
export async function loginLinkPerson(db: Executor, tokenHash: string, at: Date): Promise<OfficialRow | undefined> {
  return db
    .selectFrom('console_login_link')
    .innerJoin('official', 'official.id', 'console_login_link.official_id')
    .select(personColumns)
    .where('console_login_link.token_hash', '=', tokenHash)
    .where('console_login_link.used_at', 'is', null)
    .where('console_login_link.expires_at', '>', at)
    .where('official.active', '=', true)
    .executeTakeFirst();
}

/** Spends a live link in one statement (of two tabs pressing «Войти», one wins); its person's id. */
export async function spendLoginLink(db: Executor, tokenHash: string, at: Date): Promise<number | undefined> {
  const row = await db
    .updateTable('console_login_link')
    .set({ used_at: at })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .returning('official_id')
    .executeTakeFirst();
  return row ? Number(row.official_id) : undefined;
}

export async function insertSession(
  db: Executor,
  s: { idHash: string; officialId: number; csrfToken: string; at: Date },
): Promise<void> {
  await db
    .insertInto('console_session')
    .values({ id_hash: s.idHash, official_id: s.officialId, csrf_token: s.csrfToken, created_at: s.at, last_seen_at: s.at })
    .execute();
}

export interface SessionRow {
  person: OfficialRow;
  csrfToken: string;
  lastSeenAt: Date;
}

/** A live session (not ended, used since `idleSince`, its person active) with its person. */
export async function liveSession(db: Executor, idHash: string, idleSince: Date): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('console_session')
    .innerJoin('official', 'official.id', 'console_session.official_id')
    .select([...personColumns, 'console_session.csrf_token as csrfToken', 'console_session.last_seen_at as lastSeenAt'])
    .where('console_session.id_hash', '=', idHash)
    .where('console_session.ended_at', 'is', null)
    .where('console_session.last_seen_at', '>', idleSince)
    .where('official.active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  const { csrfToken, lastSeenAt, ...person } = row;
  return { person: { ...person, id: Number(person.id) }, csrfToken, lastSeenAt };
}

export async function touchSession(db: Executor, idHash: string, at: Date): Promise<void> {
  await db.updateTable('console_session').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function endSession(db: Executor, idHash: string, at: Date): Promise<void> {
  await db
    .updateTable('console_session')
    .set({ ended_at: at })
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .execute();
}

/** Ends every live session of a person; how many were live. */
export async function endSessionsOf(db: Executor, officialId: number, at: Date): Promise<number> {
  const r = await db
    .updateTable('console_session')
    .set({ ended_at: at })
    .where('official_id', '=', officialId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
