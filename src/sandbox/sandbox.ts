import type { DomainConfig } from '../../config/domain.js';
import { ConfigError } from '../../config/errors.js';
import type { AppConfig } from '../../config/index.js';
import { type BroadcastCaller, bindBroadcasts } from '../../handlers/broadcasts/index.js';
import { inviteOfficial, officials } from '../../handlers/people/index.js';
import { handlerDeps, queryDeps } from '../compose/deps.js';
import { useSandboxMax } from '../compose/max.js';
import type { AppOptions } from '../compose/options.js';
import type { Runtime } from '../compose/runtime.js';
import { DRILL_TIMINGS, type DrillTimings, describeDrill, withDrillTimings } from './drill-domain.js';
import { MaxApiFake } from './max-fake.js';
import { sandboxRoster } from './sandbox-staff.js';
import { SimulatedBroadcasts } from './simulated-broadcasts.js';
import { SANDBOX_OPERATORS_CHAT_ID, SimulatedCitizens } from './simulated-citizens.js';
import { SimulatedMaxCitizens } from './simulated-max-citizens.js';
import { SimulatedOfficials } from './simulated-officials.js';
import type { TelegramEmulator } from './telegram-emulator.js';

/**
 * The sandbox around the app: before it starts, a local Bot API emulator replaces Telegram, a local
 * MAX Bot API fake replaces MAX, and the domain's terms become a drill (minutes, not working days);
 * after it is up, simulated officials and citizens (in Telegram and in MAX) talk to the bots. Only
 * with SANDBOX on and the telegram role; never with a real token.
 */
export class Sandbox {
  readonly drill: DrillTimings;
  readonly #options: AppOptions;
  emulator: TelegramEmulator | null = null;
  maxFake: MaxApiFake | null = null;
  citizens: SimulatedCitizens | null = null;
  maxCitizens: SimulatedMaxCitizens | null = null;
  officials: SimulatedOfficials | null = null;
  broadcasts: SimulatedBroadcasts | null = null;

  private constructor(options: AppOptions) {
    this.drill = { ...DRILL_TIMINGS, ...options.sandboxDrill };
    this.#options = options;
  }

  static for(config: AppConfig, options: AppOptions): Sandbox | null {
    return config.sandbox && config.roles.includes('telegram') ? new Sandbox(options) : null;
  }

  /** The domain the sandboxed app runs: the drill's terms, no quiet hours. */
  domain(domain: DomainConfig): DomainConfig {
    return withDrillTimings(domain, this.drill);
  }

  /** Before the app: the emulator, and the app's Telegram configuration pointed at it. */
  async beforeStart(rt: Runtime): Promise<void> {
    this.emulator = await (await loadTelegramEmulator()).startTelegramEmulator();
    rt.telegram = { mode: 'polling', token: this.emulator.token, apiRoot: this.emulator.apiRoot };
    rt.fallbackOperatorsChatId = SANDBOX_OPERATORS_CHAT_ID;
    if (!rt.config.max) {
      // MAX_BOT_TOKEN is refused next to SANDBOX=true, so this is never a real MAX bot's place.
      this.maxFake = new MaxApiFake();
      await this.maxFake.start();
      useSandboxMax(rt, { mode: 'polling', token: this.maxFake.token, apiBaseUrl: this.maxFake.baseUrl });
    }
    rt.log.warn(
      'SANDBOX MODE: no real Telegram, VK or MAX is contacted; a local Bot API emulator, a MAX Bot API fake, simulated citizens and officials run instead',
    );
    rt.log.warn(
      describeDrill(rt.domain, this.drill),
      "SANDBOX DRILL: deadlines are minutes, not the domain file's terms; quiet hours are off (sandbox only)",
    );
  }

  /**
   * After the app: officials first (the first citizen's case must find someone to send its card to),
   * then citizens, then the operator's broadcasts to those who subscribed. One department's official
   * and head work in MAX (sandboxMaxDepartment), the rest in Telegram.
   */
  async afterStart(rt: Runtime): Promise<void> {
    const emulator = this.emulator;
    if (!emulator || !rt.database || rt.stopped) return;
    const log = rt.log.child({ part: 'sandbox' });
    // MAX's staff need the max role: without it nobody reads what they do in the fake.
    const maxFake = this.maxFake && rt.has('max') ? this.maxFake : null;
    this.officials = new SimulatedOfficials(
      {
        emulator,
        maxFake,
        log,
        domain: rt.domain,
        invite: async (person) => {
          const outcome = await inviteOfficial(
            { ...queryDeps(rt), domain: rt.domain },
            { ...person, actor: { type: 'sandbox' } },
          );
          return outcome.status === 'created' ? outcome.token : null;
        },
        people: () => officials(queryDeps(rt)),
      },
      { ...(this.#options.sandboxPace ? { pace: this.#options.sandboxPace } : {}) },
    );
    await this.officials.start();
    if (rt.stopped) return;
    this.citizens = new SimulatedCitizens(emulator, log, { intervalMs: this.#options.sandboxIntervalMs ?? 6_000 });
    this.citizens.start();
    const citizens = this.citizens;
    if (rt.has('worker')) {
      // The sender is the worker's `broadcast-run` job: without the worker role a started broadcast would only wait.
      this.broadcasts = new SimulatedBroadcasts(
        {
          api: bindBroadcasts(() => handlerDeps(rt)),
          caller: () => sandboxOperator(rt),
          subscribedDistricts: () => citizens.subscribedDistricts(),
          domain: rt.domain,
          log,
        },
        { ...(this.#options.sandboxBroadcastPace ? { pace: this.#options.sandboxBroadcastPace } : {}) },
      );
      this.broadcasts.start();
    }
    if (maxFake) {
      this.maxCitizens = new SimulatedMaxCitizens(maxFake, log, { intervalMs: this.#options.sandboxIntervalMs ?? 6_000 });
      this.maxCitizens.start();
    }
  }

  /** The simulated people stop together, before anything they talk to. */
  stopPeople(): void {
    this.broadcasts?.stop();
    this.citizens?.stop();
    this.maxCitizens?.stop();
    this.officials?.stop();
  }

  async stopEmulator(): Promise<void> {
    await this.emulator?.stop();
    await this.maxFake?.stop();
  }
}

/**
 * Who the simulated operator's broadcasts come from: the sandbox's operator, the person bound with the
 * roster's Telegram account (so the audit trail and the report name them as for a real operator); the
 * service token, named `sandbox`, if they are not bound.
 */
async function sandboxOperator(rt: Runtime): Promise<BroadcastCaller> {
  const operator = sandboxRoster(rt.domain).find((p) => p.role === 'operator');
  const people = await officials(queryDeps(rt));
  const official = people.find(
    (o) =>
      o.active &&
      o.role === 'operator' &&
      o.accounts.some((a) => a.channel === operator?.messenger && a.userId === String(operator?.userId)),
  );
  return official ? { kind: 'person', official } : { kind: 'service', author: 'sandbox' };
}

/**
 * The Bot API emulator (telegram-test-api) is a development dependency: loaded only when the sandbox
 * runs, so a production install (`npm ci --omit=dev`, the image) never needs it.
 */
async function loadTelegramEmulator(): Promise<typeof import('./telegram-emulator.js')> {
  try {
    return await import('./telegram-emulator.js');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new ConfigError('sandbox', [
      'the sandbox needs the development dependencies (telegram-test-api), which this installation lacks: ' +
        'set TELEGRAM_BOT_TOKEN, VK_GROUP_TOKEN or MAX_BOT_TOKEN, or SANDBOX=false; or run `npm install` for the sandbox',
    ]);
  }
}
