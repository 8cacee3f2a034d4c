import type { FastifyRequest } from 'fastify';
import { type Action, may } from '../../handlers/people/index.js';
import type { Actor } from '../../models/actor.js';
import type { OfficialRow } from '../../models/people-repository.js';
import { AppError } from '../errors.js';

/**
 * Who is calling the API: the service token (the МЦУ's own key: every right, actor `api:<author>`)
 * or a person's token (their role and department scope, actor `official:<id>`).
 */
export type Principal = { kind: 'service' } | { kind: 'person'; official: OfficialRow };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function principalOf(request: FastifyRequest): Principal {
  const p = request.principal;
  if (!p) throw new AppError('UNAUTHORIZED', 'missing or invalid bearer token', 401);
  return p;
}

/** Refuses with 403 FORBIDDEN unless the caller may do `action`. */
export function requireAction(request: FastifyRequest, action: Action): void {
  const p = principalOf(request);
  if (p.kind === 'person' && !may(p.official, action))
    throw new AppError('FORBIDDEN', `your role (${p.official.role}) may not do this (${action})`, 403);
}

/**
 * The departments whose cases the caller may see or act on: null for all (the service token, roles
 * that see all cases), else their own; 403 for someone who may see no cases at all.
 */
export function departmentScope(request: FastifyRequest): string | null {
  const p = principalOf(request);
  if (p.kind === 'service' || may(p.official, 'cases:all')) return null;
  if (may(p.official, 'cases:own-department')) return p.official.department;
  throw new AppError('FORBIDDEN', 'your role may not see cases', 403);
}

/** A case of another department is refused as 403 (its existence is not hidden from staff). */
export function requireCaseScope(request: FastifyRequest, caseDepartment: string | null | undefined): void {
  const scope = departmentScope(request);
  if (scope !== null && caseDepartment !== scope) throw new AppError('FORBIDDEN', 'this case belongs to another department', 403);
}

/** Who the audit log names: the person behind a personal token, or `api:<author>` for the service token. */
export function actorOf(request: FastifyRequest, author?: string): Actor {
  return personOr(request, { type: 'api', author: author ?? 'dashboard' });
}

/** The person behind a personal token (`official:<id>`), or `service` for the service token. */
export function personOr(request: FastifyRequest, service: Actor): Actor {
  const p = principalOf(request);
  return p.kind === 'person' ? { type: 'official', officialId: p.official.id } : service;
}
