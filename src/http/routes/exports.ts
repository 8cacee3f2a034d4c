import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { DomainConfig } from '../../../config/domain.js';
import type { QueryDeps } from '../../../handlers/cases/index.js';
import type { CaseFilters } from '../../../models/case-query.js';
import { caseExportCsv } from '../../../models/export-csv-query.js';
import { caseExportPages } from '../../../models/export-query.js';
import { AppError } from '../../errors.js';
import {
  CSV_SEPARATOR,
  caseColumns,
  caseCsvNames,
  csvFromCopy,
  domainNames,
  EXPORT_FORMATS,
  FILE_NAMES,
  SHEET_NAMES,
  sendCsvFile,
  sendExport,
} from '../export/index.js';
import { parseInput } from '../parse-input.js';
import { departmentScope } from '../principal.js';
import { casesQuery } from './cases.js';

/** What the exports read: the database, the clock, and the domain file's names and time zone. */
export type ExportDeps = QueryDeps & {
  domain: Pick<DomainConfig, 'city' | 'categories' | 'districts' | 'departments'>;
};

/** Rows per query of the XLSX export: round trips cost little, and a page is a few MB. */
export const EXPORT_PAGE_SIZE = 2_000;

/** The listing's filters; a whole export has no page, so `limit` and `cursor` are refused (400). */
export const exportQuery = casesQuery.omit({ limit: true, cursor: true });

/**
 * The МЦУ's working files: every case the listing would show for the same filters, as CSV or XLSX,
 * streamed. Same access as `GET /api/v1/cases` (the texts are in it): a department-only role gets
 * its department's cases. The CSV is formatted by PostgreSQL (`COPY … TO STDOUT`,
 * models/export-csv-query.ts; twice as fast as rows parsed and formatted here, measured in one run),
 * the XLSX from keyset pages. Rows are never logged.
 */
export function exportRoutes(deps: ExportDeps | (() => ExportDeps), options: { pageSize?: number } = {}) {
  const get = typeof deps === 'function' ? deps : () => deps;
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  return (app: FastifyInstance) => {
    for (const format of EXPORT_FORMATS) {
      app.get(`/api/v1/exports/cases.${format}`, async (request, reply) =>
        sendCaseExport(request, reply, get(), { format, filters: parseInput(exportQuery, request.query), pageSize }),
      );
    }
  };
}

/**
 * Streams the cases of `filters` as CSV or XLSX to the caller, scoped to their department when their
 * role sees only it (the API's export and the console's «Выгрузить» both answer with this).
 */
export async function sendCaseExport(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ExportDeps,
  input: {
    format: (typeof EXPORT_FORMATS)[number];
    filters: z.infer<typeof exportQuery> & Pick<CaseFilters, 'statuses'>;
    pageSize?: number;
  },
) {
  const { format, filters } = input;
  const pageSize = input.pageSize ?? EXPORT_PAGE_SIZE;
  const scope = departmentScope(request);
  if (scope !== null && filters.department !== undefined && filters.department !== scope)
    throw new AppError('FORBIDDEN', 'this department is not yours', 403);
  const { db, clock, domain } = deps;
  const now = clock.now();
  const scoped = { ...filters, ...(scope ? { department: scope } : {}) };
  const timeZone = domain.city.timezone;
  const names = domainNames(domain);
  const columns = caseColumns(names);
  if (format === 'csv') {
    const records = await caseExportCsv(db, scoped, {
      names: caseCsvNames(names),
      timeZone,
      now,
      delimiter: CSV_SEPARATOR,
    });
    const chunks = await csvFromCopy(
      records,
      columns.map((c) => c.header),
    );
    return sendCsvFile(request, reply, { name: FILE_NAMES.cases, chunks, timeZone, now });
  }
  return sendExport(request, reply, {
    format,
    name: FILE_NAMES.cases,
    sheetName: SHEET_NAMES.cases,
    columns,
    pages: caseExportPages(db, scoped, { pageSize, now }),
    timeZone,
    now,
  });
}
