import type { FastifyInstance } from 'fastify';
import { HEAT_METRICS, type HeatMetric, type HeatmapReport } from '../../../../handlers/analytics/index.js';
import { AppError } from '../../../errors.js';
import { requireAction } from '../../../http/principal.js';
import { choropleth, heatLegend, heatLevel } from '../../charts.js';
import type { ConsoleDeps } from '../../deps.js';
import { number } from '../../format.js';
import { renderPage } from '../../render.js';
import { cityToday, type Period, periodTitle, presets, readPeriod } from './period.js';

export const METRIC_NAMES: Record<HeatMetric, string> = {
  count: 'Обращений',
  per10k: 'На 10 000 жителей',
  overdue: 'Просрочено',
};

/** One cell of the grid as the page shows it: the value, its shade and the cases list it opens. */
export interface GridCell {
  value: number | null;
  cases: number;
  background: string;
  color: string;
  href: string;
  label: string;
}

/**
 * Карта: the district × category grid of the cases registered in the period (regulation 2.2.7), by
 * count, per 10,000 residents or overdue; each cell opens the cases list for the same district,
 * category and days, without merged duplicates — the cases the cell counts. With district boundaries
 * in the domain file, a map of the districts' totals too. Roles that see all cases (the API's rule).
 */
export function heatmapPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/heatmap', async (request, reply) => {
    requireAction(request, 'cases:all');
    const q = (request.query ?? {}) as Record<string, unknown>;
    const metric = (HEAT_METRICS as readonly string[]).includes(String(q.metric)) ? (q.metric as HeatMetric) : 'count';
    const read = readPeriod(q, deps, 'this-month');
    const base = {
      title: 'Карта обращений',
      section: 'heatmap',
      errors: read.ok ? {} : read.errors,
      presets: presets(cityToday(deps)),
      action: '/console/heatmap',
      keep: { metric: metric === 'count' ? undefined : metric },
      selects: [
        {
          name: 'metric',
          label: 'Показатель',
          value: metric,
          options: HEAT_METRICS.map((m) => ({ value: m, label: METRIC_NAMES[m] })),
        },
      ],
      metric,
      metricName: METRIC_NAMES[metric],
    };
    if (!read.ok) return renderPage(reply, request, deps, 'heatmap', { ...base, filters: read.values, grid: null }, 400);
    const { period } = read;
    const outcome = await deps.analytics.heatmap({
      from: period.from,
      to: period.to,
      metric,
      boundaries: deps.boundaries.length > 0,
    });
    if (outcome.status !== 'ok') throw new AppError(outcome.code, outcome.message, 400);
    const grid = gridOf(outcome.report, period);
    const map = outcome.report.boundaries
      ? await choropleth(
          {
            type: 'FeatureCollection',
            features: outcome.report.boundaries.features.map((f) => ({
              type: 'Feature',
              properties: { name: f.properties.name, value: f.properties.value },
              geometry: f.geometry,
            })),
          },
          grid.totalMax,
          {
            source: deps.boundaries,
            format: (v) => (v === null ? 'нет данных' : number(v)),
            label: `Карта районов, ${METRIC_NAMES[metric].toLowerCase()} за период: ${outcome.report.totals
              .map(
                (t) =>
                  `${grid.districtNames.get(t.district) ?? t.district} — ${t.value === null ? 'нет данных' : number(t.value)}`,
              )
              .join('; ')}`,
          },
        )
      : null;
    return renderPage(reply, request, deps, 'heatmap', {
      ...base,
      filters: { from: period.fromDay, to: period.toDay },
      periodTitle: periodTitle(period),
      grid,
      map,
    });
  });
}

/** The grid with categories as rows and districts as columns (29 × 5 reads better than 5 × 29), shaded on one scale. */
function gridOf(report: HeatmapReport, period: Period) {
  const max = Math.max(0, ...report.values.flat().map((v) => v ?? 0));
  const totalMax = Math.max(0, ...report.totals.map((t) => t.value ?? 0));
  const cases = new Map(report.cells.map((c) => [`${c.district}|${c.category}`, c.cases]));
  const rows = report.categories.map((category, j) => ({
    category,
    cells: report.districts.map((district, i): GridCell => {
      const value = report.values[i]?.[j] ?? null;
      const n = cases.get(`${district.id}|${category.id}`) ?? 0;
      const shade = heatLevel(value, max);
      return {
        value,
        cases: n,
        background: shade.background,
        color: shade.color,
        href: `/console/cases?${new URLSearchParams({
          district: district.id,
          category: category.id,
          from: period.fromDay,
          to: period.toDay,
          merged: 'no',
        })}`,
        label: `${district.name}, ${category.name}: ${n} ${casesWord(n)} — открыть список`,
      };
    }),
  }));
  return {
    districts: report.districts,
    districtNames: new Map(report.districts.map((d) => [d.id, d.name])),
    rows,
    totals: report.totals,
    legend: heatLegend(max),
    mapLegend: heatLegend(totalMax),
    max,
    totalMax,
  };
}

/** «1 обращение», «2 обращения», «5 обращений». */
export function casesWord(n: number): string {
  const tens = n % 100;
  const ones = n % 10;
  if (tens >= 11 && tens <= 14) return 'обращений';
  if (ones === 1) return 'обращение';
  if (ones >= 2 && ones <= 4) return 'обращения';
  return 'обращений';
}
