import type { DomainConfig } from '../../config/domain.js';
import type { PageListing, PageSnapshot } from '../../models/official-page-repository.js';

/**
 * A page as the API, the console and the exports show it: the registry's fields, the owner's name from
 * the domain file, the responsible person (the official's name when one is linked), what the last
 * monitoring round could read and its latest snapshot — score (0–100, null when unreadable) and figures
 * as monitoring wrote them (docs/architecture/official-pages.md lists them).
 */
export interface PageView extends PageListing {
  ownerDepartmentName: string;
}

/** A page with its monitoring history, newest first. */
export interface PageDetail extends PageView {
  snapshots: PageSnapshot[];
}

export function viewOf(listing: PageListing, domain: Pick<DomainConfig, 'departments'>): PageView {
  const owner = domain.departments.find((d) => d.id === listing.ownerDepartment);
  return { ...listing, ownerDepartmentName: owner?.name ?? listing.ownerDepartment };
}

/** A number the snapshot's figures carry under `key`, else null (figures are monitoring's, read defensively). */
export function figure(snapshot: PageSnapshot | null, key: string): number | null {
  const value = snapshot?.figures[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
