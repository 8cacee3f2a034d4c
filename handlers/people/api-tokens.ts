import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import { inTransaction } from '../../models/database.js';
import {
  findOfficial,
  insertApiToken,
  type OfficialRow,
  officialByApiToken,
  revokeApiTokens,
} from '../../models/people-repository.js';
import type { HandlerDeps } from '../deps.js';

/** Personal tokens carry this prefix, so a leaked one is recognisable (and a secret scanner can match it). */
export const PERSONAL_TOKEN_PREFIX = 'mcu_';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new personal API token for an active person; shown once, only its hash is kept. */
export async function issueApiToken(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { officialId: number; actor: Actor },
): Promise<{ status: 'issued'; token: string } | { status: 'not_found' }> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const official = await findOfficial(tx, input.officialId);
    if (!official?.active) return { status: 'not_found' };
    const token = `${PERSONAL_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    await insertApiToken(tx, { tokenHash: hash(token), officialId: official.id }, now);
    await appendAudit(tx, { actor: input.actor, action: 'api_token_issued', entity: 'official', entityId: official.id });
    return { status: 'issued', token };
  });
}

/** Revokes every personal token of a person; the number revoked. */
export async function revokeApiTokensOf(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { officialId: number; actor: Actor },
): Promise<number> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const n = await revokeApiTokens(tx, input.officialId, now);
    await appendAudit(tx, {
      actor: input.actor,
      action: 'api_tokens_revoked',
      entity: 'official',
      entityId: input.officialId,
      details: { revoked: n },
    });
    return n;
  });
}

/** The person a personal token belongs to, if the token is live and the person active. */
export async function personByApiToken(deps: Pick<HandlerDeps, 'db'>, token: string): Promise<OfficialRow | undefined> {
  if (!token.startsWith(PERSONAL_TOKEN_PREFIX) || token.length > 200) return undefined;
  return officialByApiToken(deps.db, hash(token));
}
