import type { ButtonAction } from '../../bots/outbound/buttons.js';
import { abortableSleep } from '../../lib/retry.js';
import type { SandboxPerson } from './sandbox-person.js';

/** How long a simulated person waits for the bot's reply to one step. */
const REPLY_TIMEOUT_MS = 15_000;

/** A pause between `min` and `max` ms. */
export type Range = readonly [min: number, max: number];

/** A bot message as a member of staff sees it, on either messenger: the chat, the message, its text, its buttons. */
export interface PhoneMessage {
  chatId: string;
  /** The message the buttons are under (Telegram's message id, MAX's mid): a press names it. */
  messageId: string;
  text: string;
  /** What each button under it does, read through the messenger's own codec. */
  buttons: ButtonAction[];
}

/**
 * One simulated member of staff's messenger, as the simulated officials use it whatever the
 * messenger: open the invite, press, type, and wait for the bot's reply to a step. Telegram's is
 * the emulator's (telegram-phone.ts), MAX's the local MAX fake's (max-phone.ts).
 */
export interface StaffPhone {
  readonly person: SandboxPerson;
  /** Opens the invite as a person does: `/start <token>` in Telegram, the deep link (`bot_started`) in MAX. */
  bind(token: string): Promise<void>;
  /** Presses a button under a bot message (the card, the quality gate's reply, an operators' alert). */
  press(action: ButtonAction, under: PhoneMessage): Promise<void>;
  /** A command such as `/queue` (Telegram's with its bot_command entity; MAX's is plain text). */
  command(text: string): Promise<void>;
  send(text: string): Promise<void>;
  /** Hands the bot's messages to `chatId` (the person's own chat unless another is named) to `handler`. */
  listen(handler: (message: PhoneMessage) => void, chatId?: number): void;
  /** The next bot message that `match`es (null after a timeout or at stop). Set it up before the step. */
  expect(match: (m: PhoneMessage) => boolean): Promise<PhoneMessage | null>;
  /** Hands a bot message to the step waiting for it; false when nobody waits for this one. */
  deliver(message: PhoneMessage): boolean;
  /** Runs `task` after the person's previous conversation ends. */
  inLane(task: () => Promise<void>): Promise<void>;
}

/**
 * What every phone shares: one conversation at a time (the bot keeps one draft per person) and
 * the wait for the bot's reply to a step.
 */
export abstract class PhoneLane {
  readonly person: SandboxPerson;
  readonly #signal: AbortSignal;
  #expecting: { match: (m: PhoneMessage) => boolean; resolve: (m: PhoneMessage | null) => void } | null = null;
  #lane: Promise<void> = Promise.resolve();

  constructor(person: SandboxPerson, signal: AbortSignal) {
    this.person = person;
    this.#signal = signal;
    signal.addEventListener('abort', () => this.#expecting?.resolve(null), { once: true });
  }

  expect(match: (m: PhoneMessage) => boolean): Promise<PhoneMessage | null> {
    return new Promise((resolve) => {
      const done = (m: PhoneMessage | null) => {
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

  deliver(message: PhoneMessage): boolean {
    if (!this.#expecting?.match(message)) return false;
    this.#expecting.resolve(message);
    return true;
  }

  inLane(task: () => Promise<void>): Promise<void> {
    const next = this.#lane.then(() => (this.#signal.aborted ? undefined : task()));
    this.#lane = next.catch(() => {});
    return next;
  }
}

/** A random pause within `range`; false when the sandbox is stopping. */
export async function pause([min, max]: Range, random: () => number, signal: AbortSignal): Promise<boolean> {
  await abortableSleep(min + random() * (max - min), signal);
  return !signal.aborted;
}
