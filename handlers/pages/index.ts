// The registry of official pages (regulation 2.2.12, 4.7; 270-ФЗ): the administration's pages in VK,
// Telegram and MAX, who owns and runs them, their status, and the reads of what monitoring found.
// docs/architecture/official-pages.md. Monitoring, scores, comments → cases and alerts are the
// page-monitoring feature (handlers/page-monitoring), which may import this one, never the reverse.

import type { StaffAccount } from '../../models/staff-account.js';
import type { HandlerDeps } from '../deps.js';
import type { PageCaller } from './caller.js';
import type { PageListFilters, PagePatch, ParsedPageInput } from './input.js';
import type { PageOutcome } from './outcome.js';
import { exportPageViews, getPage, listPageViews } from './read.js';
import { closePage, createPage, updatePage } from './registry.js';
import { type StaffPagesOutcome, staffPages } from './staff.js';
import type { PageDetail, PageView } from './view.js';

export { PAGE_PLATFORMS, PAGE_STATUSES, type PageSnapshot } from '../../models/official-page-repository.js';
export { actorOfCaller, mayWrite, type PageCaller, readScope } from './caller.js';
export {
  type ImportLine,
  importPages,
  PAGE_IMPORT_COLUMNS,
  type PageImportOutcome,
  type PageImportSummary,
} from './import.js';
export {
  findDepartment,
  type PageInput,
  type PageListFilters,
  type PagePatch,
  type ParsedPageInput,
  pageInputSchema,
  pagePatchSchema,
} from './input.js';
export { type LinkOutcome, type LinkProblem, type PageLink, parsePageLink } from './link.js';
export type { PageOutcome, PageRefusal } from './outcome.js';
export { SNAPSHOT_HISTORY } from './read.js';
export { type PagesReportDeps, pagesReport } from './report.js';
export { DEFAULT_PAGE_SETTINGS, type PageSettings, pageSettings } from './settings.js';
export { STAFF_PAGE_LINES, type StaffPageLine, type StaffPagesOutcome } from './staff.js';
export { figure, type PageDetail, type PageView } from './view.js';

/** What the API, the console and the staff bots call; every call checks the caller's role first. */
export interface PagesApi {
  list(
    caller: PageCaller,
    filters: PageListFilters,
    page: { limit: number; after?: number | undefined },
  ): Promise<PageOutcome<{ items: PageView[]; next: number | null }>>;
  /** Every page of the filters, in pages of rows (the exports). */
  rows(caller: PageCaller, filters: PageListFilters): PageOutcome<AsyncIterable<PageView[]>>;
  get(caller: PageCaller, id: number): Promise<PageOutcome<PageDetail>>;
  create(caller: PageCaller, input: ParsedPageInput): Promise<PageOutcome<PageView>>;
  update(caller: PageCaller, id: number, patch: PagePatch): Promise<PageOutcome<PageView>>;
  close(caller: PageCaller, id: number): Promise<PageOutcome<PageView>>;
  /** /pages in the staff bot: the person's department's pages (every page for `cases:all`). */
  forStaff(account: StaffAccount): Promise<StaffPagesOutcome>;
}

/** Binds the registry's use cases; `deps` is called on every call (the database may not be up yet). */
export function bindPages(deps: () => Pick<HandlerDeps, 'db' | 'clock' | 'domain'>): PagesApi {
  return {
    list: (caller, filters, page) => listPageViews(deps(), caller, filters, page),
    rows: (caller, filters) => exportPageViews(deps(), caller, filters),
    get: (caller, id) => getPage(deps(), caller, id),
    create: (caller, input) => createPage(deps(), caller, input),
    update: (caller, id, patch) => updatePage(deps(), caller, id, patch),
    close: (caller, id) => closePage(deps(), caller, id),
    forStaff: (account) => staffPages(deps(), account),
  };
}
