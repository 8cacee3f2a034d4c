import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../deps.js';
import { heatmapPages } from './analytics/heatmap.js';
import { problemsPages } from './analytics/problems.js';
import { ratingsPages } from './analytics/ratings.js';
import { recommendationsPages } from './analytics/recommendations.js';

/** Ratings, problems, the heat map and recommendations: the analytics' pages over the API's use cases. */
export function analyticsPages(app: FastifyInstance, deps: ConsoleDeps): void {
  ratingsPages(app, deps);
  problemsPages(app, deps);
  heatmapPages(app, deps);
  recommendationsPages(app, deps);
}
