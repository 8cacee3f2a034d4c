import type { DistrictBoundary } from '../../config/boundaries.js';
import type { DomainConfig } from '../../config/domain.js';
import type { AnalyticsApi } from '../../handlers/analytics/index.js';
import type { AnswerSettings } from '../../handlers/answers/index.js';
import type { BroadcastsApi } from '../../handlers/broadcasts/index.js';
import type { QueryDeps } from '../../handlers/cases/index.js';
import type { HandlerDeps } from '../../handlers/deps.js';
import type { PagesApi } from '../../handlers/pages/index.js';
import type { Clock } from '../../lib/clock.js';

/**
 * What the console's pages use: the same use cases as the API, bound the same way. Each getter is
 * called on every request (503 until the database, or the queue, is up).
 */
export interface ConsoleDeps {
  /** Reads: the database and the clock. */
  query: () => QueryDeps;
  /** Actions: the handlers' deps with the answers' settings (needs the queue). */
  actions: () => HandlerDeps & AnswerSettings;
  analytics: AnalyticsApi;
  broadcasts: BroadcastsApi;
  /** The registry of official pages (Страницы). */
  pages: PagesApi;
  domain: DomainConfig;
  /** The domain file's path, for the settings page's file:line. */
  domainPath: string;
  /** The production-calendar files the app read, in order (default: the domain file's list). */
  calendarFiles?: readonly string[];
  boundaries: readonly DistrictBoundary[];
  clock: Clock;
  /** The console's address (login links); cookies are `Secure` when it is https or `secureCookies` says so. */
  consoleUrl: string;
  /** The bot usernames for invite links on the people page. */
  botUsername: () => string | null;
  maxBotUsername: () => string | null;
  /** Reads a file the Telegram bot received, by its file id (the Bot API's getFile); null without Telegram. */
  telegramFile?: () => ((fileId: string) => Promise<Buffer>) | null;
}
