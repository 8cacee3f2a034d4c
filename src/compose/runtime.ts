import { dirname, resolve } from 'node:path';
import { type DistrictBoundary, loadBoundaries } from '../../config/boundaries.js';
import { loadProductionCalendar, productionCalendarFiles } from '../../config/calendar.js';
import type { DomainConfig } from '../../config/domain.js';
import type { AppConfig, TelegramConfig } from '../../config/index.js';
import type { InboxWorker } from '../../handlers/inbox/index.js';
import type { FollowUpsApi, IntakeApi } from '../../handlers/intake/index.js';
import { type IntentScorer, PredictorHolder } from '../../handlers/structuring/index.js';
import type { Classifier } from '../../lib/classifier/index.js';
import { type Clock, systemClock } from '../../lib/clock.js';
import { calendarMs, WorkingCalendar } from '../../lib/deadlines/index.js';
import type { BroadcastChannel } from '../../models/broadcast.js';
import type { DatabaseHandle } from '../../models/database.js';
import type { EmbeddedPostgres } from '../../models/embedded-postgres.js';
import { type AppMetrics, createMetrics } from '../http/metrics.js';
import type { PartState } from '../http/routes/health.js';
import type { QueueService } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import { metricsSnapshot } from './metrics-snapshot.js';
import type { AppOptions } from './options.js';

/**
 * What the running parts share: the configuration, the city's domain and calendar, and the parts as
 * they come up (database, queue, bound features; the messengers' clients and the channel port through
 * `shared`). Each concern in src/compose/ reads what it needs from here; src/app.ts only starts and
 * stops them in order.
 */
export class Runtime {
  readonly config: AppConfig;
  readonly domain: DomainConfig;
  readonly log: Logger;
  readonly clock: Clock;
  readonly options: AppOptions;
  readonly metrics: AppMetrics;
  /** Working time of the city administration on the production calendar. */
  readonly calendar: WorkingCalendar;
  /** The production-calendar files it was read from, in order (the settings page lists them). */
  readonly calendarFiles: readonly string[];
  readonly boundaries: DistrictBoundary[];
  readonly predictor = new PredictorHolder();
  /** How long after a final answer the poll is asked (answers.pollDelay, or the sandbox drill's). */
  readonly pollDelayMs: number | undefined;
  readonly stopSignal: AbortSignal;

  telegram: TelegramConfig | null;
  /** The operators' chat when TELEGRAM_OPERATORS_CHAT_ID is not set (the sandbox's simulated chat). */
  fallbackOperatorsChatId: number | null = null;
  embedded: EmbeddedPostgres | null = null;
  database: DatabaseHandle | null = null;
  queue: QueueService | null = null;
  dbState: PartState = 'starting';
  queueState: PartState = 'starting';
  intake: IntakeApi | null = null;
  /** «Дополнение к обращению …» / «Новое обращение» under a follow-up about something else (both bots). */
  followUps: FollowUpsApi | null = null;
  /** Decides the stored inbound events (instances with the worker role). */
  inbox: InboxWorker | null = null;
  baseClassifier: Classifier | null = null;
  intentScorer: IntentScorer | null = null;
  /** The Telegram bot's username once it runs here (invite links need it). */
  botUsername: string | null = null;
  /** The MAX bot's username once it runs here (set by the MAX messenger at start; invite links need it). */
  maxBotUsername: string | null = null;
  /**
   * The messengers this instance sends broadcasts on (set by the app from its messengers), for the
   * preview's warning; null before that.
   */
  broadcastSenders: (() => readonly BroadcastChannel[]) | null = null;
  readonly #shared = new Map<(rt: Runtime) => unknown, unknown>();

  constructor(
    config: AppConfig,
    domain: DomainConfig,
    log: Logger,
    options: AppOptions,
    stopSignal: AbortSignal,
    pollDelayMs: number | undefined,
  ) {
    this.config = config;
    this.domain = domain;
    this.log = log;
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.stopSignal = stopSignal;
    this.telegram = config.telegram;
    const pollDelay = domain.answers?.pollDelay;
    this.pollDelayMs = pollDelayMs ?? (pollDelay ? calendarMs(pollDelay) : undefined);
    // The domain file's calendars, then the one `mcu calendar import` writes under DATA_DIR.
    this.calendarFiles = productionCalendarFiles(config, domain);
    this.calendar = cityCalendar(this.calendarFiles, domain, log);
    const boundaries = domain.structuring?.boundaries;
    // Validated now, so a broken boundary file stops the start with its problems listed.
    this.boundaries = boundaries
      ? loadBoundaries(
          resolve(dirname(config.domainConfigPath), boundaries),
          domain.districts.map((d) => d.id),
        )
      : [];
    this.metrics = createMetrics(() => metricsSnapshot(this));
  }

  get stopped(): boolean {
    return this.stopSignal.aborted;
  }

  has(role: AppConfig['roles'][number]): boolean {
    return this.config.roles.includes(role);
  }

  /**
   * What `make` builds for this runtime, built on first use and then kept: the messengers' clients
   * and the channel port, one each per instance (the VK long poll and the VK sender share one client,
   * so one rate limit). First used once start() is under way, after the sandbox has set the Telegram
   * configuration. `make` is the key: pass a module-level function, not a new arrow.
   */
  shared<T>(make: (rt: Runtime) => T): T {
    if (!this.#shared.has(make)) this.#shared.set(make, make(this));
    return this.#shared.get(make) as T;
  }
}

function cityCalendar(calendars: readonly string[], domain: DomainConfig, log: Logger): WorkingCalendar {
  const warnedYears = new Set<number>();
  return WorkingCalendar.forCity(domain.city, loadProductionCalendar(calendars), (year) => {
    if (warnedYears.has(year)) return;
    warnedYears.add(year);
    log.warn(
      { year },
      'the production calendar has no such year: using the Labour Code holidays (art. 112) only, deadlines marked provisional; add the year with "mcu calendar import"',
    );
  });
}
