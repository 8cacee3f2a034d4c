import type { FastifyRequest } from 'fastify';
import { type BroadcastCaller, broadcastSettings, mayApprove, mayAuthor } from '../../../../handlers/broadcasts/index.js';
import { AppError } from '../../../errors.js';
import type { ConsoleDeps } from '../../deps.js';
import { broadcastsVisible } from '../../nav.js';

/**
 * Who may do what in «Рассылки»: the domain file's `broadcasts.authorRoles` compose and run them, its
 * `approval.roles` approve; both read. The use cases check the same again — these decide what is
 * rendered and refuse a forged request before any work.
 */
export function callerOf(request: FastifyRequest): BroadcastCaller {
  const person = request.console?.person;
  if (!person) throw new AppError('UNAUTHORIZED', 'no session', 401);
  return { kind: 'person', official: person };
}

/** The section's reader (an author or an approver), or 403. */
export function readerOf(request: FastifyRequest, deps: ConsoleDeps): BroadcastCaller {
  if (!broadcastsVisible(request, deps)) throw new AppError('FORBIDDEN', 'your role may not see broadcasts', 403);
  return callerOf(request);
}

/** An author (composes, starts, pauses, resumes, cancels), or 403. */
export function authorOf(request: FastifyRequest, deps: ConsoleDeps): BroadcastCaller {
  const caller = readerOf(request, deps);
  if (!mayAuthor(caller, broadcastSettings(deps.domain)))
    throw new AppError('FORBIDDEN', 'your role may not prepare broadcasts', 403);
  return caller;
}

export function canAuthor(request: FastifyRequest, deps: ConsoleDeps): boolean {
  return request.console !== undefined && mayAuthor(callerOf(request), broadcastSettings(deps.domain));
}

export function canApprove(request: FastifyRequest, deps: ConsoleDeps): boolean {
  return request.console !== undefined && mayApprove(callerOf(request), broadcastSettings(deps.domain));
}
