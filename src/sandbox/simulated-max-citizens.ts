import { encodeMaxPayload, parseMaxPayload } from '../../bots/max/payload.js';
import type { ButtonAction } from '../../bots/outbound/buttons.js';
import type { Logger } from '../logger.js';
import { CITIZEN_TEXTS, NOT_APPEALS } from './citizen-texts.js';
import type { MaxApiFake, MaxSent } from './max-fake.js';
import { type MaxPerson, maxUpdates } from './max-updates.js';

/** Fictional MAX citizens: ids far from real ones; each dialog has its own chat id, as in MAX. */
const MAX_CITIZENS: readonly (MaxPerson & { chatId: number })[] = [
  { userId: 9_100_000_001, firstName: 'Ольга', username: 'olga_max_sandbox', chatId: 8_100_000_001 },
  { userId: 9_100_000_002, firstName: 'Денис', username: 'denis_max_sandbox', chatId: 8_100_000_002 },
];

/** A MAX citizen writes this much less often than the Telegram ones. */
const SLOWER = 2.5;

/**
 * Simulated citizens in MAX: they open the dialog (`bot_started`), press «Согласен(на)», write, and
 * answer the bot's questions and polls by pressing its buttons — all as updates pushed into the local
 * MAX fake, which the real MAX bot code polls. The other half of the sandbox's MAX.
 */
export class SimulatedMaxCitizens {
  readonly #started = new Set<number>();
  readonly #lastText = new Map<number, string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #unsubscribe: (() => void) | null = null;
  #stopped = false;

  constructor(
    private readonly fake: MaxApiFake,
    private readonly log: Logger,
    private readonly options: { intervalMs: number; random?: () => number },
  ) {}

  start(): void {
    this.#unsubscribe = this.fake.onSent((message) => this.#onBotMessage(message));
    this.#later(1_500, () => this.#writeOne());
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe?.();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  get #random(): () => number {
    return this.options.random ?? Math.random;
  }

  #writeOne(): void {
    const citizen = MAX_CITIZENS[Math.floor(this.#random() * MAX_CITIZENS.length)];
    this.#later(this.options.intervalMs * SLOWER * (0.5 + this.#random()), () => this.#writeOne());
    if (!citizen) return;
    const pause = Math.min(1_200, this.options.intervalMs);
    let delay = 0;
    if (!this.#started.has(citizen.userId)) {
      this.#started.add(citizen.userId);
      this.fake.push(maxUpdates.botStarted({ from: citizen, chatId: citizen.chatId }));
      this.log.info({ citizen: citizen.username }, '🧪 sandbox MAX citizen opens the dialog (bot_started)');
      this.#later(pause, () => {
        this.#press(citizen, { type: 'consent', answer: 'yes' });
        this.log.info({ citizen: citizen.username }, '🧪 sandbox MAX citizen taps «Согласен(на)»');
      });
      delay = 2 * pause;
    }
    const text = CITIZEN_TEXTS[Math.floor(this.#random() * CITIZEN_TEXTS.length)] ?? 'Здравствуйте!';
    this.#later(delay, () => {
      this.#lastText.set(citizen.userId, text);
      this.fake.push(maxUpdates.messageCreated({ from: citizen, chatId: citizen.chatId, text, botId: this.fake.bot.userId }));
      this.log.info({ citizen: citizen.username, preview: text.slice(0, 60) }, '🧪 sandbox MAX citizen → bot');
    });
  }

  #onBotMessage(message: MaxSent): void {
    const citizen = MAX_CITIZENS.find((c) => c.chatId === message.chatId);
    if (!citizen) return;
    this.log.info(
      { citizen: citizen.username, preview: (message.text.split('\n')[0] ?? '').slice(0, 80) },
      '🧪 bot → sandbox MAX citizen',
    );
    // The buttons through the bot's own codec (bots/max/payload.ts), never by pattern.
    const actions = (message.keyboard ?? []).flat().flatMap((b) => {
      const action = parseMaxPayload(b.payload);
      return action ? [action] : [];
    });
    const followUp = actions.find((a) => a.type === 'follow_up');
    const intent = actions.find((a) => a.type === 'intent');
    const poll = actions.find((a) => a.type === 'poll');
    const rate = actions.find((a) => a.type === 'rate');
    let pressed: ButtonAction | null = null;
    if (followUp) pressed = { ...followUp, choice: 'new' };
    else if (intent) pressed = { ...intent, appeal: !NOT_APPEALS.has(this.#lastText.get(citizen.userId) ?? '') };
    else if (poll) pressed = { ...poll, solved: this.#random() < 0.8 };
    else if (rate) pressed = { ...rate, rating: 4 + Math.round(this.#random()) };
    const action = pressed;
    if (!action) return;
    this.#later(Math.min(2_000 + this.#random() * 4_000, this.options.intervalMs), () => {
      this.#press(citizen, action, message.mid);
      this.log.info({ citizen: citizen.username, pressed: action.type }, '🧪 sandbox MAX citizen presses a button');
    });
  }

  #press(citizen: MaxPerson & { chatId: number }, action: ButtonAction, mid?: string): void {
    const under = mid
      ? { under: { recipient: { chat_id: citizen.chatId, chat_type: 'dialog' }, timestamp: Date.now(), body: { mid } } }
      : {};
    this.fake.push(maxUpdates.callback({ from: citizen, chatId: citizen.chatId, payload: encodeMaxPayload(action), ...under }));
  }

  #later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#stopped) run();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }
}
