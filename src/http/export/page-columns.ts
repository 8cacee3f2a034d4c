import { figure, type PageView } from '../../../handlers/pages/index.js';
import type { ExportColumn } from './column.js';
import { CHANNEL_NAMES, PAGE_HEADERS as H, PAGE_FIGURE_HEADERS, PAGE_READABLE_NAMES, PAGE_STATUS_NAMES } from './texts-ru.js';

/**
 * The official pages' export: one row per page of the list (`GET /api/v1/pages`, the same filters and
 * order), the registry's fields, what the last round could read, and the latest snapshot's score and
 * figures (shares 0–1, hours working hours, as monitoring stores them).
 */
export function pageColumns(): ExportColumn<PageView>[] {
  const readable = (p: PageView) =>
    p.readable === null ? PAGE_READABLE_NAMES.unknown : p.readable ? PAGE_READABLE_NAMES.yes : PAGE_READABLE_NAMES.no;
  return [
    { header: H.id, cell: (p) => p.id, width: 8 },
    { header: H.platform, cell: (p) => CHANNEL_NAMES[p.platform] ?? p.platform, width: 12 },
    { header: H.url, cell: (p) => p.url, width: 36 },
    { header: H.externalId, cell: (p) => p.externalId, width: 24 },
    { header: H.title, cell: (p) => p.title, width: 32 },
    { header: H.owner, cell: (p) => p.ownerDepartmentName, width: 40 },
    { header: H.ownerId, cell: (p) => p.ownerDepartment, width: 18 },
    { header: H.organisation, cell: (p) => p.organisation, width: 32 },
    { header: H.responsible, cell: (p) => p.responsibleOfficialName ?? p.responsibleName, width: 28 },
    { header: H.status, cell: (p) => PAGE_STATUS_NAMES[p.status] ?? p.status, width: 14 },
    { header: H.readable, cell: readable, width: 12 },
    { header: H.unreadableReason, cell: (p) => (p.readable === false ? p.unreadableReason : null), width: 30 },
    { header: H.goneAt, cell: (p) => p.goneAt, width: 18 },
    { header: H.lastCheckedAt, cell: (p) => p.lastCheckedAt, width: 18 },
    { header: H.lastPostAt, cell: (p) => p.lastPostAt, width: 18 },
    { header: H.score, cell: (p) => p.latest?.score ?? null, width: 10 },
    { header: H.scoredAt, cell: (p) => p.latest?.takenAt ?? null, width: 18 },
    ...Object.entries(PAGE_FIGURE_HEADERS).map(
      ([key, header]): ExportColumn<PageView> => ({ header, cell: (p) => figure(p.latest, key), width: 12 }),
    ),
  ];
}
