import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Api, Bot } from 'grammy';
import { TelegramAnswerDeliverer } from '../bots/telegram/answer-deliverer.js';
import type { BotContext, PeopleApi } from '../bots/telegram/context.js';
import { createTelegramApi, createTelegramBot, parkedNotice, publishCommands } from '../bots/telegram/create-bot.js';
import { TelegramDigestNotifier } from '../bots/telegram/digest-notifier.js';
import { checkTelegramUpdate } from '../bots/telegram/edge.js';
import { telegramFileSource } from '../bots/telegram/file-source.js';
import { TelegramNotifier } from '../bots/telegram/notifier.js';
import { TelegramOfficialNotifier } from '../bots/telegram/official-notifier.js';
import { TelegramOperatorNotifier } from '../bots/telegram/operator-notifier.js';
import { TelegramPoller } from '../bots/telegram/poller.js';
import { VkAnswerDeliverer } from '../bots/vk/answer-deliverer.js';
import { createVkApi, type VkApiPort } from '../bots/vk/api.js';
import { VkCommunityReader } from '../bots/vk/community-reader.js';
import { checkVkEvent } from '../bots/vk/edge.js';
import { createVkEventHandler } from '../bots/vk/handle-event.js';
import { VkLongPoll } from '../bots/vk/long-poll.js';
import { VkNotifier } from '../bots/vk/notifier.js';
import { VkPostReader } from '../bots/vk/post-reader.js';
import type { VkEvent } from '../bots/vk/translate.js';
import { type DistrictBoundary, loadBoundaries } from '../config/boundaries.js';
import { loadProductionCalendar } from '../config/calendar.js';
import { loadClassifierExamples } from '../config/classifier-examples.js';
import type { DomainConfig } from '../config/domain.js';
import { ConfigError } from '../config/errors.js';
import type { AppConfig, TelegramConfig } from '../config/index.js';
import { type AnswerDeliverer, type answerCase, deliverAnswer } from '../handlers/answers/answer-case.js';
import { forceDraft, startAnswer, submitOfficialText } from '../handlers/answers/official-answer.js';
import { DEFAULT_QUALITY_RULES } from '../handlers/answers/quality-gate.js';
import type { CaseActionDeps } from '../handlers/cases/deps.js';
import { STATS_MIN_CASES } from '../handlers/cases/stats.js';
import { takeCase } from '../handlers/cases/take-case.js';
import {
  assignCommand,
  decideExtensionAs,
  mergeCommand,
  reviewHeldAs,
  statsCommand,
} from '../handlers/commands/case-commands.js';
import { categoryCommand, queue } from '../handlers/commands/operator-commands.js';
import { type Arrival, acceptEvents, type EdgeOutcome, InboxWorker, type InboxWorkerOptions } from '../handlers/inbox/index.js';
import type { DeadLetterDeps } from '../handlers/intake/dead-letters.js';
import { chooseFollowUp, type FollowUpsApi, followUpTimeout } from '../handlers/intake/follow-up-choice.js';
import {
  bindIntake,
  channelCursor,
  decideWallItem,
  type IntakeApi,
  type IntakeDeps,
  MicroBatcher,
  notifyCitizen,
  pollCommunities,
  processMessage,
  processUnprocessed,
  WALL_CHANNEL,
  type WallEvent,
} from '../handlers/intake/index.js';
import { pruneEventLedger } from '../handlers/intake/prune-event-ledger.js';
import { fetchThreadSnippet } from '../handlers/intake/thread-snippet.js';
import { personByApiToken } from '../handlers/people/api-tokens.js';
import { caseCardFor } from '../handlers/people/case-card.js';
import { inviteOfficial, redeemInvite } from '../handlers/people/invite.js';
import { officials } from '../handlers/people/list.js';
import { myCases } from '../handlers/people/my-cases.js';
import { overdue } from '../handlers/people/overdue.js';
import { staffKind } from '../handlers/people/role-of.js';
import { answerPoll, askPoll, type PollDeps, type PollsApi, requestPollComment } from '../handlers/polls/index.js';
import { digestCron, planMorningDigest } from '../handlers/reminders/morning-digest.js';
import { notifyOfficial } from '../handlers/reminders/notify-official.js';
import { remind } from '../handlers/reminders/reminders.js';
import { sendDigest } from '../handlers/reminders/send-digest.js';
import { createStructurer, type IntentScorer } from '../handlers/structuring/assess.js';
import { notifyOperators, type OperatorNotifier } from '../handlers/structuring/notify-operators.js';
import { PredictorHolder } from '../handlers/structuring/predictor-holder.js';
import { type RetrainOutcome, retrainClassifier } from '../handlers/structuring/retrain.js';
import type { Classifier } from '../lib/classifier/index.js';
import { type Clock, systemClock } from '../lib/clock.js';
import { calendarMs, WorkingCalendar } from '../lib/deadlines/index.js';
import { abortableSleep, backoffMs, withDeadline } from '../lib/retry.js';
import { claimSetting } from '../models/app-setting-repository.js';
import type { CitizenNotifier } from '../models/citizen-notification.js';
import { type DatabaseHandle, openDatabase, pingDatabase } from '../models/database.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../models/embedded-postgres.js';
import { insertDeadLetters } from '../models/inbox-repository.js';
import type { Channel } from '../models/intake.js';
import { migrateToLatest } from '../models/migrate.js';
import { ServiceUnavailableError } from './errors.js';
import { resolveApiToken } from './http/api-token.js';
import { type AppMetrics, createMetrics } from './http/metrics.js';
import { answerRoutes } from './http/routes/answers.js';
import { caseActionRoutes } from './http/routes/case-actions.js';
import { caseRoutes } from './http/routes/cases.js';
import { deadLetterRoutes } from './http/routes/dead-letters.js';
import type { HealthReport, PartState } from './http/routes/health.js';
import { peopleRoutes } from './http/routes/people.js';
import { structuringRoutes } from './http/routes/structuring.js';
import { telegramWebhookRoute } from './http/routes/telegram-webhook.js';
import { vkCallbackRoute } from './http/routes/vk-callback.js';
import { createHttpServer, type HttpPlugin } from './http/server.js';
import { QueueService } from './jobs/queue.js';
import type { Logger } from './logger.js';
import { DRILL_TIMINGS, type DrillTimings, describeDrill, withDrillTimings } from './sandbox/drill-domain.js';
import { SANDBOX_OPERATORS_CHAT_ID, SimulatedCitizens } from './sandbox/simulated-citizens.js';
import { type OfficialPace, SimulatedOfficials } from './sandbox/simulated-officials.js';
import { startTelegramEmulator, type TelegramEmulator } from './sandbox/telegram-emulator.js';
import { loadActivePredictor, loadIntentScorer, refreshActivePredictor } from './structuring/load-model.js';
import { version } from './version.js';

