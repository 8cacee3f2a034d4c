import type { ButtonAction } from '../../bots/outbound/buttons.js';
import { decodeCallback, encodeCallback } from '../../bots/telegram/callback-data.js';
import { ru } from '../../bots/texts/ru.js';
import type { Logger } from '../logger.js';
import { BotInbox, type BotMessage } from './bot-inbox.js';
import { broadcastOf, isSubscriptionScreen, subscriptionPlan } from './citizen-subscriptions.js';
import { CITIZEN_TEXTS, NOT_APPEALS, SIMULATED_CITIZENS } from './citizen-texts.js';
import type { TelegramEmulator } from './telegram-emulator.js';

/** The sandbox's stand-in for the МЦУ operators' Telegram chat (alerts land here). */
export const SANDBOX_OPERATORS_CHAT_ID = -1_009_000_000_000;

/** Share of polls answered «Да» (the rest say «Нет», which reopens the case). */
const SOLVED_SHARE = 0.8;
/** Ratings after «Да», drawn evenly: mostly 4–5, now and then 3. */
const RATINGS = [5, 5, 5, 4, 4, 3] as const;
/** How long a citizen takes to press a poll button (capped by the interval, so tests stay fast). */
const POLL_ANSWER_MS = { min: 2_000, max: 8_000 };
/** A consented citizen who is not subscribed sends /subscribe instead of a message this often. */
const SUBSCRIBE_SHARE = 0.3;
/** A subscriber presses «Отписаться» under a broadcast this often (and may subscribe again later). */
const UNSUBSCRIBE_SHARE = 0.2;
/** Between two presses on the /subscribe screen (capped by the interval). */
const SUBSCRIBE_PRESS_MS = 1_500;
/** A /subscribe whose screen has not come by then is forgotten: the citizen may try again. */
const SCREEN_WAIT_MS = 30_000;
/** How long a citizen looks at the screen for «Готово! Вы подписаны…» after pressing «Готово». */
const CONFIRMATION_WAIT_MS = 10_000;
/** The first line of that confirmation (bots/texts/ru.ts). */
const SUBSCRIBED = ru.subscriptions.subscribed({ districts: [], topics: [] }).split('\n')[0] ?? '';

export interface SimulatedCitizensOptions {
  /** Mean pause between two citizen messages. */
  intervalMs?: number;
  random?: () => number;
}

/**
 * Fictional citizens who write to the bot through the emulator at a slow rate, log what the bot
 * answers and answer its satisfaction polls — so a newcomer sees the whole loop without a Telegram account.
 */
export class SimulatedCitizens {
  readonly #emulator: TelegramEmulator;
  readonly #log: Logger;
  readonly #intervalMs: number;
  readonly #random: () => number;
  readonly #inbox: BotInbox;
  /** 0: has not written yet, 2: greeted and consented. */
  readonly #stage = new Map<number, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  /** What each citizen wrote last (by Telegram id): they know whether it was a problem. */
  readonly #lastText = new Map<number, string>();
  /** When each citizen sent /subscribe and waits for the screen. */
  readonly #asked = new Map<number, number>();
  /** Subscribers (this run): the districts whose broadcasts reach each. */
  readonly #subscribed = new Map<number, readonly string[]>();
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #sent = 0;
  #answered = 0;
  #pollsAnswered = 0;
  readonly #broadcasts = { subscribed: 0, received: 0, optedOut: 0 };

  constructor(emulator: TelegramEmulator, log: Logger, options: SimulatedCitizensOptions = {}) {
    this.#emulator = emulator;
    this.#log = log;
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#random = options.random ?? Math.random;
    this.#inbox = new BotInbox(emulator);
  }

