import type { CaseCsvNames } from '../../../models/export-csv-query.js';
import type { CaseExportRow } from '../../../models/export-query.js';
import type { ExportColumn } from './column.js';
import { CHANNEL_NAMES, CASE_HEADERS as H, NO, PRIORITY_NAMES, SOURCE_KIND_NAMES, STATUS_NAMES, YES } from './texts-ru.js';

/** The names the domain file gives to the ids cases carry: category, district and department. */
export interface DomainNames {
  categories: ReadonlyMap<string, string>;
  districts: ReadonlyMap<string, string>;
  departments: ReadonlyMap<string, string>;
}

/** Maps from the domain file's lists (`{ id, name }`), for caseColumns. */
export function domainNames(domain: {
  categories: readonly { id: string; name: string }[];
  districts: readonly { id: string; name: string }[];
  departments: readonly { id: string; name: string }[];
}): DomainNames {
  const byId = (list: readonly { id: string; name: string }[]) => new Map(list.map((x) => [x.id, x.name]));
  return { categories: byId(domain.categories), districts: byId(domain.districts), departments: byId(domain.departments) };
}

/** A name for an id; an id the domain file no longer has is shown as it is. */
const named = (names: ReadonlyMap<string, string>, id: string | null) => (id === null ? null : (names.get(id) ?? id));
const label = (names: Readonly<Record<string, string>>, code: string) => names[code] ?? code;

/** The columns of the case export, in order. */
export function caseColumns(names: DomainNames): ExportColumn<CaseExportRow>[] {
  return [
    { header: H.number, cell: (r) => r.number, width: 18 },
    { header: H.createdAt, cell: (r) => r.createdAt, width: 17 },
    { header: H.channel, cell: (r) => label(CHANNEL_NAMES, r.channel), width: 12 },
    { header: H.source, cell: (r) => r.sourceTitle ?? label(SOURCE_KIND_NAMES, r.sourceKind), width: 24 },
    { header: H.category, cell: (r) => named(names.categories, r.category), width: 28 },
    { header: H.district, cell: (r) => named(names.districts, r.district), width: 20 },
    { header: H.department, cell: (r) => named(names.departments, r.department), width: 32 },
    { header: H.status, cell: (r) => label(STATUS_NAMES, r.status), width: 20 },
    { header: H.priority, cell: (r) => label(PRIORITY_NAMES, r.priority), width: 10 },
    { header: H.deadlineAt, cell: (r) => r.deadlineAt, width: 17 },
    { header: H.firstResponseAt, cell: (r) => r.firstResponseAt, width: 17 },
    { header: H.finalAnswerAt, cell: (r) => r.finalAnswerAt, width: 17 },
    { header: H.answeredOnTime, cell: (r) => (r.answeredOnTime === null ? null : r.answeredOnTime ? YES : NO), width: 8 },
    { header: H.rating, cell: (r) => r.rating, width: 8 },
    { header: H.text, cell: (r) => r.text, width: 80 },
  ];
}

/**
 * The same names for the CSV that PostgreSQL formats (models/export-csv-query.ts): what `caseColumns`
 * shows for each code, as lists the query joins. The headers stay `caseColumns`'.
 */
export function caseCsvNames(names: DomainNames): CaseCsvNames {
  const entries = (record: Readonly<Record<string, string>>) => new Map(Object.entries(record));
  return {
    channels: entries(CHANNEL_NAMES),
    sourceKinds: entries(SOURCE_KIND_NAMES),
    categories: names.categories,
    districts: names.districts,
    departments: names.departments,
    statuses: entries(STATUS_NAMES),
    priorities: entries(PRIORITY_NAMES),
    yes: YES,
    no: NO,
  };
}
