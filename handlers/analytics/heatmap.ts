import type { DistrictBoundary } from '../../config/boundaries.js';
import { heatCells } from '../../models/analytics-heatmap.js';
import { factHeatCells } from '../../models/case-facts-query.js';
import { factsReady } from './case-facts.js';
import { checkPeriod, type Invalid } from './period.js';
import type { AnalyticsDeps } from './ratings.js';

export const HEAT_METRICS = ['count', 'per10k', 'overdue'] as const;
export type HeatMetric = (typeof HEAT_METRICS)[number];

/** A GeoJSON FeatureCollection of the districts, each feature carrying its district id, name and total value. */
export interface DistrictGeoJson {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    properties: { district: string; name: string; value: number | null };
    geometry: { type: 'MultiPolygon'; coordinates: [number, number][][][] };
  }[];
}

export interface HeatmapReport {
  period: { from: Date; to: Date };
  metric: HeatMetric;
  districts: { id: string; name: string; population: number | null }[];
  categories: { id: string; name: string }[];
  /** values[i][j]: district i × category j, by the metric (per10k: null where the population is not in the domain file). */
  values: (number | null)[][];
  /** The cells that have cases, with both counts. */
  cells: { district: string; category: string; cases: number; overdue: number; value: number | null }[];
  /** Per district over all categories, by the metric. */
  totals: { district: string; cases: number; overdue: number; value: number | null }[];
  /** With `boundaries: true` and `structuring.boundaries` set in the domain file; null when it is not. */
  boundaries?: DistrictGeoJson | null;
}

export type HeatmapOutcome = { status: 'ok'; report: HeatmapReport } | Invalid;

/**
 * The district × category grid of the cases registered in [from, to) (regulation 2.2.7), by count, per
 * 10,000 residents or overdue; optionally with the district boundaries for a map.
 */
export async function heatmap(
  deps: Pick<AnalyticsDeps, 'db' | 'clock' | 'calendar' | 'domain'> & { boundaries?: readonly DistrictBoundary[] | undefined },
  input: { from: Date; to: Date; metric: string; boundaries?: boolean },
): Promise<HeatmapOutcome> {
  if (!(HEAT_METRICS as readonly string[]).includes(input.metric))
    return { status: 'invalid', code: 'INVALID_METRIC', message: `metric: must be one of ${HEAT_METRICS.join(', ')}` };
  const metric = input.metric as HeatMetric;
  const invalid = checkPeriod(input.from, input.to);
  if (invalid) return invalid;
  const period = { from: input.from, to: input.to, now: deps.clock.now() };
  // From the facts once they are fresh; directly from the cases while a large backlog is rebuilt.
  const cells = (await factsReady(deps)) ? await factHeatCells(deps.db, period) : await heatCells(deps.db, period);
  const population = new Map(deps.domain.districts.map((d) => [d.id, d.population ?? null]));
  const value = (district: string, cases: number, overdue: number): number | null => {
    if (metric === 'count') return cases;
    if (metric === 'overdue') return overdue;
    const people = population.get(district) ?? null;
    return people === null ? null : Math.round((cases / people) * 10_000 * 100) / 100;
  };
  const districts = deps.domain.districts.map((d) => ({ id: d.id, name: d.name, population: d.population ?? null }));
  const categories = deps.domain.categories.map((c) => ({ id: c.id, name: c.name }));
  const cell = (d: string, c: string) => cells.find((x) => x.district === d && x.category === c);
  const totals = districts.map((d) => {
    const mine = cells.filter((x) => x.district === d.id);
    const cases = mine.reduce((s, x) => s + x.cases, 0);
    const overdue = mine.reduce((s, x) => s + x.overdue, 0);
    return { district: d.id, cases, overdue, value: value(d.id, cases, overdue) };
  });
  const report: HeatmapReport = {
    period: { from: input.from, to: input.to },
    metric,
    districts,
    categories,
    values: districts.map((d) =>
      categories.map((c) => {
        const x = cell(d.id, c.id);
        return value(d.id, x?.cases ?? 0, x?.overdue ?? 0);
      }),
    ),
    cells: cells.map((x) => ({ ...x, value: value(x.district, x.cases, x.overdue) })),
    totals,
  };
  if (input.boundaries) {
    const names = new Map(districts.map((d) => [d.id, d.name]));
    report.boundaries =
      deps.boundaries && deps.boundaries.length > 0
        ? {
            type: 'FeatureCollection',
            features: deps.boundaries.map((b) => ({
              type: 'Feature',
              properties: {
                district: b.district,
                name: names.get(b.district) ?? b.district,
                value: totals.find((t) => t.district === b.district)?.value ?? null,
              },
              geometry: { type: 'MultiPolygon', coordinates: b.polygons },
            })),
          }
        : null;
  }
  return { status: 'ok', report };
}
