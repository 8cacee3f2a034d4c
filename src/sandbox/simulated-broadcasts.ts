import { setMaxListeners } from 'node:events';
import type { DomainConfig } from '../../config/domain.js';
import {
  type BroadcastCaller,
  type BroadcastOutcome,
  type BroadcastReport,
  type BroadcastsApi,
  broadcastInputSchema,
  broadcastSettings,
} from '../../handlers/broadcasts/index.js';
import type { Logger } from '../logger.js';
import { NOTICE_TOPIC, sandboxNotice } from './broadcast-texts.js';
import { pause, type Range } from './staff-phone.js';

// ---------------------------------------------------------------------------------------------
// Pacing (App options override it; tests make it short)
// ---------------------------------------------------------------------------------------------

export interface BroadcastPace {
  /** Start → the first broadcast (or the first look whether anyone has subscribed yet). */
  firstMs: Range;
  /** One broadcast → the next. */
  everyMs: Range;
  /** Nobody has subscribed yet: the next look. */
  waitMs: Range;
  /** How often the operator looks at a running broadcast's report (what GET /api/v1/broadcasts/:id shows). */
  watchMs: number;
}

/** Gentle: the first notice within a minute of start, then one every few minutes (the sandbox must stay light). */
export const BROADCAST_PACE: BroadcastPace = {
  firstMs: [30_000, 45_000],
  everyMs: [180_000, 300_000],
  waitMs: [10_000, 15_000],
  watchMs: 2_000,
};

/** A broadcast still running after this long is no longer followed in the log (the sender goes on). */
const WATCH_LIMIT_MS = 10 * 60_000;

export interface SimulatedBroadcastsDeps {
  /** The broadcasts' use cases (handlers/broadcasts), the same the API and the staff bot call. */
  api: BroadcastsApi;
  /** Who sends: the sandbox's operator as a person (or the service token, named `sandbox`, before they are bound). */
  caller(): Promise<BroadcastCaller>;
  /** Districts whose broadcast would reach a simulated subscriber now: the operator knows where the sandbox's subscribers live. */
  subscribedDistricts(): readonly string[];
  domain: DomainConfig;
  log: Logger;
}

export interface SimulatedBroadcastsOptions {
  pace?: Partial<BroadcastPace>;
  random?: () => number;
}

/**
 * The sandbox's operator sending a notice now and then: a short «Плановое отключение…» to one district's
 * subscribers, through the real use cases — create, preview, start — so the real sender paces it out
 * (the `broadcast-run` job) to the simulated citizens in the emulator. The log follows it by its report:
 * the broadcast's id, the recipients, sent of total; no personal data.
 */
export class SimulatedBroadcasts {
  readonly #deps: SimulatedBroadcastsDeps;
  readonly #pace: BroadcastPace;
  readonly #random: () => number;
  readonly #stop = new AbortController();
  readonly stats = { started: 0, done: 0, sent: 0 };

