import type { Role } from '../../config/domain.js';
import { addDuration } from '../../lib/deadlines/index.js';
import {
  type DeadlineCursor,
  escalationRows,
  type OverdueFilters,
  type OverdueRow,
  overdueCounts,
  overduePage,
} from '../../models/overdue-query.js';
import { parseReminderKind } from '../../models/reminder-kind.js';
import type { HandlerDeps } from '../deps.js';

/**
 * «At risk» means the final deadline falls before the end of the next working day on the production
 * calendar (`1wd` from now, the way the domain file counts working days): on Friday at 10:00 that is
 * Monday's close. A shorter window (hours) would hide a Monday deadline on a Friday afternoon.
 */
export const AT_RISK_WINDOW = '1wd';

export type OverdueListDeps = Pick<HandlerDeps, 'db' | 'clock' | 'calendar'>;
export type OverdueListFilters = Omit<OverdueFilters, 'now' | 'until'>;
export type { DeadlineCursor };

/** One step of `sla.escalation.steps` as planned for a case. */
export interface EscalationStep {
  role: Role;
  dueAt: Date;
  sentAt: Date | null;
  /** sent | skipped:nobody (no one of that role a messenger reaches) | … */
  outcome: string | null;
}

export interface OverdueItem extends OverdueRow {
  state: 'overdue' | 'risk';
  /** The last escalation step already taken, or null (none yet). */
  reached: EscalationStep | null;
  /** The next step planned, or null (none left). */
  next: EscalationStep | null;
}

/** The moment of the list: now, and the end of the at-risk window. */
export function overdueWindow(deps: Pick<HandlerDeps, 'clock' | 'calendar'>): { now: Date; until: Date } {
  const now = deps.clock.now();
  return { now, until: addDuration(deps.calendar, now, AT_RISK_WINDOW) };
}

/**
 * A page of overdue and at-risk open cases, the most overdue first, each with the escalation step it
 * reached (reminders `escalate:<role>`, handlers/reminders), and the counts per department.
 */
export async function overdueList(
  deps: OverdueListDeps,
  filters: OverdueListFilters,
  page: { limit: number; after?: DeadlineCursor | undefined },
) {
  const window = overdueWindow(deps);
  // Two independent reads: on separate pool connections they overlap.
  const [rows, counts] = await Promise.all([
    overduePage(deps.db, { ...filters, ...window }, { limit: page.limit + 1, after: page.after }),
    overdueCounts(deps.db, { ...window, department: filters.department, priority: filters.priority }),
  ]);
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    ...window,
    items: await withEscalation(deps, shown, window.now),
    next: rows.length > page.limit && last ? { at: last.deadlineAt, id: last.id } : null,
    counts,
  };
}

/** The whole list for an export, a page at a time (the same window, filters and order as the pages). */
export async function* overdueExportPages(
  deps: OverdueListDeps,
  filters: OverdueListFilters,
  options: { pageSize: number; now?: { now: Date; until: Date } },
): AsyncGenerator<OverdueItem[]> {
  const window = options.now ?? overdueWindow(deps);
  let after: DeadlineCursor | undefined;
  for (;;) {
    const rows = await overduePage(deps.db, { ...filters, ...window }, { limit: options.pageSize, after });
    if (rows.length === 0) return;
    yield await withEscalation(deps, rows, window.now);
    const last = rows.at(-1) as OverdueRow;
    if (rows.length < options.pageSize) return;
    after = { at: last.deadlineAt, id: last.id };
  }
}

async function withEscalation(deps: OverdueListDeps, rows: readonly OverdueRow[], now: Date): Promise<OverdueItem[]> {
  const steps = new Map<number, EscalationStep[]>();
  for (const r of await escalationRows(
    deps.db,
    rows.map((x) => x.id),
  )) {
    const kind = parseReminderKind(r.kind);
    if (kind?.type !== 'escalate') continue;
    const list = steps.get(r.caseId) ?? [];
    list.push({ role: kind.role, dueAt: r.dueAt, sentAt: r.sentAt, outcome: r.outcome });
    steps.set(r.caseId, list);
  }
  return rows.map((row) => {
    const list = steps.get(row.id) ?? [];
    return {
      ...row,
      state: row.deadlineAt.getTime() < now.getTime() ? 'overdue' : 'risk',
      reached: list.filter((s) => s.sentAt !== null).at(-1) ?? null,
      next: list.find((s) => s.sentAt === null) ?? null,
    };
  });
}
