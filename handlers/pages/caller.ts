import type { Actor } from '../../models/actor.js';
import type { OfficialRow } from '../../models/people-repository.js';
import { may } from '../people/index.js';

/**
 * Who asks: the service token, the command line (the actor they act as) or a person (their role). Reading
 * follows the cases' rule — `cases:all` sees every page, `cases:own-department` its department's;
 * writing needs `people:manage`: the registry is the administration's directory of pages and the people
 * who run them, kept by the МЦУ staff who keep the people directory (operators, the head).
 */
export type PageCaller = { kind: 'service'; actor: Actor } | { kind: 'person'; official: OfficialRow };

export const actorOfCaller = (c: PageCaller): Actor =>
  c.kind === 'service' ? c.actor : { type: 'official', officialId: c.official.id };

/** The departments whose pages the caller reads: 'all', one department, or null (none). */
export function readScope(c: PageCaller): 'all' | { department: string } | null {
  if (c.kind === 'service' || may(c.official, 'cases:all')) return 'all';
  if (may(c.official, 'cases:own-department')) return { department: c.official.department };
  return null;
}

/** Registers, changes and closes pages; asks monitoring for a round at once. */
export function mayWrite(c: PageCaller): boolean {
  return c.kind === 'service' || may(c.official, 'people:manage');
}
