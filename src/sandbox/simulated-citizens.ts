import type { Logger } from '../logger.js';
import { CITIZEN_TEXTS, SIMULATED_CITIZENS } from './citizen-texts.js';
import type { TelegramEmulator } from './telegram-emulator.js';

/** The sandbox's stand-in for the МЦУ operators' Telegram chat (alerts land here). */
export const SANDBOX_OPERATORS_CHAT_ID = -1_009_000_000_000;

export interface SimulatedCitizensOptions {
  /** Mean pause between two citizen messages. */
  intervalMs?: number;
  random?: () => number;
}

interface BotMessageRecord {
  message: { chat_id?: number | string; text?: string };
}

/**
 * Fictional citizens who write to the bot through the emulator at a slow rate and log what the bot
 * answers — so a newcomer sees the whole loop without a Telegram account.
 */
export class SimulatedCitizens {
  readonly #emulator: TelegramEmulator;
  readonly #log: Logger;
  readonly #intervalMs: number;
  readonly #random: () => number;
  /** 0: has not written yet, 2: greeted and consented. */
  readonly #stage = new Map<number, number>();
  #timer: NodeJS.Timeout | null = null;
  #sent = 0;
  #answered = 0;
  readonly #onBotMessage = () => this.#logBotMessage();

  constructor(emulator: TelegramEmulator, log: Logger, options: SimulatedCitizensOptions = {}) {
    this.#emulator = emulator;
    this.#log = log;
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#random = options.random ?? Math.random;
  }

  get stats(): { sent: number; answered: number } {
    return { sent: this.#sent, answered: this.#answered };
  }

  start(): void {
    this.#emulator.server.on('AddedBotMessage', this.#onBotMessage);
    this.#schedule(1_000);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#emulator.server.off('AddedBotMessage', this.#onBotMessage);
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#writeOne().catch((error) => this.#log.warn({ err: error }, 'sandbox citizen could not write'));
      this.#schedule(this.#intervalMs * (0.5 + this.#random()));
    }, delayMs);
    this.#timer.unref();
  }

  async #writeOne(): Promise<void> {
    const citizen = SIMULATED_CITIZENS[Math.floor(this.#random() * SIMULATED_CITIZENS.length)];
    if (!citizen) return;
    const client = this.#emulator.server.getClient(this.#emulator.token, {
      userId: citizen.id,
      chatId: citizen.id,
      firstName: citizen.firstName,
      userName: citizen.userName,
    });
    if ((this.#stage.get(citizen.id) ?? 0) < 2) {
      // A newcomer says /start, taps «Согласен(на)» and writes a problem, a moment apart each,
      // as a person would: the first case shows up within seconds of start.
      this.#stage.set(citizen.id, 2);
      await client.sendCommand(client.makeCommand('/start'));
      this.#sent++;
      this.#log.info({ citizen: citizen.userName }, '🧪 sandbox citizen → bot: /start');
      await this.#pause(1_200);
      await client.sendCallback(client.makeCallbackQuery('consent:yes'));
      this.#sent++;
      this.#log.info({ citizen: citizen.userName }, '🧪 sandbox citizen taps «Согласен(на)»');
      await this.#pause(1_200);
    }
    const text = CITIZEN_TEXTS[Math.floor(this.#random() * CITIZEN_TEXTS.length)] ?? 'Здравствуйте!';
    await client.sendMessage(client.makeMessage(text));
    this.#sent++;
    this.#log.info({ citizen: citizen.userName, preview: text.slice(0, 60) }, '🧪 sandbox citizen → bot');
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.min(ms, this.#intervalMs)).unref());
  }

  #logBotMessage(): void {
    const records = (this.#emulator.server as unknown as { storage: { botMessages: BotMessageRecord[] } }).storage.botMessages;
    const last = records.at(-1);
    if (!last) return;
    this.#answered++;
    if (String(last.message.chat_id) === String(SANDBOX_OPERATORS_CHAT_ID)) {
      this.#log.warn(
        {
          preview: String(last.message.text ?? '')
            .split('\n')[0]
            ?.slice(0, 100),
        },
        '🧪 bot → operators chat',
      );
      return;
    }
    const citizen = SIMULATED_CITIZENS.find((c) => String(c.id) === String(last.message.chat_id));
    this.#log.info(
      {
        citizen: citizen?.userName ?? 'unknown',
        preview: String(last.message.text ?? '')
          .split('\n')[0]
          ?.slice(0, 80),
      },
      '🧪 bot → sandbox citizen',
    );
  }
}
