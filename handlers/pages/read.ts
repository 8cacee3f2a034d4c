import {
  findPageListing,
  listPages,
  type PageListing,
  pageListingPages,
  pageSnapshots,
} from '../../models/official-page-repository.js';
import type { HandlerDeps } from '../deps.js';
import { type PageCaller, readScope } from './caller.js';
import type { PageListFilters } from './input.js';
import { forbidden, invalid, notFound, ok, type PageOutcome, type PageRefusal } from './outcome.js';
import { type PageDetail, type PageView, viewOf } from './view.js';

export type ReadDeps = Pick<HandlerDeps, 'db' | 'domain'>;

/** How many monitoring rounds a page's detail shows. */
export const SNAPSHOT_HISTORY = 50;

const mayNotRead = (): PageRefusal => forbidden('your role may not see official pages');
const notYours = (): PageRefusal => forbidden('this department is not yours');

/** The filters as the caller may use them: a department-only role gets its own pages, another department is 403. */
function scoped(
  caller: PageCaller,
  filters: PageListFilters,
  domain: ReadDeps['domain'],
): { filters: PageListFilters } | PageRefusal {
  // An owner that is no department of the domain file can never match: 400, as the analytics answer it.
  if (filters.owner !== undefined && !domain.departments.some((d) => d.id === filters.owner))
    return invalid('UNKNOWN_DEPARTMENT', `owner: unknown department "${filters.owner}"`, 'owner');
  const scope = readScope(caller);
  if (scope === null) return mayNotRead();
  if (scope === 'all') return { filters };
  if (filters.owner !== undefined && filters.owner !== scope.department) return notYours();
  return { filters: { ...filters, owner: scope.department } };
}

/** A page of the registry by id, with the latest figures, `limit` after the id `after`; `next` continues. */
export async function listPageViews(
  deps: ReadDeps,
  caller: PageCaller,
  filters: PageListFilters,
  page: { limit: number; after?: number | undefined },
): Promise<PageOutcome<{ items: PageView[]; next: number | null }>> {
  const f = scoped(caller, filters, deps.domain);
  if (!('filters' in f)) return f;
  const rows = await listPages(deps.db, f.filters, { limit: page.limit + 1, after: page.after });
  const items = rows.slice(0, page.limit).map((r) => viewOf(r, deps.domain));
  return ok({ items, next: rows.length > page.limit ? (items[items.length - 1]?.id ?? null) : null });
}

/** Every page of the filters, a page of rows at a time (the exports: the same rows as the list). */
export function exportPageViews(
  deps: ReadDeps,
  caller: PageCaller,
  filters: PageListFilters,
): PageOutcome<AsyncIterable<PageView[]>> {
  const f = scoped(caller, filters, deps.domain);
  if (!('filters' in f)) return f;
  const scopedFilters = f.filters;
  async function* views(): AsyncGenerator<PageView[]> {
    for await (const rows of pageListingPages(deps.db, scopedFilters)) yield rows.map((r: PageListing) => viewOf(r, deps.domain));
  }
  return ok(views());
}

/** One page with its monitoring history (a closed page's too); another department's page is 403. */
export async function getPage(deps: ReadDeps, caller: PageCaller, id: number): Promise<PageOutcome<PageDetail>> {
  const scope = readScope(caller);
  if (scope === null) return mayNotRead();
  const listing = await findPageListing(deps.db, id);
  if (!listing) return notFound(id);
  if (scope !== 'all' && listing.ownerDepartment !== scope.department) return notYours();
  return ok({ ...viewOf(listing, deps.domain), snapshots: await pageSnapshots(deps.db, id, SNAPSHOT_HISTORY) });
}
