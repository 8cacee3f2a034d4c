import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { Channel } from './intake.js';
import type { AnswerPhoto, DraftKind } from './schema.js';
import type { StaffAccount } from './staff-account.js';
import { accountsByPerson } from './staff-account-repository.js';

export interface OfficialRow {
  id: number;
  name: string;
  department: string;
  role: string;
  /** The messenger notices go to first; null until an account is bound. */
  preferredChannel: Channel | null;
  active: boolean;
}

/** A person as the API lists them: with the messengers they bound (a blocked one is marked). */
export interface OfficialListing extends OfficialRow {
  accounts: { channel: Channel; userId: string; boundAt: Date; blocked: boolean }[];
}

const officialColumns = [
  'official.id',
  'official.name',
  'official.department',
  'official.role',
  'official.preferred_channel as preferredChannel',
  'official.active',
] as const;

export async function insertOfficial(
  db: Executor,
  o: { name: string; department: string; role: string },
  at: Date,
): Promise<number> {
  const row = await db
    .insertInto('official')
    .values({ ...o, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertInvite(db: Executor, i: { tokenHash: string; officialId: number; expiresAt: Date }): Promise<void> {
  await db.insertInto('invite').values({ token_hash: i.tokenHash, official_id: i.officialId, expires_at: i.expiresAt }).execute();
}

/** The invite and its official, locked, so two taps on the same link cannot both bind. */
export async function lockInvite(
  db: Executor,
  tokenHash: string,
): Promise<{ officialId: number; expiresAt: Date; usedAt: Date | null; active: boolean } | undefined> {
  return db
    .selectFrom('invite')
    .innerJoin('official', 'official.id', 'invite.official_id')
    .select(['invite.official_id as officialId', 'invite.expires_at as expiresAt', 'invite.used_at as usedAt', 'official.active'])
    .where('invite.token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

export async function useInvite(db: Executor, tokenHash: string, at: Date): Promise<void> {
  await db.updateTable('invite').set({ used_at: at }).where('token_hash', '=', tokenHash).execute();
}

/** The person behind a messenger account, if it is bound (a deactivated person has none). */
export async function findOfficialByAccount(db: Executor, account: StaffAccount): Promise<OfficialRow | undefined> {
  return db
    .selectFrom('official_account')
    .innerJoin('official', 'official.id', 'official_account.official_id')
    .select(officialColumns)
    .where('official_account.channel', '=', account.channel)
    .where('official_account.user_id', '=', account.userId)
    .executeTakeFirst();
}

export async function findOfficial(db: Executor, id: number): Promise<OfficialRow | undefined> {
  return db.selectFrom('official').select(officialColumns).where('id', '=', id).executeTakeFirst();
}

/** Everyone invited, with their messenger accounts. */
export async function listOfficials(db: Executor): Promise<OfficialListing[]> {
  const people = await db.selectFrom('official').select(officialColumns).orderBy('id').execute();
  const byPerson = await accountsByPerson(db);
  return people.map((p) => ({ ...p, accounts: byPerson.get(p.id) ?? [] }));
}

/** Deactivation removes access at once: every account is unbound and open invites die. */
export async function deactivateOfficial(db: Executor, id: number, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('official')
    .set({ active: false, deactivated_at: at, preferred_channel: null })
    .where('id', '=', id)
    .where('active', '=', true)
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n) return false;
  await db.deleteFrom('official_account').where('official_id', '=', id).execute();
  await db.updateTable('invite').set({ used_at: at }).where('official_id', '=', id).where('used_at', 'is', null).execute();
  return true;
}

export interface OfficialCase {
  number: string;
  status: string;
  text: string;
  priority: string;
  deadlineAt: Date | null;
}

/** Open cases of a department, the most pressing deadline first. */
export async function openCasesOfDepartment(db: Executor, department: string, limit = 20): Promise<OfficialCase[]> {
  return db
    .selectFrom('case')
    .select(['number', 'status', 'text', 'priority', 'deadline_at as deadlineAt'])
    .where('department', '=', department)
    .where('status', 'in', ['assigned', 'in_progress', 'interim_replied', 'reopened'])
    .orderBy('deadline_at', 'asc')
    .limit(limit)
    .execute();
}

export async function setDraft(
  db: Executor,
  officialId: number,
  draft: { caseId: number; kind: DraftKind; text: string | null; photos?: readonly AnswerPhoto[] } | null,
): Promise<void> {
  await db
    .updateTable('official')
    .set({
      draft_case_id: draft?.caseId ?? null,
      draft_kind: draft?.kind ?? null,
      draft_text: draft?.text ?? null,
      draft_photos: draft?.photos?.length ? JSON.stringify(draft.photos) : null,
    })
    .where('id', '=', officialId)
    .execute();
}

export async function draftOf(db: Executor, officialId: number) {
  return db
    .selectFrom('official')
    .select(['draft_case_id', 'draft_kind', 'draft_text', 'draft_photos'])
    .where('id', '=', officialId)
    .executeTakeFirst();
}

export async function caseIdByNumber(db: Executor, number: string): Promise<number | undefined> {
  const row = await db.selectFrom('case').select('id').where('number', '=', number).executeTakeFirst();
  return row?.id;
}

/** Open cases past their final deadline: of one department, or all (for roles that see all cases). */
export async function overdueCases(db: Executor, now: Date, department: string | null, limit = 30): Promise<OfficialCase[]> {
  let q = db
    .selectFrom('case')
    .select(['number', 'status', 'text', 'priority', 'deadline_at as deadlineAt'])
    .where('status', 'in', ['assigned', 'in_progress', 'interim_replied', 'reopened'])
    .where('deadline_at', '<', now);
  if (department) q = q.where('department', '=', department);
  return q.orderBy('deadline_at', 'asc').limit(limit).execute();
}

/** The operators' triage queue: cases waiting for a category or a department, oldest first. */
export async function triageQueue(db: Executor, limit = 20): Promise<(OfficialCase & { suggestions: unknown })[]> {
  return db
    .selectFrom('case')
    .select(['number', 'status', 'text', 'priority', 'deadline_at as deadlineAt', 'suggestions'])
    .where('status', '=', 'triage')
    .orderBy('created_at', 'asc')
    .limit(limit)
    .execute();
}

export async function insertApiToken(db: Executor, t: { tokenHash: string; officialId: number }, at: Date): Promise<void> {
  await db.insertInto('api_token').values({ token_hash: t.tokenHash, official_id: t.officialId, created_at: at }).execute();
}

/** The active person behind a personal API token (a revoked token or a deactivated person: nobody). */
export async function officialByApiToken(db: Executor, tokenHash: string): Promise<OfficialRow | undefined> {
  return db
    .selectFrom('api_token')
    .innerJoin('official', 'official.id', 'api_token.official_id')
    .select(officialColumns)
    .where('api_token.token_hash', '=', tokenHash)
    .where('api_token.revoked_at', 'is', null)
    .where('official.active', '=', true)
    .executeTakeFirst();
}

export async function revokeApiTokens(db: Executor, officialId: number, at: Date): Promise<number> {
  const r = await db
    .updateTable('api_token')
    .set({ revoked_at: at })
    .where('official_id', '=', officialId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Takes an official's draft and clears it in one statement: of two presses of «Отправить всё
 * равно» (a double tap, two instances), only one gets the draft.
 */
export async function takeDraft(db: Executor, officialId: number) {
  const rows = await sql<{
    draft_case_id: number | null;
    draft_kind: DraftKind | null;
    draft_text: string | null;
    draft_photos: AnswerPhoto[] | null;
  }>`
    with old as (
      select id, draft_case_id, draft_kind, draft_text, draft_photos from official where id = ${officialId} for update
    )
    update official o set draft_case_id = null, draft_kind = null, draft_text = null, draft_photos = null
    from old where o.id = old.id and old.draft_case_id is not null and old.draft_text is not null
    returning old.draft_case_id, old.draft_kind, old.draft_text, old.draft_photos`.execute(db);
  return rows.rows[0];
}

// ---- /broadcast in the staff bot: the person's next text is a broadcast (draft_kind 'broadcast') ----

/** The person's next private text becomes a broadcast's draft; an answer started before is dropped (the last intent wins). */
export async function awaitBroadcastText(db: Executor, officialId: number): Promise<void> {
  await db
    .updateTable('official')
    .set({ draft_case_id: null, draft_kind: 'broadcast', draft_text: null, draft_photos: null })
    .where('id', '=', officialId)
    .execute();
}

/**
 * Takes the /broadcast wait of the active person behind a messenger account, in one statement: the
 * person when their text is the broadcast's (the wait cleared, so a repeated delivery of the same text
 * finds nothing), else undefined — the text is something else (an answer, a citizen's message).
 */
export async function takeBroadcastWait(db: Executor, account: StaffAccount): Promise<OfficialRow | undefined> {
  const rows = await sql<OfficialRow>`
    update official o set draft_kind = null
    from official_account a
    where a.official_id = o.id and a.channel = ${account.channel} and a.user_id = ${account.userId}
      and o.active and o.draft_kind = 'broadcast'
    returning o.id, o.name, o.department, o.role, o.preferred_channel as "preferredChannel", o.active`.execute(db);
  return rows.rows[0];
}

/** Active people with one of `roles` (who may approve a broadcast, say). */
export async function activeOfficialsWithRoles(db: Executor, roles: readonly string[]): Promise<OfficialRow[]> {
  if (roles.length === 0) return [];
  return db
    .selectFrom('official')
    .select(officialColumns)
    .where('role', 'in', roles)
    .where('active', '=', true)
    .orderBy('id')
    .execute();
}
