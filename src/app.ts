import type { FastifyInstance } from 'fastify';
import type { Bot } from 'grammy';
import { createTelegramBot, publishCommands } from '../bots/telegram/create-bot.js';
import { TelegramPoller } from '../bots/telegram/poller.js';
import type { AppConfig, TelegramConfig } from '../config/index.js';
import { type Clock, systemClock } from '../models/clock.js';
import { type DatabaseHandle, openDatabase, pingDatabase } from '../models/database.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../models/embedded-postgres.js';
import { migrateToLatest } from '../models/migrate.js';
import { resolveApiToken } from './http/api-token.js';
import { type AppMetrics, createMetrics } from './http/metrics.js';
import type { HealthReport, PartState } from './http/routes/health.js';
import { telegramWebhookRoute } from './http/routes/telegram-webhook.js';
import { createHttpServer, type HttpPlugin } from './http/server.js';
import { QueueService } from './jobs/queue.js';
import type { Logger } from './logger.js';
import { SimulatedCitizens } from './sandbox/simulated-citizens.js';
import { startTelegramEmulator, type TelegramEmulator } from './sandbox/telegram-emulator.js';
import { version } from './version.js';

export interface AppOptions {
  clock?: Clock;
  /** Sandbox citizens' mean pause between messages (tests make it short). */
  sandboxIntervalMs?: number;
  /** Telegram poll settings (tests shorten the long-poll timeout). */
  pollTimeoutSeconds?: number;
}

export interface RunningInfo {
  httpUrl: string | null;
  apiToken: string;
  apiTokenGenerated: boolean;
  sandbox: { telegramApiRoot: string; botToken: string } | null;
}

/**
 * The one place that wires everything. start() brings parts up in dependency order and can be
 * interrupted by stop(); stop() takes them down in reverse: intake, workers, database.
 */
export class App {
  readonly config: AppConfig;
  readonly log: Logger;
  readonly clock: Clock;
  readonly metrics: AppMetrics;
  readonly #options: AppOptions;
  readonly #startedAt = Date.now();
  readonly #apiToken: { token: string; generated: boolean };
  readonly #stopController = new AbortController();

  #http: FastifyInstance | null = null;
  #embedded: EmbeddedPostgres | null = null;
  #database: DatabaseHandle | null = null;
  #queue: QueueService | null = null;
  #bot: Bot | null = null;
  #poller: TelegramPoller | null = null;
  #emulator: TelegramEmulator | null = null;
  #citizens: SimulatedCitizens | null = null;
  #telegram: TelegramConfig | null;
  #dbState: PartState = 'starting';
  #queueState: PartState = 'starting';
  #stopping: Promise<void> | null = null;
  /** Names of the parts stopped, in order: the shutdown test reads it. */
  readonly stopOrder: string[] = [];

