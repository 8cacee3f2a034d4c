import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DepartmentRating, RatingsReport } from '../../../../handlers/analytics/index.js';
import { AppError } from '../../../errors.js';
import { departmentScope } from '../../../http/principal.js';
import { sendRatingsExport } from '../../../http/routes/analytics-exports.js';
import { sparkline } from '../../charts.js';
import type { ConsoleDeps } from '../../deps.js';
import { number } from '../../format.js';
import { departmentTitle, renderPage } from '../../render.js';
import { markdownToHtml } from './markdown.js';
import { cityToday, type Period, periodsBefore, periodTitle, presets, readPeriod } from './period.js';

/** Periods in a sparkline: the one shown, the ratings' previous one and this many before them. */
const OLDER_PERIODS = 4;

const workingHours = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });
/** Working hours as «12,5 ч» (the ratings count working time, not calendar time). */
const wh = (h: number | null) => (h === null ? '—' : `${workingHours.format(h)} ч`);

export interface RatingRow extends DepartmentRating {
  /** The score from the oldest period to the one shown. */
  history: (number | null)[];
  sparkline: string;
}

/**
 * Рейтинги: the departments' ratings for a period (regulation 2.2.6) — every figure of the API's
 * report, a sparkline of the score over the last periods of the same length, the methodology one
 * click away, and CSV/XLSX of the same rows. A person who sees only their department gets its row,
 * ranked among all (the API's rule).
 */
export function ratingsPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/ratings', async (request, reply) => {
    const scope = departmentScope(request);
    const read = readPeriod(request.query, deps, 'this-month');
    if (!read.ok) return page(reply, request, deps, { scope, errors: read.errors, values: read.values }, 400);
    const { period } = read;
    const [outcome, history] = await Promise.all([
      deps.analytics.ratings({ from: period.from, to: period.to, ...(scope ? { department: scope } : {}) }),
      deps.analytics.scoreHistory({
        periods: periodsBefore(
          { from: new Date(2 * period.from.getTime() - period.to.getTime()), to: period.from },
          OLDER_PERIODS,
        ),
        ...(scope ? { department: scope } : {}),
      }),
    ]);
    if (outcome.status !== 'ok') throw new AppError(outcome.code, outcome.message, 400);
    const older = history.status === 'ok' ? history.scores : new Map<string, (number | null)[]>();
    const withTrend = async (r: DepartmentRating): Promise<RatingRow> => {
      const line = [...(older.get(r.department) ?? Array(OLDER_PERIODS).fill(null)), r.trend.previousScore, r.score];
      return { ...r, history: line, sparkline: await sparkline(line, sparklineWords(line)) };
    };
    const ranked: RatingRow[] = [];
    const unranked: RatingRow[] = [];
    for (const r of outcome.report.ranked) ranked.push(await withTrend(r));
    for (const r of outcome.report.unranked) unranked.push(await withTrend(r));
    return page(reply, request, deps, { scope, period, report: outcome.report, ranked, unranked });
  });

  app.get('/ratings/methodology', async (request, reply) => {
    departmentScope(request);
    return renderPage(reply, request, deps, 'ratings-methodology', {
      title: 'Методика рейтингов',
      section: 'ratings',
      html: await methodologyHtml(),
    });
  });

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/ratings.${format}`, async (request, reply) => {
      const read = readPeriod(request.query, deps, 'this-month');
      if (!read.ok) throw new AppError('VALIDATION_FAILED', 'invalid period', 400);
      return sendRatingsExport(request, reply, deps.analytics, deps, {
        format,
        query: { from: read.period.from, to: read.period.to },
      });
    });
  }
}

function page(
  reply: FastifyReply,
  request: FastifyRequest,
  deps: ConsoleDeps,
  data: {
    scope: string | null;
    period?: Period;
    report?: RatingsReport;
    ranked?: RatingRow[];
    unranked?: RatingRow[];
    errors?: Record<string, string>;
    values?: Record<string, unknown>;
  },
  status = 200,
) {
  const { period } = data;
  return renderPage(
    reply,
    request,
    deps,
    'ratings',
    {
      title: 'Рейтинги',
      section: 'ratings',
      scopeName: data.scope ? departmentTitle(deps, data.scope) : null,
      period: period ?? null,
      periodTitle: period ? periodTitle(period) : '',
      filters: period ? { from: period.fromDay, to: period.toDay } : (data.values ?? {}),
      errors: data.errors ?? {},
      presets: presets(cityToday(deps)),
      action: '/console/ratings',
      report: data.report ?? null,
      ranked: data.ranked ?? [],
      unranked: data.unranked ?? [],
      wh,
      headOfDepartment: request.console?.person.role === 'department_head',
    },
    status,
  );
}

/** «Балл по периодам, от раннего к текущему: 71,2; нет данных; 80,1». */
export function sparklineWords(values: readonly (number | null)[]): string {
  return `Балл по периодам, от раннего к текущему: ${values.map((v) => (v === null ? 'нет данных' : number(v))).join('; ')}`;
}

let methodology: Promise<string> | undefined;
/** The methodology page of the documentation as HTML, read once (it changes with a release, not at run time). */
function methodologyHtml(): Promise<string> {
  methodology ??= readFile(new URL('../../../../docs/architecture/ratings.md', import.meta.url), 'utf8').then(markdownToHtml);
  methodology.catch(() => {
    methodology = undefined;
  });
  return methodology;
}
