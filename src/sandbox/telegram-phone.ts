import type { ButtonAction } from '../../bots/outbound/buttons.js';
import { decodeCallback, encodeCallback } from '../../bots/telegram/callback-data.js';
import type { BotInbox, BotMessage } from './bot-inbox.js';
import type { SandboxPerson } from './sandbox-person.js';
import { PhoneLane, type PhoneMessage, type StaffPhone } from './staff-phone.js';

/**
 * One simulated member of staff's Telegram: taps and texts through the emulator (telegram-test-api),
 * the bot's messages through the emulator's BotInbox, the buttons through Telegram's callback codec.
 */
export class TelegramPhone extends PhoneLane implements StaffPhone {
  readonly #inbox: BotInbox;

  constructor(inbox: BotInbox, person: SandboxPerson, signal: AbortSignal) {
    super(person, signal);
    this.#inbox = inbox;
  }

  bind(token: string): Promise<void> {
    return this.command(`/start ${token}`);
  }

  /** Taps a button under the bot's message (the bot may edit that message, as in Telegram). */
  async press(action: ButtonAction, under: PhoneMessage): Promise<void> {
    const client = this.#client(Number(under.chatId));
    await client.sendCallback(
      client.makeCallbackQuery(encodeCallback(action), { message: { message_id: Number(under.messageId) } }),
    );
  }

  /** Sent with its bot_command entity, as Telegram does. */
  async command(text: string): Promise<void> {
    const client = this.#client(this.person.chatId);
    await client.sendCommand(client.makeCommand(text));
  }

  async send(text: string): Promise<void> {
    const client = this.#client(this.person.chatId);
    await client.sendMessage(client.makeMessage(text));
  }

  listen(handler: (message: PhoneMessage) => void, chatId = this.person.chatId): void {
    this.#inbox.subscribe(chatId, (m) => handler(seen(m)));
  }

  #client(chatId: number) {
    const { emulator } = this.#inbox;
    return emulator.server.getClient(emulator.token, {
      userId: this.person.userId,
      chatId,
      firstName: 'Сотрудник',
      userName: `staff_${this.person.userId}`,
    });
  }
}

/** The emulator's message as the person sees it: its buttons through the bot's own codec (bots/telegram/callback-data.ts). */
function seen(m: BotMessage): PhoneMessage {
  return {
    chatId: m.chatId,
    messageId: String(m.messageId),
    text: m.text,
    buttons: m.buttons.map(decodeCallback).filter((a) => a !== null),
  };
}