export interface AppOptions {
  clock?: Clock;
  /** Sandbox citizens' mean pause between messages (tests make it short). */
  sandboxIntervalMs?: number;
  /** Sandbox officials' pacing (default OFFICIAL_PACE in src/sandbox/simulated-officials.ts). */
  sandboxPace?: Partial<OfficialPace>;
  /** Sandbox drill deadlines (default DRILL_TIMINGS in src/sandbox/drill-domain.ts). */
  sandboxDrill?: Partial<DrillTimings>;
  /** Telegram poll settings (tests shorten the long-poll timeout). */
  pollTimeoutSeconds?: number;
  /** The classifier file used when the database has no active model (default: the committed default model). */
  modelPath?: string;
  /** Inbox worker tuning (tests shorten the retry delays and the lease). */
  inbox?: Pick<InboxWorkerOptions, 'leaseMs' | 'retryBaseMs' | 'maxAttempts' | 'idleMs'>;
  /** Group-commit concurrent inbox and intake writes (default on); the intake benchmark compares both. */
  intakeBatching?: boolean;
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
  readonly domain: DomainConfig;
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
  #bot: Bot<BotContext> | null = null;
  #poller: TelegramPoller | null = null;
  #emulator: TelegramEmulator | null = null;
  #citizens: SimulatedCitizens | null = null;
  #officials: SimulatedOfficials | null = null;
  /** The sandbox's drill deadlines; null outside the sandbox. */
  readonly #drill: DrillTimings | null;
  /** How long after a final answer the poll is asked (answers.pollDelay; the drill's in the sandbox). */
  readonly #pollDelayMs: number | undefined;
  #telegram: TelegramConfig | null;
  #intake: IntakeApi | null = null;
  /** «Дополнение к обращению …» / «Новое обращение» under a follow-up about something else (both bots). */
  #followUps: FollowUpsApi | null = null;
  /** Group commit of single webhook deliveries (off with `intakeBatching: false`). */
  readonly #acceptBatcher: MicroBatcher<Arrival, undefined> | null;
  /** Decides the stored inbound events (instances with the worker role). */
  #inbox: InboxWorker | null = null;
  readonly predictor = new PredictorHolder();
  readonly #boundaries: DistrictBoundary[];
  /** Working time of the city administration on the production calendar. */
  readonly calendar: WorkingCalendar;
  #baseClassifier: Classifier | null = null;
  #intentScorer: IntentScorer | null = null;
  #modelRefresh: NodeJS.Timeout | null = null;
  #vkApi: VkApiPort | null = null;
  #telegramClient: Api | null = null;
  #vkHandler: ((event: VkEvent) => Promise<void>) | null = null;
  #vkLongPoll: VkLongPoll | null = null;
  #dbState: PartState = 'starting';
  #queueState: PartState = 'starting';
  #stopping: Promise<void> | null = null;
  /** Names of the parts stopped, in order: the shutdown test reads it. */
  readonly stopOrder: string[] = [];

