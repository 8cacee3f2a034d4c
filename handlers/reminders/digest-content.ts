import type { DomainConfig, Role } from '../../config/domain.js';
import type { WorkingCalendar } from '../../lib/deadlines/index.js';
import { addDays, wallOfDate } from '../../lib/deadlines/local-time.js';
import type { Executor } from '../../models/database.js';
import {
  type DepartmentLoad,
  type Digest,
  type DigestCase,
  departmentLoads,
  digestCases,
  triageCount,
} from '../../models/digest-repository.js';

/** At most this many case lines in a department's digest; the rest is «и ещё N». */
export const DIGEST_CASE_LINES = 20;
/** At most this many departments in the city-wide summary, the most overdue first. */
export const DIGEST_DEPARTMENT_LINES = 10;

/** What the morning digest shows to a role: its department's cases, the city's load, the triage queue. */
export interface DigestScope {
  department: boolean;
  city: boolean;
  triage: boolean;
}

/**
 * Officials and department heads work their department's cases; curators, coordinators and block
 * owners (no department scope, see people/access.ts) watch the whole city; operators triage; the head
 * of the МЦУ both watches the city and runs the triage.
 */
const SCOPES: Readonly<Record<Role, DigestScope>> = {
  official: { department: true, city: false, triage: false },
  department_head: { department: true, city: false, triage: false },
  curator: { department: false, city: true, triage: false },
  coordinator: { department: false, city: true, triage: false },
  block_owner: { department: false, city: true, triage: false },
  head: { department: false, city: true, triage: true },
  operator: { department: false, city: false, triage: true },
};

const NOTHING: DigestScope = { department: false, city: false, triage: false };

export function digestScope(role: string): DigestScope {
  return SCOPES[role as Role] ?? NOTHING;
}

// The digest's shape is a models/ type, so the outbound port (models/outbound.ts) can carry it.
export type { Digest, DigestCase } from '../../models/digest-repository.js';

/** The instants that split a department's cases: now, and the end of the local day. */
export function digestMoments(calendar: WorkingCalendar, now: Date): { date: string; now: Date; dayEnd: Date } {
  const date = calendar.localDateOf(now);
  return { date, now, dayEnd: new Date(calendar.zone.instantAt(wallOfDate(addDays(date, 1)))) };
}

/**
 * True when the person would have something to read, from the per-department loads and the triage
 * count: the planner asks this once per person without building every digest.
 */
export function hasDigest(
  person: { role: string; department: string },
  loads: readonly DepartmentLoad[],
  triage: number,
): boolean {
  const scope = digestScope(person.role);
  return (
    (scope.department && loads.some((l) => l.department === person.department && l.open > 0)) ||
    (scope.city && loads.some((l) => l.open > 0)) ||
    (scope.triage && triage > 0)
  );
}

/** Builds a person's digest from the current state of the cases; a part with nothing in it is left out. */
export async function buildDigest(
  deps: { db: Executor; domain: DomainConfig },
  person: { role: string; department: string },
  at: { date: string; now: Date; dayEnd: Date },
): Promise<Digest> {
  const scope = digestScope(person.role);
  const digest: Digest = { date: at.date };

  if (scope.department) {
    const [load] = await departmentLoads(deps.db, at, person.department);
    if (load && load.open > 0) {
      const cases = await digestCases(deps.db, person.department, DIGEST_CASE_LINES);
      digest.department = {
        name: departmentName(deps.domain, person.department),
        open: load.open,
        overdue: load.overdue,
        dueToday: load.dueToday,
        cases: cases.map((c) => ({ ...c, due: dueOf(c.deadlineAt, at) })),
      };
    }
  }
  if (scope.city) {
    const loads = await departmentLoads(deps.db, at);
    const open = loads.reduce((n, l) => n + l.open, 0);
    if (open > 0) {
      const top = [...loads].sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.department.localeCompare(b.department));
      digest.city = {
        open,
        overdue: loads.reduce((n, l) => n + l.overdue, 0),
        departments: top.slice(0, DIGEST_DEPARTMENT_LINES).map((l) => ({
          name: departmentName(deps.domain, l.department, true),
          open: l.open,
          overdue: l.overdue,
        })),
        more: Math.max(0, top.length - DIGEST_DEPARTMENT_LINES),
      };
    }
  }
  if (scope.triage) {
    const waiting = await triageCount(deps.db);
    if (waiting > 0) digest.triage = waiting;
  }
  return digest;
}

/** True when the digest has anything in it: an empty one is never sent. */
export function hasContent(digest: Digest): boolean {
  return Boolean(digest.department || digest.city || digest.triage);
}

function dueOf(deadline: Date | null, at: { now: Date; dayEnd: Date }): DigestCase['due'] {
  if (!deadline) return 'later';
  if (deadline < at.now) return 'overdue';
  return deadline < at.dayEnd ? 'today' : 'later';
}

function departmentName(domain: DomainConfig, id: string, short = false): string {
  const d = domain.departments.find((x) => x.id === id);
  if (!d) return id;
  return short ? (d.shortName ?? d.name) : d.name;
}
