import type { TelegramEmulator } from './telegram-emulator.js';

/** A message the bot sent, as a simulated person sees it: the chat, the text and the buttons' data. */
export interface BotMessage {
  chatId: string;
  /** The emulator's message id: a button press names the message it was under, as Telegram's does. */
  messageId: number;
  text: string;
  /** callback_data of every inline button under the message. */
  buttons: string[];
  /** Each button's label by its callback_data: what the person reads on it (a ✓ on a chosen district). */
  labels: ReadonlyMap<string, string>;
}

interface StoredBotMessage {
  messageId: number;
  message: {
    chat_id?: number | string;
    text?: string;
    reply_markup?: { inline_keyboard?: { text?: string; callback_data?: string }[][] };
  };
}

/**
 * The simulated people's view of the emulator: each message the bot sends is handed to whoever
 * subscribed to its chat. telegram-test-api emits `AddedBotMessage` right after storing the message,
 * so the newest stored record is the one the event is about.
 */
export class BotInbox {
  readonly emulator: TelegramEmulator;
  readonly #subscribers = new Map<string, (message: BotMessage) => void>();
  readonly #onAdded = () => this.#dispatch();

  constructor(emulator: TelegramEmulator) {
    this.emulator = emulator;
  }

  start(): void {
    this.emulator.server.on('AddedBotMessage', this.#onAdded);
  }

  stop(): void {
    this.emulator.server.off('AddedBotMessage', this.#onAdded);
    this.#subscribers.clear();
  }

  /** Routes the bot's messages to `chatId` to `handler` (one subscriber per chat). */
  subscribe(chatId: number | string, handler: (message: BotMessage) => void): void {
    this.#subscribers.set(String(chatId), handler);
  }

  /** The text of a message the bot sent to `chatId` as it reads now (the bot may have edited it in place); null if gone. */
  current(chatId: number | string, messageId: number): string | null {
    const record = this.#records().find((r) => r.messageId === messageId && String(r.message.chat_id) === String(chatId));
    return record ? String(record.message.text ?? '') : null;
  }

  #records(): StoredBotMessage[] {
    return (this.emulator.server as unknown as { storage: { botMessages: StoredBotMessage[] } }).storage.botMessages;
  }

  #dispatch(): void {
    const record = this.#records().at(-1);
    const last = record?.message;
    if (!record || !last) return;
    const chatId = String(last.chat_id);
    const handler = this.#subscribers.get(chatId);
    if (!handler) return;
    const keys = (last.reply_markup?.inline_keyboard ?? []).flat().filter((b) => typeof b.callback_data === 'string');
    const buttons = keys.map((b) => String(b.callback_data));
    const labels = new Map(keys.map((b) => [String(b.callback_data), String(b.text ?? '')]));
    handler({ chatId, messageId: record.messageId, text: String(last.text ?? ''), buttons, labels });
  }
}
