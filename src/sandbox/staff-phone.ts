import { abortableSleep } from '../../lib/retry.js';
import type { BotMessage } from './bot-inbox.js';
import type { SandboxPerson } from './sandbox-person.js';
import type { TelegramEmulator } from './telegram-emulator.js';

/** How long a simulated person waits for the bot's reply to one step. */
const REPLY_TIMEOUT_MS = 15_000;

/** A pause between `min` and `max` ms. */
export type Range = readonly [min: number, max: number];

/**
 * One simulated staff member's Telegram: taps and texts through the emulator, waiting for the bot's
 * reply to a step, and one conversation at a time (the bot keeps one draft per person).
 */
export class StaffPhone {
  readonly person: SandboxPerson;
  readonly #emulator: TelegramEmulator;
  readonly #signal: AbortSignal;
  #expecting: { match: (m: BotMessage) => boolean; resolve: (m: BotMessage | null) => void } | null = null;
  #lane: Promise<void> = Promise.resolve();

  constructor(emulator: TelegramEmulator, person: SandboxPerson, signal: AbortSignal) {
    this.#emulator = emulator;
    this.person = person;
    this.#signal = signal;
    signal.addEventListener('abort', () => this.#expecting?.resolve(null), { once: true });
  }

  /** Taps a button under the bot's message `messageId` (the bot may edit that message, as in Telegram). */
  async press(data: string, messageId: number, chatId = this.person.telegramUserId): Promise<void> {
    const client = this.#client(chatId);
    await client.sendCallback(client.makeCallbackQuery(data, { message: { message_id: messageId } }));
  }

  /** A command such as `/start <token>` (sent with its bot_command entity, as Telegram does). */
  async command(text: string): Promise<void> {
    const client = this.#client(this.person.telegramUserId);
    await client.sendCommand(client.makeCommand(text));
  }

  async send(text: string): Promise<void> {
    const client = this.#client(this.person.telegramUserId);
    await client.sendMessage(client.makeMessage(text));
  }

  /** The next bot message that `match`es (null after a timeout or at stop). Set it up before the step. */
  expect(match: (m: BotMessage) => boolean): Promise<BotMessage | null> {
    return new Promise((resolve) => {
      const done = (m: BotMessage | null) => {
        clearTimeout(timer);
        if (this.#expecting?.resolve === done) this.#expecting = null;
        resolve(m);
      };
      const timer = setTimeout(() => done(null), REPLY_TIMEOUT_MS);
      timer.unref();
      this.#expecting = { match, resolve: done };
      if (this.#signal.aborted) done(null);
    });
  }

  /** Hands a bot message to the step waiting for it; false when nobody waits for this one. */
  deliver(message: BotMessage): boolean {
    if (!this.#expecting?.match(message)) return false;
    this.#expecting.resolve(message);
    return true;
  }

  /** Runs `task` after the person's previous conversation ends. */
  inLane(task: () => Promise<void>): Promise<void> {
    const next = this.#lane.then(() => (this.#signal.aborted ? undefined : task()));
    this.#lane = next.catch(() => {});
    return next;
  }

  #client(chatId: number) {
    return this.#emulator.server.getClient(this.#emulator.token, {
      userId: this.person.telegramUserId,
      chatId,
      firstName: 'Сотрудник',
      userName: `staff_${this.person.telegramUserId}`,
    });
  }
}

/** A random pause within `range`; false when the sandbox is stopping. */
export async function pause([min, max]: Range, random: () => number, signal: AbortSignal): Promise<boolean> {
  await abortableSleep(min + random() * (max - min), signal);
  return !signal.aborted;
}