  constructor(deps: SimulatedBroadcastsDeps, options: SimulatedBroadcastsOptions = {}) {
    this.#deps = deps;
    this.#pace = { ...BROADCAST_PACE, ...options.pace };
    this.#random = options.random ?? Math.random;
    setMaxListeners(0, this.#stop.signal);
  }

  start(): void {
    this.#loop().catch((error) => this.#warn(error, 'sandbox operator could not send a broadcast'));
  }

  stop(): void {
    this.#stop.abort();
  }

  async #loop(): Promise<void> {
    if (!(await this.#pause(this.#pace.firstMs))) return;
    while (!this.#stop.signal.aborted) {
      const districts = this.#deps.subscribedDistricts();
      const district = districts[Math.floor(this.#random() * districts.length)];
      if (!district) {
        this.#deps.log.debug('🧪 sandbox operator: nobody has subscribed yet, no broadcast');
        if (!(await this.#pause(this.#pace.waitMs))) return;
        continue;
      }
      await this.#sendOne(district).catch((error) => this.#warn(error, 'sandbox operator could not send a broadcast'));
      if (!(await this.#pause(this.#pace.everyMs))) return;
    }
  }

  /** Compose → preview → start, as an operator does (the API's POST, GET …/preview, POST …/start), then follow it. */
  async #sendOne(districtId: string): Promise<void> {
    const { api, domain, log } = this.#deps;
    const district = domain.districts.find((d) => d.id === districtId);
    if (!district) return;
    const caller = await this.#deps.caller();
    const notice = sandboxNotice(district, this.#random);
    const topics = broadcastSettings(domain).topics.some((t) => t.id === NOTICE_TOPIC) ? [NOTICE_TOPIC] : undefined;
    const input = broadcastInputSchema.parse({
      ...notice,
      segment: { kind: 'subscribers', districts: [district.id], ...(topics ? { topics } : {}) },
    });
    const draft = await api.create(caller, input);
    if (!this.#ok(draft, 'create')) return;
    const id = draft.value.id;
    const preview = await api.preview(caller, id);
    if (!this.#ok(preview, 'preview', id)) return;
    if (preview.value.recipients === 0) {
      // Everyone there left since (an «Отписаться» under the last one): the draft is dropped, as a person would.
      await api.cancel(caller, id);
      log.info(
        { broadcastId: id, district: district.id },
        '🧪 sandbox operator: nobody to send to in the district, draft cancelled',
      );
      return;
    }
    log.info(
      { broadcastId: id, district: district.id, recipients: preview.value.recipients, byChannel: preview.value.byChannel },
      `🧪 sandbox operator prepares a broadcast «${notice.title}»`,
    );
    const started = await api.start(caller, id);
    if (!this.#ok(started, 'start', id)) {
      await api.cancel(caller, id);
      return;
    }
    this.stats.started++;
    log.info({ broadcastId: id, recipients: started.value.recipientsTotal }, '📣 sandbox broadcast started');
    await this.#watch(caller, id);
  }

  /** Reads the report until the broadcast ends: an INFO line when sent of total changes, one at the end. */
  async #watch(caller: BroadcastCaller, id: number): Promise<void> {
    const { api, log } = this.#deps;
    const until = Date.now() + WATCH_LIMIT_MS;
    let shown = '';
    while (Date.now() < until) {
      if (!(await this.#pause([this.#pace.watchMs, this.#pace.watchMs]))) return;
      const got = await api.get(caller, id);
      if (!this.#ok(got, 'get', id)) return;
      const report = got.value;
      const line = progressOf(report);
      if (report.status === 'done' || report.status === 'cancelled') {
        this.stats.done++;
        this.stats.sent += report.totals.sent;
        const seconds =
          report.startedAt && report.finishedAt ? (report.finishedAt.getTime() - report.startedAt.getTime()) / 1000 : null;
        log.info({ ...line, ...lost(report), seconds }, `📣 sandbox broadcast ${report.status}`);
        return;
      }
      const key = JSON.stringify(line);
      if (key !== shown) log.info(line, '📣 sandbox broadcast progress');
      shown = key;
    }
  }

  #ok<T>(outcome: BroadcastOutcome<T>, step: string, broadcastId?: number): outcome is { status: 'ok'; value: T } {
    if (outcome.status === 'ok') return true;
    this.#deps.log.warn(
      { step, broadcastId, refused: outcome.code, reason: outcome.message },
      'sandbox operator: broadcast refused',
    );
    return false;
  }

  #pause(range: Range): Promise<boolean> {
    return pause(range, this.#random, this.#stop.signal);
  }

  #warn(error: unknown, message: string): void {
    if (!this.#stop.signal.aborted) this.#deps.log.warn({ err: error }, message);
  }
}

/** Counts only: the id, the status, sent of total (who they are is in the recipients' CSV, never in the log). */
function progressOf(r: BroadcastReport) {
  const total = Object.values(r.totals).reduce((a, n) => a + n, 0);
  return { broadcastId: r.id, status: r.status, sent: r.totals.sent, total };
}

function lost(r: BroadcastReport) {
  return { blocked: r.totals.blocked, failed: r.totals.failed, skipped: r.totals.skipped };
}
