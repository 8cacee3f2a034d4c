import { type DomainConfig, ROLES, type Role } from '../../config/domain.js';
import type { OfficialRow } from '../../models/people-repository.js';
import { may } from './access.js';

/** Roles only the head or the curator of the МЦУ may grant (they sit above everyone who invites). */
const TOP_ROLES: readonly Role[] = ['head', 'curator'];
/**
 * Who approves a broadcast when the domain file has no `broadcasts:` section — the same default as
 * handlers/broadcasts/settings.ts (people sits below broadcasts in the features' order, so it cannot
 * import it).
 */
const DEFAULT_APPROVERS: readonly Role[] = ['head', 'coordinator', 'curator'];

/**
 * The roles an inviter may give a new person. A person with `people:manage` may not create someone
 * above themselves: the broadcasts' approvers (the second person of the two-person approval) and the
 * head and curator are granted only by the head or the curator. `null` is no person — the service
 * token, the command line, the sandbox: the administrators, who may grant any role.
 */
export function grantableRoles(
  inviter: Pick<OfficialRow, 'role' | 'active'> | null,
  domain: Pick<DomainConfig, 'broadcasts'>,
): readonly Role[] {
  if (inviter === null) return ROLES;
  if (!inviter.active) return [];
  if (TOP_ROLES.includes(inviter.role as Role)) return ROLES;
  if (!may(inviter, 'people:manage')) return [];
  const reserved = new Set<Role>([...TOP_ROLES, ...(domain.broadcasts?.approval.roles ?? DEFAULT_APPROVERS)]);
  return ROLES.filter((role) => !reserved.has(role));
}
