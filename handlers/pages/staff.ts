import { findOfficialByAccount } from '../../models/people-repository.js';
import type { PagePlatform, PageStatus } from '../../models/schema.js';
import type { StaffAccount } from '../../models/staff-account.js';
import { readScope } from './caller.js';
import { exportPageViews, type ReadDeps } from './read.js';
import type { PageView } from './view.js';

/** At most this many pages in the chat; the rest are in the console. */
export const STAFF_PAGE_LINES = 15;

/** One page in the staff bot's /pages, short. */
export interface StaffPageLine {
  name: string;
  platform: PagePlatform;
  status: PageStatus;
  score: number | null;
  /** false: the last round could not read it (`reason` says why); null: not checked yet. */
  readable: boolean | null;
  reason: string | null;
}

export type StaffPagesOutcome =
  | {
      status: 'ok';
      /** 'all', or the department's name. */
      scope: 'all' | { department: string; name: string };
      /** The pages that need attention first (unreadable, then the lowest score), at most STAFF_PAGE_LINES. */
      items: StaffPageLine[];
      counts: { active: number; planned: number; unreadable: number; averageScore: number | null };
    }
  | { status: 'forbidden' };

/** Unreadable first, then the lowest score, unscored (never checked) after them. */
function attention(a: PageView, b: PageView): number {
  const rank = (p: PageView) => (p.readable === false ? 0 : p.latest?.score === null || p.latest === null ? 2 : 1);
  return rank(a) - rank(b) || (a.latest?.score ?? 0) - (b.latest?.score ?? 0) || a.id - b.id;
}

/** /pages: the person's department's pages (every page for `cases:all`), not closed, with their latest score and state. */
export async function staffPages(deps: ReadDeps, account: StaffAccount): Promise<StaffPagesOutcome> {
  const official = await findOfficialByAccount(deps.db, account);
  if (!official?.active) return { status: 'forbidden' };
  const caller = { kind: 'person' as const, official };
  const scope = readScope(caller);
  const outcome = exportPageViews(deps, caller, {});
  if (scope === null || outcome.status !== 'ok') return { status: 'forbidden' };
  const pages: PageView[] = [];
  for await (const rows of outcome.value) pages.push(...rows.filter((p) => p.status !== 'closed'));
  const scores = pages.map((p) => p.latest?.score).filter((s): s is number => typeof s === 'number');
  const name = deps.domain.departments.find((d) => d.id === official.department)?.name ?? official.department;
  return {
    status: 'ok',
    scope: scope === 'all' ? 'all' : { department: scope.department, name },
    items: [...pages]
      .sort(attention)
      .slice(0, STAFF_PAGE_LINES)
      .map((p) => ({
        name: p.title ?? p.externalId,
        platform: p.platform,
        status: p.status,
        score: p.latest?.score ?? null,
        readable: p.readable,
        reason: p.unreadableReason,
      })),
    counts: {
      active: pages.filter((p) => p.status === 'active').length,
      planned: pages.filter((p) => p.status === 'planned').length,
      unreadable: pages.filter((p) => p.readable === false).length,
      averageScore: scores.length === 0 ? null : Math.round((scores.reduce((s, x) => s + x, 0) / scores.length) * 10) / 10,
    },
  };
}
