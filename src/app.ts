import type { FastifyInstance } from 'fastify';
import type { DomainConfig } from '../config/domain.js';
import type { AppConfig } from '../config/index.js';
import { bindFollowUps, bindIntake, type IntakeApi } from '../handlers/intake/index.js';
import type { RetrainOutcome } from '../handlers/structuring/index.js';
import type { Clock } from '../lib/clock.js';
import type { WorkingCalendar } from '../lib/deadlines/index.js';
import type { DatabaseHandle } from '../models/database.js';
import { pingDatabase } from '../models/database.js';
import { pendingMigrations } from '../models/migrate.js';
import { resumeBroadcastsAtStart } from './compose/broadcasts.js';
import { startDatabase } from './compose/database.js';
import { intakeDeps } from './compose/deps.js';
import { startHttp } from './compose/http.js';
import { type Accept, createAccept, startInbox } from './compose/inbox.js';
import type { MessengerIntake } from './compose/messenger.js';
import { broadcastPort, MESSENGERS, parkedNotices } from './compose/messengers.js';
import type { AppOptions } from './compose/options.js';
import { Runtime } from './compose/runtime.js';
import { applySchedules } from './compose/schedules.js';
import { loadModels, retrain } from './compose/structuring.js';
import { registerWorkers, workers } from './compose/workers.js';
import { resolveApiToken } from './http/api-token.js';
import type { AppMetrics } from './http/metrics.js';
import type { HealthReport } from './http/routes/health.js';
import { QueueService } from './jobs/queue.js';
import type { Logger } from './logger.js';
import type { MaxApiFake } from './sandbox/max-fake.js';
import { Sandbox } from './sandbox/sandbox.js';
import type { SimulatedCitizens } from './sandbox/simulated-citizens.js';
import type { SimulatedOfficials } from './sandbox/simulated-officials.js';
import type { TelegramEmulator } from './sandbox/telegram-emulator.js';

export type { AppOptions } from './compose/options.js';

export interface RunningInfo {
  httpUrl: string | null;
  apiToken: string;
  apiTokenGenerated: boolean;
  sandbox: { telegramApiRoot: string; botToken: string; maxApiBaseUrl: string | null } | null;
}

/**
 * Intake group commit: a message waits at most 5 ms for companions. Two writers at a time leave
 * the rest of the pool (10) to workers and the API.
 */
const INTAKE_BATCHING = { maxWaitMs: 5, maxSize: 200, maxInFlight: 2 };

/**
 * The app's lifecycle: start() brings the parts up in dependency order and can be interrupted by
 * stop(); stop() takes them down in reverse — intake, workers, database. What each part is made of
 * is wired in src/compose/ (one file per concern); the sandbox wraps the app (src/sandbox/sandbox.ts).
 */
export class App {
  readonly #rt: Runtime;
  readonly #sandbox: Sandbox | null;
  readonly #apiToken: { token: string; generated: boolean };
  readonly #stopController = new AbortController();
  readonly #accept: Accept;
  #http: FastifyInstance | null = null;
  /** The messengers' running intakes (pollers), by name. */
  readonly #intakes = new Map<string, MessengerIntake>();
  #modelRefresh: NodeJS.Timeout | null = null;
  #stopping: Promise<void> | null = null;
  /** Names of the parts stopped, in order: the shutdown test reads it. */
  readonly stopOrder: string[] = [];

