import { encodeMaxPayload, parseMaxPayload } from '../../bots/max/payload.js';
import type { ButtonAction } from '../../bots/outbound/buttons.js';
import type { MaxApiFake, MaxSent } from './max-fake.js';
import { type MaxPerson, maxMessage, maxUpdates } from './max-updates.js';
import type { SandboxPerson } from './sandbox-person.js';
import { PhoneLane, type PhoneMessage, type StaffPhone } from './staff-phone.js';

/** The simulated staff's view of the MAX fake: each message the bot sends is handed to whoever listens to its chat. */
export class MaxInbox {
  readonly fake: MaxApiFake;
  readonly #subscribers = new Map<string, (message: PhoneMessage) => void>();
  #unsubscribe: (() => void) | null = null;

  constructor(fake: MaxApiFake) {
    this.fake = fake;
  }

  start(): void {
    this.#unsubscribe ??= this.fake.onSent((sent) => this.#dispatch(sent));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#subscribers.clear();
  }

  /** Routes the bot's messages to `chatId` to `handler` (one subscriber per chat). */
  subscribe(chatId: number, handler: (message: PhoneMessage) => void): void {
    this.#subscribers.set(String(chatId), handler);
  }

  #dispatch(sent: MaxSent): void {
    const chatId = String(sent.chatId ?? sent.userId);
    const handler = this.#subscribers.get(chatId);
    if (!handler) return;
    // The buttons through the bot's own codec (bots/max/payload.ts), never by pattern.
    const buttons = (sent.keyboard ?? []).flat().flatMap((b) => {
      const action = parseMaxPayload(b.payload);
      return action ? [action] : [];
    });
    handler({ chatId, messageId: sent.mid, text: sent.text, buttons });
  }
}

/**
 * One simulated member of staff's MAX: what they do becomes the updates MAX would send the bot
 * (`bot_started` with the invite's payload, `message_callback` with the button's payload, a
 * `message_created` text), pushed into the local MAX fake the real MAX bot code long-polls.
 */
export class MaxPhone extends PhoneLane implements StaffPhone {
  readonly #inbox: MaxInbox;
  readonly #user: MaxPerson;

  constructor(inbox: MaxInbox, person: SandboxPerson, signal: AbortSignal) {
    super(person, signal);
    this.#inbox = inbox;
    this.#user = { userId: person.userId, firstName: 'Сотрудник', username: `staff_${person.userId}` };
  }

  /** `https://max.ru/<bot>?start=<token>` opened: MAX sends `bot_started` with the token as its payload. */
  async bind(token: string): Promise<void> {
    this.#fake.push(maxUpdates.botStarted({ from: this.#user, chatId: this.person.chatId, payload: token }));
  }

  /** A callback button pressed: the update carries the message it was under (its chat, mid and text). */
  async press(action: ButtonAction, under: PhoneMessage): Promise<void> {
    const chatId = Number(under.chatId);
    const { bot } = this.#fake;
    const message = maxMessage({
      sender: { user_id: bot.userId, first_name: bot.firstName, name: bot.firstName, username: bot.username, is_bot: true },
      chatId,
      chatType: chatId < 0 ? 'chat' : 'dialog',
      recipientUserId: chatId < 0 ? null : this.person.userId,
      text: under.text,
      mid: under.messageId,
    });
    this.#fake.push(maxUpdates.callback({ from: this.#user, chatId, payload: encodeMaxPayload(action), under: message }));
  }

  /** MAX sends a typed command as the message's text. */
  command(text: string): Promise<void> {
    return this.send(text);
  }

  async send(text: string): Promise<void> {
    this.#fake.push(
      maxUpdates.messageCreated({ from: this.#user, chatId: this.person.chatId, text, botId: this.#fake.bot.userId }),
    );
  }

  listen(handler: (message: PhoneMessage) => void, chatId = this.person.chatId): void {
    this.#inbox.subscribe(chatId, handler);
  }

  get #fake(): MaxApiFake {
    return this.#inbox.fake;
  }
}
