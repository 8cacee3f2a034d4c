import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import {
  endSession,
  endSessionsOf,
  insertLoginLink,
  insertSession,
  liveSession,
  loginLinkPerson,
  type SessionRow,
  spendLoginLink,
  touchSession,
} from '../../models/console-session-repository.js';
import { inTransaction } from '../../models/database.js';
import { findOfficial, findOfficialByAccount, type OfficialRow } from '../../models/people-repository.js';
import type { StaffAccount } from '../../models/staff-account.js';
import type { HandlerDeps } from '../deps.js';

/**
 * Signing in to the web console without a password: /login in the staff bot gives a one-time link
 * (5 minutes), the link's page spends it and opens a session. Secrets are random 32 bytes; only their
 * SHA-256 is stored, so a copy of the database opens nothing. docs/architecture/console.md.
 */
export const LOGIN_LINK_TTL_MS = 5 * 60_000;
/** «A working day of inactivity»: a session unused this long is over. */
export const SESSION_IDLE_MS = 9 * 3600_000;
/** A session's last-seen time is written at most this often (not on every page). */
const TOUCH_EVERY_MS = 60_000;

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = () => randomBytes(32).toString('base64url');
/** The shape of every secret made here: the console refuses anything else before a query. */
export const CONSOLE_SECRET = /^[A-Za-z0-9_-]{43}$/;

/** A login link's token for the staff account that typed /login; not_staff when it is not an active person. */
export async function issueLoginLink(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  account: StaffAccount,
): Promise<{ status: 'issued'; token: string; expiresAt: Date } | { status: 'not_staff' }> {
  const person = await findOfficialByAccount(deps.db, account);
  if (!person?.active) return { status: 'not_staff' };
  return issueLoginLinkFor(deps, { officialId: person.id, actor: { type: 'official', officialId: person.id } });
}

/**
 * A login link for a person by id (`mcu officials login`: whoever has the server's shell, e.g. the first
 * operator before any bot is bound, or the sandbox); not_staff when there is no such active person.
 */
export async function issueLoginLinkFor(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { officialId: number; actor: Actor },
): Promise<{ status: 'issued'; token: string; expiresAt: Date } | { status: 'not_staff' }> {
  const token = secret();
  const at = deps.clock.now();
  const expiresAt = new Date(at.getTime() + LOGIN_LINK_TTL_MS);
  return inTransaction(deps.db, async (tx) => {
    const person = await findOfficial(tx, input.officialId);
    if (!person?.active) return { status: 'not_staff' as const };
    await insertLoginLink(tx, { tokenHash: hash(token), officialId: person.id, at, expiresAt });
    await appendAudit(tx, { actor: input.actor, action: 'console_link_issued', entity: 'official', entityId: person.id });
    return { status: 'issued' as const, token, expiresAt };
  });
}

/** Who a live link would sign in (the confirmation page), without spending it. */
export async function loginLinkOwner(deps: Pick<HandlerDeps, 'db' | 'clock'>, token: string): Promise<OfficialRow | undefined> {
  if (!CONSOLE_SECRET.test(token)) return undefined;
  return loginLinkPerson(deps.db, hash(token), deps.clock.now());
}

/** Spends a link and opens a session: the session's secret (for the cookie) and its CSRF token. */
export async function redeemLoginLink(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  token: string,
): Promise<{ status: 'signed_in'; sessionId: string; person: OfficialRow } | { status: 'expired' }> {
  if (!CONSOLE_SECRET.test(token)) return { status: 'expired' };
  const at = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const person = await loginLinkPerson(tx, hash(token), at);
    if (!person) return { status: 'expired' };
    const officialId = await spendLoginLink(tx, hash(token), at);
    if (officialId === undefined) return { status: 'expired' };
    const sessionId = secret();
    await insertSession(tx, { idHash: hash(sessionId), officialId, csrfToken: secret(), at });
    await appendAudit(tx, {
      actor: { type: 'official', officialId },
      action: 'console_signed_in',
      entity: 'official',
      entityId: officialId,
    });
    return { status: 'signed_in', sessionId, person };
  });
}

/** The person and CSRF token of a live session; refreshes its last-seen time at most once a minute. */
export async function sessionOf(deps: Pick<HandlerDeps, 'db' | 'clock'>, sessionId: string): Promise<SessionRow | undefined> {
  if (!CONSOLE_SECRET.test(sessionId)) return undefined;
  const now = deps.clock.now();
  const found = await liveSession(deps.db, hash(sessionId), new Date(now.getTime() - SESSION_IDLE_MS));
  if (found && now.getTime() - found.lastSeenAt.getTime() > TOUCH_EVERY_MS) await touchSession(deps.db, hash(sessionId), now);
  return found;
}

/** «Выйти»: ends this session. */
export async function signOut(deps: Pick<HandlerDeps, 'db' | 'clock'>, sessionId: string): Promise<void> {
  if (CONSOLE_SECRET.test(sessionId)) await endSession(deps.db, hash(sessionId), deps.clock.now());
}

/** «Выйти везде»: ends every session of a person (also called when they are deactivated). */
export async function signOutEverywhere(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { officialId: number; actor: Actor },
): Promise<number> {
  return inTransaction(deps.db, async (tx) => {
    const ended = await endSessionsOf(tx, input.officialId, deps.clock.now());
    await appendAudit(tx, {
      actor: input.actor,
      action: 'console_signed_out_everywhere',
      entity: 'official',
      entityId: input.officialId,
      details: { ended },
    });
    return ended;
  });
}
