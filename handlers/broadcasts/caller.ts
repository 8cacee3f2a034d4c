import type { BroadcastSettings, Role } from '../../config/domain.js';
import type { Actor } from '../../models/actor.js';
import type { OfficialRow } from '../../models/people-repository.js';

/** Who asks: the service token (with the author it names) or a person (their role). */
export type BroadcastCaller = { kind: 'service'; author: string } | { kind: 'person'; official: OfficialRow };

export const actorOfCaller = (c: BroadcastCaller): Actor =>
  c.kind === 'service' ? { type: 'api', author: c.author } : { type: 'official', officialId: c.official.id };

/** Composes, previews, starts, pauses and cancels: the service token, or an active person of `authorRoles`. */
export function mayAuthor(c: BroadcastCaller, s: BroadcastSettings): boolean {
  return c.kind === 'service' || (c.official.active && s.authorRoles.includes(c.official.role as Role));
}

/** Reads reports: authors and approvers. */
export function mayRead(c: BroadcastCaller, s: BroadcastSettings): boolean {
  return mayAuthor(c, s) || (c.kind === 'person' && c.official.active && s.approval.roles.includes(c.official.role as Role));
}

/** Approves: an active person of `approval.roles` (never the service token: approval is a second person's word). */
export function mayApprove(c: BroadcastCaller, s: BroadcastSettings): c is Extract<BroadcastCaller, { kind: 'person' }> {
  return c.kind === 'person' && c.official.active && s.approval.roles.includes(c.official.role as Role);
}
