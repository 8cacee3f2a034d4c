import { createHash, randomBytes } from 'node:crypto';
import { ROLES, type Role } from '../../config/domain.js';
import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import { endSessionsOf } from '../../models/console-session-repository.js';
import { inTransaction } from '../../models/database.js';
import {
  deactivateOfficial,
  findOfficial,
  insertInvite,
  insertOfficial,
  lockInvite,
  type OfficialRow,
  useInvite,
} from '../../models/people-repository.js';
import type { StaffAccount } from '../../models/staff-account.js';
import { bindAccount } from '../../models/staff-account-repository.js';
import type { HandlerDeps } from '../deps.js';
import { grantableRoles } from './grant.js';

export const INVITE_TTL_MS = 72 * 3_600_000;

export type InviteOutcome =
  | { status: 'created'; officialId: number; token: string; expiresAt: Date }
  | { status: 'unknown_department'; known: string[] }
  | { status: 'unknown_role'; known: readonly string[] }
  /** The inviting person may not grant this role (grant.ts): `grantable` are those they may. */
  | { status: 'role_not_grantable'; grantable: readonly Role[] };

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
// 24 random bytes: unguessable, and as base64url within Telegram's 64-character start parameter.
const newToken = () => randomBytes(24).toString('base64url');

/** Creates a person (official or МЦУ staff) and a single-use invite that expires; only its hash is stored. */
export async function inviteOfficial(
  deps: Pick<HandlerDeps, 'db' | 'clock' | 'domain'>,
  input: { name: string; department: string; role: string; actor: Actor; ttlMs?: number },
): Promise<InviteOutcome> {
  const known = deps.domain.departments.map((d) => d.id);
  if (!known.includes(input.department)) return { status: 'unknown_department', known };
  if (!(ROLES as readonly string[]).includes(input.role)) return { status: 'unknown_role', known: ROLES };
  if (input.actor.type === 'official' || input.actor.type === 'operator') {
    const inviter = (await findOfficial(deps.db, input.actor.officialId)) ?? { role: 'official', active: false };
    const grantable = grantableRoles(inviter, deps.domain);
    if (!grantable.includes(input.role as Role)) return { status: 'role_not_grantable', grantable };
  }
  const now = deps.clock.now();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + (input.ttlMs ?? INVITE_TTL_MS));
  return inTransaction(deps.db, async (tx) => {
    const officialId = await insertOfficial(
      tx,
      { name: input.name, department: input.department, role: input.role as Role },
      now,
    );
    await insertInvite(tx, { tokenHash: hash(token), officialId, expiresAt });
    await appendAudit(tx, {
      actor: input.actor,
      action: 'official_invited',
      entity: 'official',
      entityId: officialId,
      details: { department: input.department, role: input.role },
    });
    return { status: 'created', officialId, token, expiresAt };
  });
}

/**
 * A new single-use invite for a person already invited, who is still active: to bind a second
 * messenger (MAX beside Telegram), a new phone, or after the first invite expired.
 */
export async function inviteAgain(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { officialId: number; actor: Actor; ttlMs?: number },
): Promise<Extract<InviteOutcome, { status: 'created' }> | { status: 'not_found' }> {
  const now = deps.clock.now();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + (input.ttlMs ?? INVITE_TTL_MS));
  return inTransaction(deps.db, async (tx) => {
    const person = await findOfficial(tx, input.officialId);
    if (!person?.active) return { status: 'not_found' };
    await insertInvite(tx, { tokenHash: hash(token), officialId: person.id, expiresAt });
    await appendAudit(tx, {
      actor: input.actor,
      action: 'official_invited',
      entity: 'official',
      entityId: person.id,
      details: { again: true },
    });
    return { status: 'created', officialId: person.id, token, expiresAt };
  });
}

export type RedeemOutcome =
  | { status: 'bound'; official: OfficialRow }
  | { status: 'unknown' | 'expired' | 'used' | 'deactivated' };

/**
 * Binds the messenger account that opened the invite link, and makes that messenger the person's
 * preferred one (see bindAccount); a used, expired or revoked invite is refused.
 */
export async function redeemInvite(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { token: string; account: StaffAccount & { chatId: string } },
): Promise<RedeemOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const invite = await lockInvite(tx, hash(input.token));
    if (!invite) return { status: 'unknown' };
    if (!invite.active) return { status: 'deactivated' };
    if (invite.usedAt) return { status: 'used' };
    if (invite.expiresAt.getTime() <= now.getTime()) return { status: 'expired' };
    await useInvite(tx, hash(input.token), now);
    await bindAccount(tx, invite.officialId, input.account, now);
    await appendAudit(tx, {
      actor: { type: 'account', channel: input.account.channel, userId: input.account.userId },
      action: 'official_bound',
      entity: 'official',
      entityId: invite.officialId,
    });
    const official = await findOfficial(tx, invite.officialId);
    return official ? { status: 'bound', official } : { status: 'unknown' };
  });
}

/** Removes a person's access at once. */
export async function deactivate(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { officialId: number; actor: Actor },
): Promise<boolean> {
  return inTransaction(deps.db, async (tx) => {
    const done = await deactivateOfficial(tx, input.officialId, deps.clock.now());
    // The console's sessions end with the person (they were already refused: a session needs an active person).
    if (done) await endSessionsOf(tx, input.officialId, deps.clock.now());
    if (done)
      await appendAudit(tx, {
        actor: input.actor,
        action: 'official_deactivated',
        entity: 'official',
        entityId: input.officialId,
      });
    return done;
  });
}