  constructor(config: AppConfig, log: Logger, options: AppOptions = {}) {
    this.config = config;
    this.log = log;
    this.clock = options.clock ?? systemClock;
    this.#options = options;
    this.#telegram = config.telegram;
    this.#apiToken = resolveApiToken(config.apiToken, config.dataDir);
    this.metrics = createMetrics(async () => (this.#queue && this.#queueState === 'ok' ? this.#queue.depths() : {}));
  }

  get database(): DatabaseHandle | null {
    return this.#database;
  }
  get queue(): QueueService | null {
    return this.#queue;
  }
  get emulator(): TelegramEmulator | null {
    return this.#emulator;
  }
  get citizens(): SimulatedCitizens | null {
    return this.#citizens;
  }
  get info(): RunningInfo {
    const address = this.#http?.server.address();
    return {
      httpUrl: address && typeof address === 'object' ? `http://${address.address}:${address.port}` : null,
      apiToken: this.#apiToken.token,
      apiTokenGenerated: this.#apiToken.generated,
      sandbox: this.#emulator ? { telegramApiRoot: this.#emulator.apiRoot, botToken: this.#emulator.token } : null,
    };
  }

  has(role: AppConfig['roles'][number]): boolean {
    return this.config.roles.includes(role);
  }

  /** Brings the platform up. HTTP comes first so /health answers 503 while the database starts. */
  async start(): Promise<void> {
    if (this.config.sandbox && this.has('telegram')) {
      this.#emulator = await startTelegramEmulator();
      this.#telegram = { mode: 'polling', token: this.#emulator.token, apiRoot: this.#emulator.apiRoot };
      this.log.warn(
        'SANDBOX MODE: no real Telegram or VK is contacted; a local Bot API emulator and simulated citizens run instead',
      );
    }
    if (this.#telegram && this.has('telegram')) {
      this.#bot = createTelegramBot(
        { token: this.#telegram.token, apiRoot: this.#telegram.apiRoot },
        { log: this.log.child({ part: 'telegram' }) },
      );
    }
    if (this.has('http')) await this.#startHttp();

    await this.#startDatabase();
    if (this.#stopped()) return;
    await this.#startQueue();
    if (this.#stopped()) return;
    if (this.#bot && this.#telegram) await this.#startTelegram(this.#bot, this.#telegram);
    if (this.#emulator && !this.#stopped()) {
      this.#citizens = new SimulatedCitizens(this.#emulator, this.log.child({ part: 'sandbox' }), {
        intervalMs: this.#options.sandboxIntervalMs ?? 12_000,
      });
      this.#citizens.start();
    }
  }

  /** Stops intake first, then workers, then the database. Idempotent; safe during start(). */
  stop(): Promise<void> {
    this.#stopping ??= this.#stopAll();
    return this.#stopping;
  }

  async health(): Promise<HealthReport> {
    let db = this.#dbState;
    if (db === 'ok' && this.#database) {
      db = await pingDatabase(this.#database.db, 1_500).then(
        () => 'ok' as const,
        () => 'down' as const,
      );
    }
    let queue = this.#queueState;
    if (queue === 'ok') queue = db === 'ok' ? 'ok' : 'down';
    return { db, queue };
  }

  #stopped(): boolean {
    return this.#stopController.signal.aborted;
  }

  async #startHttp(): Promise<void> {
    const plugins: HttpPlugin[] = [];
    const telegram = this.#telegram;
    const bot = this.#bot;
    if (telegram?.mode === 'webhook' && bot) {
      plugins.push(
        telegramWebhookRoute({
          secret: telegram.webhookSecret,
          handleUpdate: async (update) => {
            if (!bot.isInited()) throw new Error('bot not initialised yet');
            await bot.handleUpdate(update as Parameters<Bot['handleUpdate']>[0]);
          },
        }),
      );
    }
    this.#http = await createHttpServer(
      {
        log: this.log.child({ part: 'http' }),
        metrics: this.metrics,
        apiToken: this.#apiToken.token,
        health: () => this.health(),
        status: () => ({
          version,
          roles: this.config.roles,
          uptimeSeconds: Math.round((Date.now() - this.#startedAt) / 1000),
          sandbox: this.config.sandbox,
        }),
      },
      plugins,
    );
    await this.#http.listen({ host: this.config.http.host, port: this.config.http.port });
  }

  /** Connects (starting the embedded server if no DATABASE_URL), retrying with backoff until it answers. */
  async #startDatabase(): Promise<void> {
    const log = this.log.child({ part: 'database' });
    let connectionString = this.config.databaseUrl;
    if (!connectionString) {
      this.#embedded = await startEmbeddedPostgres({ dataDir: this.config.dataDir, log: (m) => log.debug(m) });
      connectionString = this.#embedded.connectionString;
      log.info('embedded PostgreSQL ready (DATABASE_URL not set; data under DATA_DIR/postgres)');
    }
    this.#database = openDatabase({
      connectionString,
      onPoolError: (error) => log.warn({ err: error }, 'idle database connection lost; the pool reconnects'),
    });
    for (let attempt = 1; !this.#stopped(); attempt++) {
      try {
        await pingDatabase(this.#database.db, 5_000);
        break;
      } catch (error) {
        const delayMs = Math.min(30_000, 1_000 * 2 ** Math.min(attempt - 1, 5));
        this.#dbState = 'down';
        log.warn({ attempt, retryInMs: delayMs, reason: (error as Error).message }, 'database unreachable; retrying');
        await abortableSleep(delayMs, this.#stopController.signal);
      }
    }
    if (this.#stopped()) return;
    const { applied } = await migrateToLatest(this.#database.db);
    log.info({ applied }, applied.length ? 'migrations applied' : 'schema up to date');
    this.#dbState = 'ok';
  }

  async #startQueue(): Promise<void> {
    const connectionString = this.config.databaseUrl ?? this.#embedded?.connectionString;
    if (!connectionString) return;
    const log = this.log.child({ part: 'queue' });
    this.#queue = new QueueService(connectionString, log);
    await this.#queue.start();
    if (this.has('worker')) {
      await this.#queue.work('ping', async (payload, { log: jobLog }) => {
        jobLog.debug({ at: payload.at }, 'ping job done');
      });
    }
    this.#queueState = 'ok';
    log.info({ worker: this.has('worker') }, 'queue ready');
  }

  async #startTelegram(bot: Bot, telegram: TelegramConfig): Promise<void> {
    const log = this.log.child({ part: 'telegram' });
    // getMe can fail while the Bot API server is unreachable: wait and retry rather than crash.
    for (let attempt = 1; !bot.isInited() && !this.#stopped(); attempt++) {
      try {
        await bot.init();
      } catch (error) {
        const delayMs = Math.min(30_000, 1_000 * 2 ** Math.min(attempt - 1, 5));
        log.warn({ attempt, retryInMs: delayMs, reason: (error as Error).message }, 'Telegram Bot API unreachable; retrying');
        await abortableSleep(delayMs, this.#stopController.signal);
      }
    }
    if (this.#stopped()) return;
    await publishCommands(bot, log);
    if (telegram.mode === 'polling') {
      await bot.api.deleteWebhook().catch((error) => log.warn({ err: error }, 'deleteWebhook failed (continuing)'));
      this.#poller = new TelegramPoller(bot, log, { timeoutSeconds: this.#options.pollTimeoutSeconds ?? 25 });
      this.#poller.start();
    }
    log.info({ mode: telegram.mode, bot: bot.botInfo.username }, 'Telegram bot running');
  }

  async #stopAll(): Promise<void> {
    this.#stopController.abort();
    const step = async (name: string, fn: () => Promise<unknown> | unknown) => {
      try {
        await fn();
      } catch (error) {
        this.log.warn({ err: error, part: name }, 'error while stopping');
      }
      this.stopOrder.push(name);
    };
    // 1. intake: no new updates are accepted (webhook requests in flight finish first).
    await step('sandbox-citizens', () => this.#citizens?.stop());
    await step('telegram', () => this.#poller?.stop());
    await step('http', () => this.#http?.close());
    await step('sandbox-emulator', () => this.#emulator?.stop());
    // 2. workers: running jobs get a few seconds to finish; unfinished ones are retried later.
    await step('queue', () => this.#queue?.stop(4_000));
    // 3. the database.
    await step('database', () => this.#database?.close());
    await step('embedded-postgres', () => this.#embedded?.stop());
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolveSleep) => {
    if (signal.aborted) return resolveSleep();
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolveSleep();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolveSleep();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
