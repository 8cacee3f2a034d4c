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

/**
 * The ratings (2.2.6) and the problem list (2.2.7) as CSV or XLSX: the same query parameters, the same
 * access rules and the same figures as `GET /api/v1/analytics/ratings` and `GET /api/v1/problems`
 * (the same use cases answer both), one row per department or per problem.
 */
export function analyticsExportRoutes(api: AnalyticsApi, deps: AnalyticsExportDeps | (() => AnalyticsExportDeps)) {
  const get = typeof deps === 'function' ? deps : () => deps;

  const send = <Row>(
    request: FastifyRequest,
    reply: FastifyReply,
    format: ExportFormat,
    kind: 'ratings' | 'problems',
    columns: readonly ExportColumn<Row>[],
    rows: readonly Row[],
  ) => {
    const { clock, domain } = get();
    return sendExport(request, reply, {
      format,
      name: FILE_NAMES[kind],
      sheetName: SHEET_NAMES[kind],
      columns,
      pages: onePage(rows),
      timeZone: domain.city.timezone,
      now: clock.now(),
    });
  };

  const ratingsExport = (format: ExportFormat) => async (request: FastifyRequest, reply: FastifyReply) => {
    const q = parseInput(ratingsQuery, request.query);
    const scope = departmentScope(request);
    if (scope !== null && q.department !== undefined && q.department !== scope)
      throw new AppError('FORBIDDEN', 'this department is not yours', 403);
    const outcome = await api.ratings({ from: q.from, to: q.to, department: scope ?? q.department });
    if (outcome.status !== 'ok') return refuse(outcome);
    const { ranked, unranked } = outcome.report;
    return send(request, reply, format, 'ratings', ratingColumns(), [...ranked, ...unranked]);
  };

  const problemsExport = (format: ExportFormat) => async (request: FastifyRequest, reply: FastifyReply) => {
    requireAction(request, 'cases:all');
    const { window, ...rest } = parseInput(problemsQuery, request.query);
    const outcome = await api.problems({ ...rest, windowDays: window });
    if (outcome.status !== 'ok') return refuse(outcome);
    return send(request, reply, format, 'problems', problemColumns(domainNames(get().domain), window), outcome.items);
  };

  return (app: FastifyInstance) => {
    // Each path written out, so the API's input test and the OpenAPI check find it.
    app.get('/api/v1/exports/ratings.csv', ratingsExport('csv'));
    app.get('/api/v1/exports/ratings.xlsx', ratingsExport('xlsx'));
    app.get('/api/v1/exports/problems.csv', problemsExport('csv'));
    app.get('/api/v1/exports/problems.xlsx', problemsExport('xlsx'));
  };
}