  get stats(): { sent: number; answered: number; pollsAnswered: number; subscribed: number; received: number; optedOut: number } {
    return { sent: this.#sent, answered: this.#answered, pollsAnswered: this.#pollsAnswered, ...this.#broadcasts };
  }

  /** Districts whose broadcast reaches a simulated subscriber now (what the simulated operator sends to). */
  subscribedDistricts(): string[] {
    return [...new Set([...this.#subscribed.values()].flat())];
  }

  start(): void {
    for (const citizen of SIMULATED_CITIZENS) this.#inbox.subscribe(citizen.id, (m) => this.#onBotMessage(citizen.userName, m));
    this.#inbox.subscribe(SANDBOX_OPERATORS_CHAT_ID, (m) => this.#onOperatorsChat(m));
    this.#inbox.start();
    this.#schedule(1_000);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#inbox.stop();
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#writeOne().catch((error) => this.#log.warn({ err: error }, 'sandbox citizen could not write'));
      this.#schedule(this.#intervalMs * (0.5 + this.#random()));
    }, delayMs);
    this.#timer.unref();
  }

  #client(citizen: (typeof SIMULATED_CITIZENS)[number]) {
    return this.#emulator.server.getClient(this.#emulator.token, {
      userId: citizen.id,
      chatId: citizen.id,
      firstName: citizen.firstName,
      userName: citizen.userName,
    });
  }

  async #writeOne(): Promise<void> {
    const citizen = SIMULATED_CITIZENS[Math.floor(this.#random() * SIMULATED_CITIZENS.length)];
    if (!citizen) return;
    const client = this.#client(citizen);
    if ((this.#stage.get(citizen.id) ?? 0) < 2) {
      // A newcomer says /start, taps «Согласен(на)» and writes a problem, a moment apart each,
      // as a person would: the first case shows up within seconds of start.
      this.#stage.set(citizen.id, 2);
      await client.sendCommand(client.makeCommand('/start'));
      this.#sent++;
      this.#log.info({ citizen: citizen.userName }, '🧪 sandbox citizen → bot: /start');
      await this.#pause(1_200);
      if (this.#stopped) return;
      await client.sendCallback(client.makeCallbackQuery('consent:yes'));
      this.#sent++;
      this.#log.info({ citizen: citizen.userName }, '🧪 sandbox citizen taps «Согласен(на)»');
      await this.#pause(1_200);
      if (this.#stopped) return;
    } else if (!this.#subscribed.has(citizen.id) && !this.#waitsForScreen(citizen.id) && this.#random() < SUBSCRIBE_SHARE) {
      // The bot's help names /subscribe: now and then a citizen asks for the city's notices instead of writing.
      this.#asked.set(citizen.id, Date.now());
      await client.sendCommand(client.makeCommand('/subscribe'));
      this.#sent++;
      this.#log.info({ citizen: citizen.userName }, '🧪 sandbox citizen → bot: /subscribe');
      return;
    }
    const text = CITIZEN_TEXTS[Math.floor(this.#random() * CITIZEN_TEXTS.length)] ?? 'Здравствуйте!';
    this.#lastText.set(citizen.id, text);
    await client.sendMessage(client.makeMessage(text));
    this.#sent++;
    this.#log.info({ citizen: citizen.userName, preview: text.slice(0, 60) }, '🧪 sandbox citizen → bot');
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.min(ms, this.#intervalMs)).unref());
  }

  #onOperatorsChat(message: BotMessage): void {
    this.#log.warn({ preview: firstLine(message.text, 100) }, '🧪 bot → operators chat');
  }

  #onBotMessage(userName: string, message: BotMessage): void {
    this.#answered++;
    const citizen = SIMULATED_CITIZENS.find((c) => c.userName === userName);
    const broadcastId = broadcastOf(message);
    if (citizen && broadcastId !== null) {
      this.#onBroadcast(citizen, broadcastId, message);
      return;
    }
    this.#log.info({ citizen: userName, preview: firstLine(message.text, 80) }, '🧪 bot → sandbox citizen');
    if (!citizen) return;
    if (isSubscriptionScreen(message) && this.#waitsForScreen(citizen.id)) {
      this.#asked.delete(citizen.id);
      this.#subscribe(citizen, message).catch((error) => this.#log.warn({ err: error }, 'sandbox citizen could not subscribe'));
      return;
    }
    // The buttons through the bot's own codec (bots/telegram/callback-data.ts), never by pattern.
    const actions = message.buttons.flatMap((data) => {
      const action = decodeCallback(data);
      return action ? [action] : [];
    });
    // «Дополнение к обращению …» / «Новое обращение»: a simulated citizen writes about an unrelated
    // problem each time, so a new appeal is the honest answer.
    const followUp = actions.find((a) => a.type === 'follow_up');
    if (followUp) {
      this.#press(citizen, encodeCallback({ ...followUp, choice: 'new' }), message.messageId, () => {
        // A tap counts like the consent tap: the citizen's own action.
        this.#sent++;
        this.#log.info({ citizen: userName }, '🧪 sandbox citizen taps «Новое обращение»');
      });
      return;
    }
    // «Это обращение?»: the citizen knows what they meant.
    const asked = actions.find((a) => a.type === 'intent');
    if (asked) {
      const appeal = !NOT_APPEALS.has(this.#lastText.get(citizen.id) ?? '');
      this.#press(citizen, encodeCallback({ ...asked, appeal }), message.messageId, () => {
        this.#sent++;
        this.#log.info({ citizen: userName, appeal }, '🧪 sandbox citizen answers «Это обращение?»');
      });
      return;
    }
    // «Проблема решена?» (Да / Нет), then «Оцените…» (1..5).
    const poll = actions.find((a) => a.type === 'poll');
    const rate = actions.find((a) => a.type === 'rate');
    let pressed: ButtonAction;
    if (poll) pressed = { ...poll, solved: this.#random() < SOLVED_SHARE };
    else if (rate) pressed = { ...rate, rating: RATINGS[Math.floor(this.#random() * RATINGS.length)] ?? 5 };
    else return;
    this.#press(citizen, encodeCallback(pressed), message.messageId, () => {
      // «Да» alone is half an answer: the rating completes it.
      if (!(pressed.type === 'poll' && pressed.solved)) this.#pollsAnswered++;
      this.#log.info({ citizen: userName, pressed: pollLabel(pressed) }, '🧪 sandbox citizen answers the poll');
    });
  }

  // ---- Subscriptions and broadcasts (docs/architecture/sandbox.md#рассылки-в-песочнице) ----

  #waitsForScreen(citizenId: number): boolean {
    return Date.now() - (this.#asked.get(citizenId) ?? 0) < SCREEN_WAIT_MS;
  }

  /** The /subscribe screen: the citizen's district (or none: the whole city), maybe a topic, «Готово», a moment apart each. */
  async #subscribe(citizen: (typeof SIMULATED_CITIZENS)[number], screen: BotMessage): Promise<void> {
    const plan = subscriptionPlan(screen, SIMULATED_CITIZENS.indexOf(citizen), this.#random);
    const client = this.#client(citizen);
    for (const data of plan.presses) {
      await this.#pause(SUBSCRIBE_PRESS_MS);
      if (this.#stopped) return;
      await client.sendCallback(client.makeCallbackQuery(data, { message: { message_id: screen.messageId } }));
      this.#sent++;
    }
    // The bot redraws the screen in place: the citizen counts as subscribed once it says so.
    if (!(await this.#confirmed(citizen.id, screen.messageId))) {
      if (this.#stopped) return;
      this.#log.warn(
        { citizen: citizen.userName },
        'sandbox citizen pressed «Готово» but the bot did not confirm the subscription',
      );
      return;
    }
    this.#subscribed.set(citizen.id, plan.reachedBy);
    this.#broadcasts.subscribed++;
    this.#log.info(
      { citizen: citizen.userName, district: plan.district ?? 'весь город', topic: plan.topic ?? 'все темы' },
      '🧪 sandbox citizen subscribes: district and topic buttons, then «Готово»',
    );
  }

  async #confirmed(chatId: number, messageId: number): Promise<boolean> {
    const until = Date.now() + CONFIRMATION_WAIT_MS;
    while (!this.#stopped && Date.now() < until) {
      if (this.#inbox.current(chatId, messageId)?.startsWith(SUBSCRIBED)) return true;
      await new Promise((resolve) => setTimeout(resolve, 100).unref());
    }
    return false;
  }

  /** A broadcast came: logged by its id; now and then the citizen presses «Отписаться» under it. */
  #onBroadcast(citizen: (typeof SIMULATED_CITIZENS)[number], broadcastId: number, message: BotMessage): void {
    this.#broadcasts.received++;
    this.#log.info(
      { citizen: citizen.userName, broadcastId, preview: firstLine(message.text, 80) },
      '🧪 broadcast → sandbox citizen',
    );
    if (this.#random() >= UNSUBSCRIBE_SHARE) return;
    const unsubscribe = encodeCallback({ type: 'unsubscribe', broadcastId });
    this.#press(citizen, unsubscribe, message.messageId, () => {
      this.#subscribed.delete(citizen.id);
      this.#broadcasts.optedOut++;
      this.#sent++;
      this.#log.info({ citizen: citizen.userName, broadcastId }, '🧪 sandbox citizen taps «Отписаться» under the broadcast');
    });
  }

  /** Presses a button of a bot message after a human pause (shortened with the citizens' interval). */
  #press(citizen: (typeof SIMULATED_CITIZENS)[number], data: string, messageId: number, done: () => void): void {
    const delay = POLL_ANSWER_MS.min + this.#random() * (POLL_ANSWER_MS.max - POLL_ANSWER_MS.min);
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        if (this.#stopped) return;
        const client = this.#client(citizen);
        client
          .sendCallback(client.makeCallbackQuery(data, { message: { message_id: messageId } }))
          .then(done)
          .catch((error) => this.#log.warn({ err: error }, 'sandbox citizen could not press a button'));
      },
      Math.min(delay, this.#intervalMs),
    );
    timer.unref();
    this.#timers.add(timer);
  }
}

function firstLine(text: string, max: number): string {
  return (text.split('\n')[0] ?? '').slice(0, max);
}

/** «Да», «Нет» or the rating, for the log. */
function pollLabel(action: ButtonAction): string {
  if (action.type === 'poll') return action.solved ? 'Да' : 'Нет';
  return action.type === 'rate' ? `оценка ${action.rating}` : action.type;
}