  constructor(config: AppConfig, domain: DomainConfig, log: Logger, options: AppOptions = {}) {
    // The sandbox runs a drill: minutes instead of working days, so reminders, escalations and
    // polls happen while one watches. Never outside the sandbox.
    this.#sandbox = Sandbox.for(config, options);
    const sandbox = this.#sandbox;
    this.#rt = new Runtime(
      config,
      sandbox ? sandbox.domain(domain) : domain,
      log,
      options,
      this.#stopController.signal,
      sandbox?.drill.pollDelayMs,
    );
    const rt = this.#rt;
    rt.broadcastSenders = () => broadcastPort(rt).channels();
    this.#apiToken = resolveApiToken(config.apiToken, config.dataDir);
    this.#accept = createAccept(this.#rt);
  }

  get config(): AppConfig {
    return this.#rt.config;
  }
  get domain(): DomainConfig {
    return this.#rt.domain;
  }
  get log(): Logger {
    return this.#rt.log;
  }
  get clock(): Clock {
    return this.#rt.clock;
  }
  get metrics(): AppMetrics {
    return this.#rt.metrics;
  }
  get calendar(): WorkingCalendar {
    return this.#rt.calendar;
  }
  get predictor(): Runtime['predictor'] {
    return this.#rt.predictor;
  }
  get database(): DatabaseHandle | null {
    return this.#rt.database;
  }
  get queue(): QueueService | null {
    return this.#rt.queue;
  }
  get emulator(): TelegramEmulator | null {
    return this.#sandbox?.emulator ?? null;
  }
  /** The sandbox's MAX Bot API fake (null outside the sandbox, or with a real MAX token). */
  get maxFake(): MaxApiFake | null {
    return this.#sandbox?.maxFake ?? null;
  }
  get citizens(): SimulatedCitizens | null {
    return this.#sandbox?.citizens ?? null;
  }
  get officials(): SimulatedOfficials | null {
    return this.#sandbox?.officials ?? null;
  }
  /** The bot's username once it is running here (invite links need it), else null. */
  get botUsername(): string | null {
    return this.#rt.botUsername;
  }
  /** The bound intake use cases (tests and in-process tools); throws before the queue is up. */
  intakeApi(): IntakeApi {
    if (!this.#rt.intake) throw new Error('intake not ready');
    return this.#rt.intake;
  }

  get info(): RunningInfo {
    const address = this.#http?.server.address();
    const emulator = this.emulator;
    return {
      httpUrl: address && typeof address === 'object' ? `http://${address.address}:${address.port}` : null,
      apiToken: this.#apiToken.token,
      apiTokenGenerated: this.#apiToken.generated,
      sandbox: emulator
        ? { telegramApiRoot: emulator.apiRoot, botToken: emulator.token, maxApiBaseUrl: this.maxFake?.baseUrl ?? null }
        : null,
    };
  }

  has(role: AppConfig['roles'][number]): boolean {
    return this.#rt.has(role);
  }

  /** Brings the platform up. HTTP comes first so /health answers 503 while the database starts. */
  async start(): Promise<void> {
    const rt = this.#rt;
    await this.#sandbox?.beforeStart(rt);
    if (rt.has('http')) this.#http = await startHttp(rt, this.#accept, () => this.health(), this.#apiToken.token);
    await startDatabase(rt);
    if (rt.stopped) return;
    await this.#startQueue();
    // Each configured messenger in list order: its inbox decider (worker role), its poller (its own role).
    for (const messenger of MESSENGERS) {
      if (rt.stopped) return;
      const intake = messenger.configured(rt) ? await messenger.start(rt, this.#accept) : null;
      if (intake) this.#intakes.set(messenger.name, intake);
    }
    if (!rt.stopped) await this.#sandbox?.afterStart(rt);
  }

  /** The queue, the classifier, the bound intake and — with the worker role — the inbox, workers and schedules. */
  async #startQueue(): Promise<void> {
    const rt = this.#rt;
    const connectionString = rt.config.databaseUrl ?? rt.embedded?.connectionString;
    if (!connectionString) return;
    const log = rt.log.child({ part: 'queue' });
    const queue = new QueueService(connectionString, log);
    rt.queue = queue;
    await queue.start();
    this.#modelRefresh = await loadModels(rt, log);
    const intake = intakeDeps(rt, queue);
    rt.intake = bindIntake(intake, rt.options.intakeBatching === false ? undefined : INTAKE_BATCHING);
    rt.followUps = bindFollowUps(intake);
    if (rt.has('worker')) {
      startInbox(rt, parkedNotices(rt));
      await registerWorkers(queue, workers(rt, intake));
      await applySchedules(rt, queue);
      await resumeBroadcastsAtStart(rt);
    }
    rt.queueState = 'ok';
    log.info({ worker: rt.has('worker') }, 'queue ready');
  }

  /** Stops intake first, then workers, then the database. Idempotent; safe during start(). */
  stop(): Promise<void> {
    this.#stopping ??= this.#stopAll();
    return this.#stopping;
  }

  async health(): Promise<HealthReport> {
    const rt = this.#rt;
    let db = rt.dbState;
    if (db === 'ok' && rt.database) {
      db = await pingDatabase(rt.database.db, 1_500).then(
        () => 'ok' as const,
        () => 'down' as const,
      );
    }
    let queue = rt.queueState;
    if (queue === 'ok') {
      queue =
        db === 'ok' && rt.queue
          ? await rt.queue.ping().then(
              () => 'ok' as const,
              () => 'down' as const,
            )
          : 'down';
    }
    let migrations: HealthReport['migrations'] = 'unknown';
    if (db === 'ok' && rt.database)
      migrations = await pendingMigrations(rt.database.db).then(
        (pending) => (pending.length === 0 ? 'ok' : 'pending'),
        () => 'unknown' as const,
      );
    return { db, queue, migrations };
  }

  /** Adapts the classifier to the operators' corrections and switches if not worse (job and API). */
  retrainClassifier(log: Logger = this.log): Promise<RetrainOutcome> {
    return retrain(this.#rt, log);
  }

  async #stopAll(): Promise<void> {
    const rt = this.#rt;
    this.#stopController.abort();
    if (this.#modelRefresh) clearInterval(this.#modelRefresh);
    const step = async (name: string, fn: () => Promise<unknown> | unknown) => {
      try {
        await fn();
      } catch (error) {
        rt.log.warn({ err: error, part: name }, 'error while stopping');
      }
      this.stopOrder.push(name);
    };
    // 1. intake: no new updates are accepted — each messenger's poller, one step by its name, in list
    // order; then HTTP (webhook requests in flight finish first).
    await step('sandbox-citizens', () => this.#sandbox?.stopPeople());
    for (const messenger of MESSENGERS) await step(messenger.name, () => this.#intakes.get(messenger.name)?.stop());
    await step('http', () => this.#http?.close());
    // 2. the inbox: decisions in progress finish (they may still talk to the platform, so before the
    // sandbox's emulator goes); what is left waits in the inbox for the next start.
    await step('inbox', () => rt.inbox?.stop());
    await step('sandbox-emulator', () => this.#sandbox?.stopEmulator());
    // 3. workers: running jobs get a few seconds to finish; unfinished ones are retried later.
    await step('queue', () => rt.queue?.stop(4_000));
    // 4. the database.
    await step('database', () => rt.database?.close());
    await step('embedded-postgres', () => rt.embedded?.stop());
  }
}
