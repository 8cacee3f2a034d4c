import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DomainConfig } from '../../../config/domain.js';
import type { AnalyticsApi, Invalid } from '../../../handlers/analytics/index.js';
import type { Clock } from '../../../lib/clock.js';
import { AppError } from '../../errors.js';
import {
  domainNames,
  type ExportColumn,
  type ExportFormat,
  FILE_NAMES,
  problemColumns,
  ratingColumns,
  SHEET_NAMES,
  sendExport,
} from '../export/index.js';
import { parseInput } from '../parse-input.js';
import { departmentScope, requireAction } from '../principal.js';
import { problemsQuery, ratingsQuery } from './analytics.js';

/** What these exports read besides the analytics: the clock (the file's date) and the domain file's names and zone. */
export interface AnalyticsExportDeps {
  clock: Clock;
  domain: Pick<DomainConfig, 'city' | 'categories' | 'districts' | 'departments'>;
}

const refuse = (outcome: Invalid): never => {
  throw new AppError(outcome.code, outcome.message, 400);
};

/** One page holding all the rows: the ratings and the problem list are a few hundred rows at most. */
async function* onePage<Row>(rows: readonly Row[]): AsyncGenerator<readonly Row[], void, undefined> {
  yield rows;
}

/** The ratings' query: the period and an optional department (the caller's own when their role sees only it). */
export type RatingsExportQuery = { from: Date; to: Date; department?: string | undefined };
/** The problem list's query: the filters, the order, the trend window in days, how many and from where. */
export type ProblemsExportQuery = Omit<Parameters<AnalyticsApi['problems']>[0], 'windowDays'> & { window: number };

function sendRows<Row>(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AnalyticsExportDeps,
  file: { format: ExportFormat; kind: 'ratings' | 'problems'; columns: readonly ExportColumn<Row>[]; rows: readonly Row[] },
) {
  return sendExport(request, reply, {
    format: file.format,
    name: FILE_NAMES[file.kind],
    sheetName: SHEET_NAMES[file.kind],
    columns: file.columns,
    pages: onePage(file.rows),
    timeZone: deps.domain.city.timezone,
    now: deps.clock.now(),
  });
}

/**
 * Streams the ratings of `query` as CSV or XLSX, one row per department (ranked, then listed apart),
 * with the API's access rule: a department-only role gets its own row, another department is 403
 * (the API's export and the console's «Выгрузить» both answer with this).
 */
export async function sendRatingsExport(
  request: FastifyRequest,
  reply: FastifyReply,
  api: AnalyticsApi,
  deps: AnalyticsExportDeps,
  input: { format: ExportFormat; query: RatingsExportQuery },
) {
  const { query } = input;
  const scope = departmentScope(request);
  if (scope !== null && query.department !== undefined && query.department !== scope)
    throw new AppError('FORBIDDEN', 'this department is not yours', 403);
  const outcome = await api.ratings({ from: query.from, to: query.to, department: scope ?? query.department });
  if (outcome.status !== 'ok') return refuse(outcome);
  const { ranked, unranked } = outcome.report;
  return sendRows(request, reply, deps, {
    format: input.format,
    kind: 'ratings',
    columns: ratingColumns(),
    rows: [...ranked, ...unranked],
  });
}

/** Streams the problem list of `query` as CSV or XLSX (roles that see all cases), one row per problem in the list's order. */
export async function sendProblemsExport(
  request: FastifyRequest,
  reply: FastifyReply,
  api: AnalyticsApi,
  deps: AnalyticsExportDeps,
  input: { format: ExportFormat; query: ProblemsExportQuery },
) {
  requireAction(request, 'cases:all');
  const { window, ...rest } = input.query;
  const outcome = await api.problems({ ...rest, windowDays: window });
  if (outcome.status !== 'ok') return refuse(outcome);
  return sendRows(request, reply, deps, {
    format: input.format,
    kind: 'problems',
    columns: problemColumns(domainNames(deps.domain), window),
    rows: outcome.items,
  });
}

/**
 * The ratings (2.2.6) and the problem list (2.2.7) as CSV or XLSX: the same query parameters, the same
 * access rules and the same figures as `GET /api/v1/analytics/ratings` and `GET /api/v1/problems`
 * (the same use cases answer both), one row per department or per problem.
 */
export function analyticsExportRoutes(api: AnalyticsApi, deps: AnalyticsExportDeps | (() => AnalyticsExportDeps)) {
  const get = typeof deps === 'function' ? deps : () => deps;
  const ratingsExport = (format: ExportFormat) => (request: FastifyRequest, reply: FastifyReply) =>
    sendRatingsExport(request, reply, api, get(), { format, query: parseInput(ratingsQuery, request.query) });
  const problemsExport = (format: ExportFormat) => (request: FastifyRequest, reply: FastifyReply) => {
    // The role first: a refused caller learns nothing about the query's validity.
    requireAction(request, 'cases:all');
    return sendProblemsExport(request, reply, api, get(), { format, query: parseInput(problemsQuery, request.query) });
  };

  return (app: FastifyInstance) => {
    // Each path written out, so the API's input test and the OpenAPI check find it.
    app.get('/api/v1/exports/ratings.csv', ratingsExport('csv'));
    app.get('/api/v1/exports/ratings.xlsx', ratingsExport('xlsx'));
    app.get('/api/v1/exports/problems.csv', problemsExport('csv'));
    app.get('/api/v1/exports/problems.xlsx', problemsExport('xlsx'));
  };
}
