import type { FastifyInstance } from 'fastify';
import { bindAnalytics } from '../../handlers/analytics/index.js';
import { bindBroadcasts } from '../../handlers/broadcasts/index.js';
import { refreshPage } from '../../handlers/page-monitoring/index.js';
import { bindPages } from '../../handlers/pages/index.js';
import { personByApiToken } from '../../handlers/people/index.js';
import { calendarReadiness } from '../../lib/deadlines/index.js';
import { consoleRoutes } from '../console/index.js';
import { createRateLimits } from '../http/rate-limits.js';
import { analyticsRoutes } from '../http/routes/analytics.js';
import { analyticsExportRoutes } from '../http/routes/analytics-exports.js';
import { answerRoutes } from '../http/routes/answers.js';
import { broadcastRoutes } from '../http/routes/broadcasts.js';
import { caseActionRoutes } from '../http/routes/case-actions.js';
import { caseRoutes } from '../http/routes/cases.js';
import { citizenRoutes } from '../http/routes/citizens.js';
import { deadLetterRoutes } from '../http/routes/dead-letters.js';
import { exportRoutes } from '../http/routes/exports.js';
import type { HealthReport } from '../http/routes/health.js';
import { ingestRoutes } from '../http/routes/ingest.js';
import { openApiRoutes } from '../http/routes/openapi.js';
import { pageRoutes } from '../http/routes/pages.js';
import { peopleRoutes } from '../http/routes/people.js';
import { structuringRoutes } from '../http/routes/structuring.js';
import { createHttpServer } from '../http/server.js';
import { version } from '../version.js';
import { deadLetterDeps, featureDeps, handlerDeps, queryDeps } from './deps.js';
import type { Accept } from './inbox.js';
import { ingestApi } from './ingest.js';
import { messengerWebhooks, replaySources } from './messengers.js';
import { pageMonitoringDeps } from './page-monitoring.js';
import type { Runtime } from './runtime.js';
import { retrain } from './structuring.js';
import { officialsPhotos } from './telegram.js';

/**
 * The HTTP server: health and status, the API, and the platforms' webhooks. It listens before the
 * database is up, so /health answers 503 and webhooks ask the platform to re-send until it is.
 */
export async function startHttp(
  rt: Runtime,
  accept: Accept,
  health: () => Promise<HealthReport>,
  apiToken: string,
): Promise<FastifyInstance> {
  const startedAt = Date.now();
  const sources = replaySources();
  // One binding for the analytics' JSON routes and their exports: the same use cases answer both.
  const analytics = bindAnalytics(() => ({
    ...queryDeps(rt),
    calendar: rt.calendar,
    domain: rt.domain,
    boundaries: rt.boundaries,
  }));
  const broadcasts = bindBroadcasts(
    () => handlerDeps(rt),
    () => rt.broadcastSenders?.() ?? [],
  );
  // The registry of official pages reads and writes with the database alone (no queue): the API and the console.
  const pages = bindPages(() => ({ ...queryDeps(rt), domain: rt.domain }));
  const http = await createHttpServer(
    {
      log: rt.log.child({ part: 'http' }),
      metrics: rt.metrics,
      apiToken,
      personByToken: (token) => personByApiToken(queryDeps(rt), token),
      health,
      live: () => !rt.stopped,
      // Next year's production calendar missing (from 1 October): a warning, not «not ready» — the Labour Code
      // fallback still counts deadlines, marked provisional.
      readinessWarnings: () => calendarReadiness(rt.calendar, rt.clock.now()).warnings,
      trustProxy: rt.config.httpLimits.trustProxy,
      rateLimits: createRateLimits(rt.config.httpLimits, rt.clock),
      status: () => ({
        version,
        roles: rt.config.roles,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        sandbox: rt.config.sandbox,
      }),
    },
    [
      // The webhook routes exist from the first second; until the database is up they answer 503.
      ...messengerWebhooks(rt, accept),
      caseRoutes(() => queryDeps(rt)),
      exportRoutes(() => ({ ...queryDeps(rt), domain: rt.domain })),
      structuringRoutes(() => ({
        ...queryDeps(rt),
        domain: rt.domain,
        retrain: () => retrain(rt),
        ...(rt.queue ? { actions: handlerDeps(rt) } : {}),
      })),
      peopleRoutes(() => ({
        ...queryDeps(rt),
        domain: rt.domain,
        botUsername: rt.botUsername,
        maxBotUsername: rt.maxBotUsername,
      })),
      answerRoutes(() => featureDeps(rt)),
      caseActionRoutes(() => ({ actions: handlerDeps(rt), answers: featureDeps(rt) })),
      deadLetterRoutes(() => deadLetterDeps(rt, sources)),
      // A citizen's personal data on their request: lookup, export, anonymise (docs/operations/personal-data.md).
      citizenRoutes({ query: () => queryDeps(rt), actions: () => handlerDeps(rt) }),
      analyticsRoutes(analytics),
      analyticsExportRoutes(analytics, () => ({ clock: rt.clock, domain: rt.domain })),
      ingestRoutes(ingestApi(rt)),
      broadcastRoutes(broadcasts, () => ({ clock: rt.clock, domain: rt.domain })),
      // POST /api/v1/pages/:id/refresh runs monitoring's round for one page (503 until the database and queue are up).
      pageRoutes(pages, () => ({
        clock: rt.clock,
        domain: rt.domain,
        refresh: (pageId) => refreshPage(pageMonitoringDeps(rt), pageId),
      })),
      openApiRoutes(version),
      consoleRoutes({
        query: () => queryDeps(rt),
        actions: () => featureDeps(rt),
        analytics,
        broadcasts,
        pages,
        domain: rt.domain,
        domainPath: rt.config.domainConfigPath,
        calendarFiles: rt.calendarFiles,
        boundaries: rt.boundaries,
        clock: rt.clock,
        consoleUrl: rt.config.consoleUrl,
        botUsername: () => rt.botUsername,
        maxBotUsername: () => rt.maxBotUsername,
        telegramFile: () => officialsPhotos(rt),
      }),
      ...(rt.options.extraRoutes ?? []),
    ],
  );
  await http.listen({ host: rt.config.http.host, port: rt.config.http.port });
  return http;
}