  constructor(config: AppConfig, domain: DomainConfig, log: Logger, options: AppOptions = {}) {
    this.config = config;
    // The sandbox runs a drill: minutes instead of working days, so reminders, escalations and
    // polls happen while one watches. Never outside the sandbox (see the warning in start()).
    this.#drill = config.sandbox && config.roles.includes('telegram') ? { ...DRILL_TIMINGS, ...options.sandboxDrill } : null;
    this.domain = this.#drill ? withDrillTimings(domain, this.#drill) : domain;
    const pollDelay = domain.answers?.pollDelay;
    this.#pollDelayMs = this.#drill ? this.#drill.pollDelayMs : pollDelay ? calendarMs(pollDelay) : undefined;
    this.log = log;
    this.clock = options.clock ?? systemClock;
    this.#options = options;
    this.#telegram = config.telegram;
    this.#apiToken = resolveApiToken(config.apiToken, config.dataDir);
    const domainDir = dirname(config.domainConfigPath);
    const calendars = (domain.city.productionCalendars ?? ['production-calendar.json']).map((f) => resolve(domainDir, f));
    const warnedYears = new Set<number>();
    this.calendar = WorkingCalendar.forCity(domain.city, loadProductionCalendar(calendars), (year) => {
      if (warnedYears.has(year)) return;
      warnedYears.add(year);
      log.warn(
        { year },
        'the production calendar has no such year: using the Labour Code holidays (art. 112) only; add the year to the calendar file',
      );
    });
    const boundaries = domain.structuring?.boundaries;
    // Validated now, so a broken boundary file stops the start with its problems listed.
    this.#boundaries = boundaries
      ? loadBoundaries(
          resolve(dirname(config.domainConfigPath), boundaries),
          domain.districts.map((d) => d.id),
        )
      : [];
    this.#acceptBatcher =
      options.intakeBatching === false
        ? null
        : new MicroBatcher((arrivals: Arrival[]) => this.#storeArrivals(arrivals), ACCEPT_BATCHING);
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
  get officials(): SimulatedOfficials | null {
    return this.#officials;
  }
  /** The bound intake use cases (tests and in-process tools); throws before the queue is up. */
  intakeApi(): IntakeApi {
    if (!this.#intake) throw new Error('intake not ready');
    return this.#intake;
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
        'SANDBOX MODE: no real Telegram or VK is contacted; a local Bot API emulator, simulated citizens and officials run instead',
      );
      if (this.#drill)
        this.log.warn(
          describeDrill(this.domain, this.#drill),
          "SANDBOX DRILL: deadlines are minutes, not the domain file's terms; quiet hours are off (sandbox only)",
        );
    }
    if (this.has('http')) await this.#startHttp();

    await this.#startDatabase();
    if (this.#stopped()) return;
    await this.#startQueue();
    if (this.#stopped()) return;
    // A worker decides stored Telegram and VK events, so it needs the bots even without their intake roles.
    if (this.#telegram && (this.has('telegram') || this.has('worker'))) await this.#startTelegram(this.#telegram);
    if (this.config.vk && (this.has('vk') || this.has('worker')) && !this.#stopped()) this.#startVk(this.config.vk);
    if (this.#emulator && this.#database && !this.#stopped()) {
      // Officials first: the first citizen's case must find someone to send its card to.
      const deps = () => this.#queryDeps();
      this.#officials = new SimulatedOfficials(
        {
          emulator: this.#emulator,
          log: this.log.child({ part: 'sandbox' }),
          domain: this.domain,
          invite: async (person) => {
            const outcome = await inviteOfficial({ ...deps(), domain: this.domain }, { ...person, actor: 'sandbox' });
            return outcome.status === 'created' ? outcome.token : null;
          },
          people: () => officials(deps()),
        },
        { ...(this.#options.sandboxPace ? { pace: this.#options.sandboxPace } : {}) },
      );
      await this.#officials.start();
    }
    if (this.#emulator && !this.#stopped()) {
      this.#citizens = new SimulatedCitizens(this.#emulator, this.log.child({ part: 'sandbox' }), {
        intervalMs: this.#options.sandboxIntervalMs ?? 6_000,
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
    if (queue === 'ok') {
      queue =
        db === 'ok' && this.#queue
          ? await this.#queue.ping().then(
              () => 'ok' as const,
              () => 'down' as const,
            )
          : 'down';
    }
    return { db, queue };
  }

  #stopped(): boolean {
    return this.#stopController.signal.aborted;
  }

  async #startHttp(): Promise<void> {
    const plugins: HttpPlugin[] = [];
    const telegram = this.#telegram;
    if (telegram?.mode === 'webhook' && this.has('telegram')) {
      plugins.push(
        telegramWebhookRoute({
          secret: telegram.webhookSecret,
          check: checkTelegramUpdate,
          // The route exists from the first second; until the database is up it answers 503 and Telegram re-sends.
          accept: (outcome) => this.#accept('telegram', 'telegram-webhook', [outcome]),
        }),
      );
    }
    const vk = this.config.vk;
    if (vk?.mode === 'callback' && this.has('vk')) {
      plugins.push(
        vkCallbackRoute({
          groupId: vk.groupId,
          secret: vk.callbackSecret,
          confirmationCode: vk.confirmationCode,
          check: checkVkEvent,
          accept: (outcome) => this.#accept('vk', 'vk-callback', [outcome]),
        }),
      );
    }
    this.#http = await createHttpServer(
      {
        log: this.log.child({ part: 'http' }),
        metrics: this.metrics,
        apiToken: this.#apiToken.token,
        personByToken: (token) => personByApiToken(this.#queryDeps(), token),
        health: () => this.health(),
        status: () => ({
          version,
          roles: this.config.roles,
          uptimeSeconds: Math.round((Date.now() - this.#startedAt) / 1000),
          sandbox: this.config.sandbox,
        }),
      },
      [
        ...plugins,
        caseRoutes(() => this.#queryDeps()),
        structuringRoutes(() => ({
          ...this.#queryDeps(),
          domain: this.domain,
          retrain: () => this.retrainClassifier(),
          ...(this.#queue ? { actions: this.#actionDeps() } : {}),
        })),
        peopleRoutes(() => ({ ...this.#queryDeps(), domain: this.domain, botUsername: this.botUsername })),
        answerRoutes(() => this.#answerDeps()),
        caseActionRoutes(() => ({ actions: this.#actionDeps(), answers: this.#answerDeps() })),
        deadLetterRoutes(() => this.#deadLetterDeps()),
      ],
    );
    await this.#http.listen({ host: this.config.http.host, port: this.config.http.port });
  }

  /**
   * Commits checked platform events to the inbox (and refused ones to the dead letters): the only
   * work before a platform is acknowledged. Rejects when nothing could be stored (503 / offset kept).
   */
  async #accept(channel: string, source: string, outcomes: readonly EdgeOutcome[]): Promise<void> {
    const arrivals = outcomes.map((outcome) => ({ channel, source, outcome }));
    // Single webhook deliveries arriving together are group-committed (one transaction, one WAL
    // flush); a poll's batch is one commit anyway.
    const [single] = arrivals;
    const written: Promise<unknown> =
      single && arrivals.length === 1 && this.#acceptBatcher ? this.#acceptBatcher.submit(single) : this.#storeArrivals(arrivals);
    await withDeadline(written, ACCEPT_DEADLINE_MS, 'the inbox did not commit in time');
  }

  async #storeArrivals(arrivals: readonly Arrival[]): Promise<undefined[]> {
    const { stored } = await acceptEvents({ db: this.#queryDeps().db }, arrivals);
    for (const { source, outcome } of arrivals) if (!outcome.ok) this.metrics.deadLetters.inc({ source });
    if (stored > 0) this.#inbox?.wake();
    return arrivals.map(() => undefined);
  }

  /** Dead letters: which edge check a refused body is replayed through, by its source. */
  #deadLetterDeps(): DeadLetterDeps {
    const telegram = { channel: 'telegram', check: checkTelegramUpdate };
    const vk = { channel: 'vk', check: checkVkEvent };
    return {
      ...this.#queryDeps(),
      sources: { 'telegram-webhook': telegram, 'telegram-poll': telegram, 'vk-callback': vk, 'vk-longpoll': vk },
      wake: () => this.#inbox?.wake(),
    };
  }

  #peopleApi(): PeopleApi {
    const deps = () => this.#queryDeps();
    return {
      redeem: (token, telegramUserId) => redeemInvite(deps(), { token, telegramUserId }),
      myCases: (telegramUserId) => myCases(deps(), telegramUserId),
      overdue: (telegramUserId, all) => overdue(deps(), { telegramUserId, all }),
      caseCard: (telegramUserId, number) => caseCardFor(deps(), { telegramUserId, number }),
      queue: (telegramUserId) => queue({ ...deps(), domain: this.domain }, telegramUserId),
      category: (telegramUserId, number, category) =>
        categoryCommand({ ...deps(), domain: this.domain, actions: this.#actionDeps() }, { telegramUserId, number, category }),
      assign: (telegramUserId, number, target) => assignCommand(this.#actionDeps(), { telegramUserId, number, target }),
      merge: (telegramUserId, number, into) => mergeCommand(this.#actionDeps(), { telegramUserId, number, into }),
      stats: (telegramUserId, days) => statsCommand(deps(), { telegramUserId, days, minCases: STATS_MIN_CASES }),
      staffKind: (telegramUserId) => staffKind(deps(), telegramUserId),
      titles: (role, department) => ({
        role: (this.domain.roles as Record<string, string>)[role] ?? role,
        department: this.domain.departments.find((d) => d.id === department)?.name ?? department,
      }),
    };
  }

  /** What extending, pausing, re-routing and merging cases need. */
  #actionDeps(): CaseActionDeps {
    const queue = this.#queue;
    if (!queue) throw new ServiceUnavailableError('queue is not ready');
    return { ...this.#queryDeps(), jobs: queue, domain: this.domain, calendar: this.calendar };
  }

  #answerDeps(): Parameters<typeof answerCase>[0] & { actions: CaseActionDeps } {
    const queue = this.#queue;
    if (!queue) throw new ServiceUnavailableError('queue is not ready');
    const a = this.domain.answers;
    return {
      ...this.#queryDeps(),
      actions: this.#actionDeps(),
      jobs: queue,
      holdForApproval: a?.holdForApproval ?? false,
      ...(this.#pollDelayMs === undefined ? {} : { pollDelayMs: this.#pollDelayMs }),
      rules: {
        minLength: a?.minLength ?? DEFAULT_QUALITY_RULES.minLength,
        stockPhrases: a?.stockPhrases ?? DEFAULT_QUALITY_RULES.stockPhrases,
      },
    };
  }

  #pollDeps(): PollDeps {
    const queue = this.#queue;
    if (!queue) throw new ServiceUnavailableError('queue is not ready');
    return { ...this.#queryDeps(), jobs: queue, log: this.log.child({ part: 'polls' }) };
  }

  /** The poll buttons of both bots; deps are resolved per press (the queue may come up after the bots). */
  #pollsApi(): PollsApi {
    return {
      answer: (input) => answerPoll(this.#pollDeps(), input),
      requestComment: (input) => requestPollComment(this.#pollDeps(), input),
    };
  }

  /** The bot's username once it is running here (invite links need it), else null. */
  get botUsername(): string | null {
    return this.#bot?.isInited() ? this.#bot.botInfo.username : null;
  }

  /** What read/write API routes need; 503 until the database is up. */
  #queryDeps(): { db: DatabaseHandle['db']; clock: Clock } {
    const database = this.#database;
    if (!database || this.#dbState !== 'ok') throw new ServiceUnavailableError('database is not ready');
    return { db: database.db, clock: this.clock };
  }

  /** Connects (starting the embedded server if no DATABASE_URL), retrying with backoff until it answers. */
  async #startDatabase(): Promise<void> {
    const log = this.log.child({ part: 'database' });
    let connectionString = this.config.databaseUrl;
    if (!connectionString) {
      // Supervised: if the server dies, it is started again on the same port and the pools reconnect.
      this.#embedded = await startEmbeddedPostgres({
        dataDir: this.config.dataDir,
        log: (m) => log.debug(m),
        supervise: (message, level) => log[level](message),
      });
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
        const delayMs = backoffMs(attempt, 1_000);
        this.#dbState = 'down';
        log.warn({ err: error, attempt, retryInMs: delayMs }, 'database unreachable; retrying');
        await abortableSleep(delayMs, this.#stopController.signal);
      }
    }
    if (this.#stopped()) return;
    const { applied } = await migrateToLatest(this.#database.db);
    log.info({ applied }, applied.length ? 'migrations applied' : 'schema up to date');
    // A database is the sandbox's or the live channels', never both: the sandbox's simulated staff,
    // citizens and drill deadlines must not meet real people.
    const mode = this.config.sandbox ? 'sandbox' : 'live';
    const recorded = await claimSetting(this.#database.db, 'mode', mode, this.clock.now());
    if (recorded !== mode)
      throw new ConfigError('database', [
        recorded === 'sandbox'
          ? 'this database was used by the sandbox (simulated citizens and staff, drill deadlines): give the live app a fresh database'
          : 'this database belongs to the live app: the sandbox refuses to put simulated citizens and staff into it (use another DATABASE_URL or DATA_DIR)',
      ]);
    this.#dbState = 'ok';
  }

  async #startQueue(): Promise<void> {
    const connectionString = this.config.databaseUrl ?? this.#embedded?.connectionString;
    if (!connectionString) return;
    const log = this.log.child({ part: 'queue' });
    this.#queue = new QueueService(connectionString, log);
    await this.#queue.start();
    const { base } = await loadActivePredictor({
      db: this.#database?.db ?? null,
      holder: this.predictor,
      log,
      path: this.#options.modelPath,
    });
    this.#baseClassifier = base;
    this.#intentScorer = await loadIntentScorer(log);
    // Another instance may retrain and switch the model: pick the active version up within a minute.
    this.#modelRefresh = setInterval(() => {
      const database = this.#database;
      if (!database || this.#stopped()) return;
      refreshActivePredictor({ db: database.db, holder: this.predictor, log }).catch((error) =>
        log.warn({ err: error }, 'classifier refresh failed'),
      );
    }, 60_000);
    this.#modelRefresh.unref();
    const intakeDeps = this.#intakeDeps(this.#queue);
    this.#intake = bindIntake(intakeDeps, this.#options.intakeBatching === false ? undefined : INTAKE_BATCHING);
    this.#followUps = { choose: (input) => chooseFollowUp(intakeDeps, input) };
    if (this.has('worker')) {
      const intake = this.#intake;
      this.#inbox = new InboxWorker(this.#queryDeps().db, this.log.child({ part: 'inbox' }), {
        maxAttempts: this.domain.intake.inboxMaxAttempts,
        ...this.#options.inbox,
        onParked: async (channel, payload) => {
          if (channel === 'telegram' && this.#telegram) await parkedNotice(this.#telegramApi(), payload);
        },
      });
      this.#inbox.register(WALL_CHANNEL, async (payload) => {
        await decideWallItem({ receive: (input) => intake.receive(input) }, payload as WallEvent);
      });
      this.#inbox.start();
      const notifiers = this.#notifiers();
      await this.#queue.work('ping', async (payload, { log: jobLog }) => {
        jobLog.debug({ at: payload.at }, 'ping job done');
      });
      await this.#queue.work(
        'process-message',
        async (payload, { log: jobLog }) => {
          const outcome = await processMessage({ ...intakeDeps, log: jobLog }, payload);
          jobLog.debug({ outcome: outcome.status }, 'message processed');
        },
        { batchSize: 5, pollingIntervalSeconds: 0.5 },
      );
      await this.#queue.work('follow-up-timeout', async (payload, { log: jobLog }) => {
        const outcome = await followUpTimeout({ ...intakeDeps, log: jobLog }, payload);
        jobLog.debug({ outcome }, 'follow-up choice timed out');
      });
      const operators = this.#operatorNotifier();
      const deliverers = this.#answerDeliverers();
      const vkApi = this.#vk();
      const postReader = vkApi ? new VkPostReader(vkApi) : null;
      await this.#queue.work('fetch-thread-snippet', async (payload, { log: jobLog }) => {
        const result = await fetchThreadSnippet({ db: this.#queryDeps().db, reader: postReader, log: jobLog }, payload);
        jobLog.debug({ result }, 'thread snippet');
      });
      await this.#queue.work('deliver-answer', async (payload, { log: jobLog }) => {
        const result = await deliverAnswer({ ...this.#queryDeps(), log: jobLog, deliverers }, payload);
        jobLog.info({ result }, 'answer delivery');
      });
      const officialNotifier = this.#telegram ? new TelegramOfficialNotifier(this.#telegramApi()) : null;
      await this.#queue.work('remind', async (payload, { log: jobLog }) => {
        const result = await remind({ ...this.#pollDeps(), log: jobLog, domain: this.domain }, payload);
        jobLog.debug({ result, kind: payload.kind }, 'reminder');
      });
      await this.#queue.work('notify-official', async (payload) => {
        await notifyOfficial({ db: this.#queryDeps().db, notifier: officialNotifier }, payload);
      });
      await this.#scheduleMorningDigest(this.#queue);
      await this.#queue.work('ask-poll', async (payload, { log: jobLog }) => {
        await askPoll({ ...this.#pollDeps(), log: jobLog }, payload);
      });
      await this.#queue.work('notify-operators', async (payload, { log: jobLog }) => {
        await notifyOperators({ db: this.#queryDeps().db, notifier: operators, log: jobLog }, payload);
      });
      await this.#schedulePublicCommunities(this.#queue, intakeDeps);
      // The event ledger forgets ids older than intake.eventLedgerRetention, daily at 03:30 city time.
      // The safety net of inline deciding: a message stored but never decided (the process died in
      // between) is decided by this sweep, every minute, once it is a minute old.
      await this.#queue.work('process-unprocessed', async (_payload, { log: jobLog }) => {
        const decided = await processUnprocessed({ ...intakeDeps, log: jobLog }, { graceMs: 60_000, limit: 500 });
        if (decided > 0) jobLog.info({ decided }, 'messages decided by the sweep');
      });
      await this.#queue.schedule('process-unprocessed', '* * * * *', {}, this.domain.city.timezone);
      // Decided inbox events go with it, dead letters after intake.deadLetterRetention.
      const retention = {
        ledgerMs: calendarMs(this.domain.intake.eventLedgerRetention),
        deadLettersMs: calendarMs(this.domain.intake.deadLetterRetention),
      };
      await this.#queue.work('prune-event-ledger', async (_payload, { log: jobLog }) => {
        const deleted = await pruneEventLedger(this.#queryDeps(), retention);
        jobLog.info({ deleted }, 'event ledger, inbox and dead letters pruned');
      });
      await this.#queue.schedule('prune-event-ledger', '30 3 * * *', {}, this.domain.city.timezone);
      await this.#queue.work('retrain-classifier', async (_payload, { log: jobLog }) => {
        const outcome = await this.retrainClassifier(jobLog);
        jobLog.info({ outcome: outcome.status }, 'retraining done');
      });
      const retrainCron = this.domain.structuring?.retrainCron;
      if (retrainCron) await this.#queue.schedule('retrain-classifier', retrainCron, {}, this.domain.city.timezone);
      await this.#queue.work(
        'notify-citizen',
        async (payload, { id, log: jobLog }) => {
          await notifyCitizen({ notifiers, log: jobLog }, payload, `notify:${id}`);
        },
        { batchSize: 5, pollingIntervalSeconds: 0.5 },
      );
    }
    this.#queueState = 'ok';
    log.info({ worker: this.has('worker') }, 'queue ready');
  }

  #intakeDeps(queue: QueueService): IntakeDeps {
    const database = this.#database;
    if (!database) throw new Error('database not started');
    const social = this.domain.sla.policies.social.find((p) => p.priority === 'normal' && !p.channels);
    const urgent = this.domain.sla.policies.social.find((p) => p.priority === 'urgent' && !p.channels);
    return {
      db: database.db,
      jobs: queue,
      clock: this.clock,
      log: this.log.child({ part: 'intake' }),
      structuring: {
        domain: this.domain,
        structurer: createStructurer(this.domain, this.predictor, this.#boundaries, this.#intentScorer),
        calendar: this.calendar,
      },
      settings: {
        followUpWindowMs: calendarMs(this.domain.intake.followUpWindow),
        followUpChoiceTimeoutMs: calendarMs(this.domain.intake.followUpChoiceTimeout),
        firstResponse: social?.firstResponse ?? '24h',
        ...(urgent ? { firstResponseUrgent: urgent.firstResponse } : {}),
        timeZone: this.domain.city.timezone,
      },
    };
  }

  /**
   * Public VK communities are polled by a pg-boss cron: the schedule lives in the database, so with
   * several instances it still fires once per tick.
   */
  async #schedulePublicCommunities(queue: QueueService, intakeDeps: IntakeDeps): Promise<void> {
    const { publicCommunities: communities, pollCommunitiesCron, pollRecentPosts } = this.domain.intake;
    const token = this.config.vkServiceToken;
    if (communities.length === 0) {
      await queue.unschedule('poll-communities');
      return;
    }
    if (!token) {
      // Leave the cluster-wide schedule alone: another worker may have the token.
      this.log.warn('public communities are configured but this worker has no VK_SERVICE_TOKEN: it will not poll them');
      return;
    }
    const reader = new VkCommunityReader(createVkApi({ token, apiBaseUrl: this.config.vkApiBaseUrl, requestsPerSecond: 3 }));
    await queue.work('poll-communities', async (_payload, { log }) => {
      const reports = await pollCommunities({
        ...intakeDeps,
        reader,
        communities,
        recentPosts: pollRecentPosts,
        wake: () => this.#inbox?.wake(),
      });
      log.info({ reports }, 'public communities polled');
    });
    await queue.schedule('poll-communities', pollCommunitiesCron, {}, this.domain.city.timezone);
  }

  /**
   * The morning digest: a pg-boss cron at `sla.digest.at` (city time) fires once per day across
   * instances; the job itself skips days off by the production calendar and fans out one send per person.
   */
  async #scheduleMorningDigest(queue: QueueService): Promise<void> {
    const notifier = this.#telegram ? new TelegramDigestNotifier(this.#telegramApi()) : null;
    const deps = { calendar: this.calendar, domain: this.domain };
    await queue.work('morning-digest', async (_payload, { log }) => {
      await planMorningDigest({ ...this.#pollDeps(), ...deps, log });
    });
    await queue.work('send-digest', async (payload, { log }) => {
      const result = await sendDigest({ ...this.#queryDeps(), ...deps, notifier, log }, payload);
      log.debug({ result }, 'morning digest to one person');
    });
    await queue.schedule('morning-digest', digestCron(this.domain.sla.digest.at), {}, this.domain.city.timezone);
  }

  /** Adapts the classifier to the operators' corrections and switches if not worse (job and API). */
  async retrainClassifier(log: Logger = this.log): Promise<RetrainOutcome> {
    const database = this.#database;
    if (!database) throw new ServiceUnavailableError('database is not ready');
    return retrainClassifier({
      db: database.db,
      clock: this.clock,
      log,
      holder: this.predictor,
      base: this.#baseClassifier,
      referenceExamples: this.#referenceExamples(),
    });
  }

  /** The project's labelled examples next to the domain file, if present: the retraining's regression guard. */
  #referenceExamples(): { text: string; label: string }[] {
    const dir = join(dirname(this.config.domainConfigPath), 'classifier-examples');
    const file = existsSync(dir) ? dir : `${dir}.yaml`;
    if (!existsSync(file)) return [];
    try {
      return loadClassifierExamples(file);
    } catch (error) {
      this.log.warn({ err: error }, 'classifier examples unreadable; retraining evaluates on held-out corrections only');
      return [];
    }
  }

  /**
   * Keeps a stored event that its translation found incomplete. If the database refuses, this throws:
   * the inbox event is retried (and parked by the inbox itself after repeated failures), never lost.
   */
  async #keepDeadLetter(source: string, reason: string, raw: unknown): Promise<void> {
    await insertDeadLetters(this.#queryDeps().db, [{ source, reason, raw }]);
    this.metrics.deadLetters.inc({ source });
  }

  /** The operators' chat: TELEGRAM_OPERATORS_CHAT_ID, or in the sandbox a simulated operators' chat. */
  #operatorNotifier(): OperatorNotifier | null {
    const chatId = this.config.operatorsChatId ?? (this.#emulator ? SANDBOX_OPERATORS_CHAT_ID : null);
    if (!this.#telegram || chatId === null) return null;
    return new TelegramOperatorNotifier(this.#telegramApi(), chatId);
  }

  #answerDeliverers(): Partial<Record<'telegram' | 'vk', AnswerDeliverer>> {
    const deliverers: Partial<Record<'telegram' | 'vk', AnswerDeliverer>> = {};
    if (this.#telegram) deliverers.telegram = new TelegramAnswerDeliverer(this.#telegramApi());
    const vk = this.#vk();
    // Officials' photos live in Telegram; a VK answer copies them from there.
    const files = this.#telegram ? telegramFileSource(this.#telegramApi(), this.#telegram) : null;
    if (vk) deliverers.vk = new VkAnswerDeliverer(vk, files);
    return deliverers;
  }

  /** Senders for citizen notifications: any instance with a token can send, whatever its roles. */
  #notifiers(): Partial<Record<Channel, CitizenNotifier>> {
    const notifiers: Partial<Record<Channel, CitizenNotifier>> = {};
    if (this.#telegram) notifiers.telegram = new TelegramNotifier(this.#telegramApi());
    const vk = this.#vk();
    if (vk) notifiers.vk = new VkNotifier(vk);
    return notifiers;
  }

  /** One Bot API client for everything this instance sends (notifications, answers, reminders, alerts). */
  #telegramApi(): Api {
    const telegram = this.#telegram;
    if (!telegram) throw new Error('no Telegram configuration');
    this.#telegramClient ??= createTelegramApi(telegram);
    return this.#telegramClient;
  }

  #vk(): VkApiPort | null {
    const vk = this.config.vk;
    if (!vk) return null;
    this.#vkApi ??= createVkApi({ token: vk.token, apiBaseUrl: vk.apiBaseUrl, requestsPerSecond: 20 });
    return this.#vkApi;
  }

  #startVk(vk: NonNullable<AppConfig['vk']>): void {
    const log = this.log.child({ part: 'vk' });
    const api = this.#vk();
    const intake = this.#intake;
    const database = this.#database;
    if (!api || !intake || !database) throw new Error('VK intake needs the database and the queue');
    this.#vkHandler = createVkEventHandler({
      intake,
      api,
      log,
      polls: this.#pollsApi(),
      followUps: this.#followUps ?? undefined,
      onIgnored: (type) => this.metrics.updatesIgnored.inc({ channel: 'vk', type }),
      onMalformed: (event, reason) => this.#keepDeadLetter('vk-event', reason, event),
    });
    const handler = this.#vkHandler;
    this.#inbox?.register('vk', (payload) => handler(payload as VkEvent));
    if (vk.mode === 'longpoll' && this.has('vk')) {
      this.#vkLongPoll = new VkLongPoll({
        api,
        groupId: vk.groupId,
        accept: (events) => this.#accept('vk', 'vk-longpoll', events.map(checkVkEvent)),
        cursor: channelCursor({ db: database.db, clock: this.clock }, `vk-longpoll:${vk.groupId}`),
        log,
        ...(this.#options.pollTimeoutSeconds ? { waitSeconds: this.#options.pollTimeoutSeconds } : {}),
      });
      this.#vkLongPoll.start();
    }
    log.info({ mode: vk.mode, groupId: vk.groupId }, 'VK community intake running');
  }

  async #startTelegram(telegram: TelegramConfig): Promise<void> {
    const log = this.log.child({ part: 'telegram' });
    const intake = this.#intake;
    if (!intake) throw new Error('intake not ready');
    const bot = createTelegramBot(
      { token: telegram.token, apiRoot: telegram.apiRoot },
      {
        log,
        intake,
        people: this.#peopleApi(),
        polls: this.#pollsApi(),
        followUps: this.#followUps ?? undefined,
        cases: {
          take: (caseId, telegramUserId) => takeCase(this.#queryDeps(), { caseId, telegramUserId }),
          startAnswer: (caseId, kind, telegramUserId) => startAnswer(this.#answerDeps(), { caseId, kind, telegramUserId }),
          submit: (telegramUserId, text, replyToText, photos) =>
            submitOfficialText(this.#answerDeps(), { telegramUserId, text, replyToText, ...(photos ? { photos } : {}) }),
          force: (telegramUserId) => forceDraft(this.#answerDeps(), { telegramUserId }),
          decideExtension: (requestId, approve, telegramUserId) =>
            decideExtensionAs(this.#actionDeps(), { requestId, approve, telegramUserId }),
          reviewHeld: (answerId, approve, telegramUserId) =>
            reviewHeldAs(this.#answerDeps(), { answerId, approve, telegramUserId }),
        },
        onIgnored: (type) => this.metrics.updatesIgnored.inc({ channel: 'telegram', type }),
      },
    );
    this.#bot = bot;
    // getMe can fail while the Bot API server is unreachable: wait and retry rather than crash.
    for (let attempt = 1; !bot.isInited() && !this.#stopped(); attempt++) {
      try {
        await bot.init();
      } catch (error) {
        const delayMs = backoffMs(attempt, 1_000);
        log.warn({ err: error, attempt, retryInMs: delayMs }, 'Telegram Bot API unreachable; retrying');
        await abortableSleep(delayMs, this.#stopController.signal);
      }
    }
    if (this.#stopped()) return;
    this.#inbox?.register('telegram', (payload) => bot.handleUpdate(payload as Parameters<Bot['handleUpdate']>[0]));
    if (!this.has('telegram')) return; // a worker only decides; the intake instance talks to Telegram
    await publishCommands(bot.api, log);
    if (telegram.mode === 'webhook' && telegram.webhookUrl) {
      await bot.api
        .setWebhook(telegram.webhookUrl, { secret_token: telegram.webhookSecret, allowed_updates: ALLOWED_UPDATES })
        .catch((error) => log.error({ err: error }, 'setWebhook failed; set it by hand or fix TELEGRAM_WEBHOOK_URL'));
    }
    if (telegram.mode === 'polling') {
      await bot.api.deleteWebhook().catch((error) => log.warn({ err: error }, 'deleteWebhook failed (continuing)'));
      this.#poller = new TelegramPoller(
        bot.api,
        (updates) => this.#accept('telegram', 'telegram-poll', updates.map(checkTelegramUpdate)),
        log,
        {
          timeoutSeconds: this.#options.pollTimeoutSeconds ?? 25,
          allowedUpdates: ALLOWED_UPDATES,
        },
      );
      this.#poller.start();
    }
    log.info({ mode: telegram.mode, bot: bot.botInfo.username }, 'Telegram bot running');
  }

  async #stopAll(): Promise<void> {
    this.#stopController.abort();
    if (this.#modelRefresh) clearInterval(this.#modelRefresh);
    const step = async (name: string, fn: () => Promise<unknown> | unknown) => {
      try {
        await fn();
      } catch (error) {
        this.log.warn({ err: error, part: name }, 'error while stopping');
      }
      this.stopOrder.push(name);
    };
    // 1. intake: no new updates are accepted (webhook requests in flight finish first).
    // The simulated people (citizens and officials) stop together, before anything they talk to.
    await step('sandbox-citizens', () => {
      this.#citizens?.stop();
      this.#officials?.stop();
    });
    await step('telegram', () => this.#poller?.stop());
    await step('vk', () => this.#vkLongPoll?.stop());
    await step('http', () => this.#http?.close());
    // 2. the inbox: decisions in progress finish (they may still talk to the platform, so before the
    // sandbox's emulator goes); what is left waits in the inbox for the next start.
    await step('inbox', () => this.#inbox?.stop());
    await step('sandbox-emulator', () => this.#emulator?.stop());
    // 2. workers: running jobs get a few seconds to finish; unfinished ones are retried later.
    await step('queue', () => this.#queue?.stop(4_000));
    // 3. the database.
    await step('database', () => this.#database?.close());
    await step('embedded-postgres', () => this.#embedded?.stop());
  }
}

/**
 * Intake group commit: a message waits at most 5 ms for companions. Two writers at a time leave
 * the rest of the pool (10) to workers and the API.
 */
const INTAKE_BATCHING = { maxWaitMs: 5, maxSize: 200, maxInFlight: 2 };

/**
 * Inbox group commit: a webhook delivery waits at most 2 ms for companions, at most 200 a commit,
 * 2 commits at a time (the pool of 10 keeps room for the workers and the API).
 */
const ACCEPT_BATCHING = { maxWaitMs: 2, maxSize: 200, maxInFlight: 2 };

/**
 * How long an acknowledgement may wait for the inbox commit. A stalled database answers 503 in time
 * (the platform re-sends; a commit that lands later makes the re-send a no-op) instead of holding
 * the platform's connection until it gives up.
 */
const ACCEPT_DEADLINE_MS = 10_000;

/** Update types intake handles (listed explicitly, so a future default change cannot flood intake). */
const ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'callback_query',
  'my_chat_member',
] as const;
