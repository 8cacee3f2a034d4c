import type { Api } from 'grammy';
import { TelegramAnswerDeliverer } from '../../bots/telegram/answer-deliverer.js';
import { createTelegramApi } from '../../bots/telegram/create-bot.js';
import { TelegramDigestNotifier } from '../../bots/telegram/digest-notifier.js';
import { telegramFileSource } from '../../bots/telegram/file-source.js';
import { TelegramNotifier } from '../../bots/telegram/notifier.js';
import { TelegramOfficialNotifier } from '../../bots/telegram/official-notifier.js';
import { TelegramOperatorNotifier } from '../../bots/telegram/operator-notifier.js';
import { VkAnswerDeliverer } from '../../bots/vk/answer-deliverer.js';
import { createVkApi, type VkApiPort } from '../../bots/vk/api.js';
import { VkNotifier } from '../../bots/vk/notifier.js';
import type { AppConfig, TelegramConfig } from '../../config/index.js';
import type { AnswerDeliverer } from '../../handlers/answers/answer-case.js';
import type { OfficialNotifier } from '../../handlers/reminders/notify-official.js';
import type { DigestNotifier } from '../../handlers/reminders/send-digest.js';
import type { OperatorNotifier } from '../../handlers/structuring/notify-operators.js';
import type { CitizenNotifier } from '../../models/citizen-notification.js';
import type { Channel } from '../../models/intake.js';

/**
 * The messengers this instance can send through: one client per platform (created on first use) and
 * the senders the handlers are given. Any instance with a token can send, whatever its roles.
 */
export class Messengers {
  #telegramClient: Api | null = null;
  #vkApi: VkApiPort | null = null;

  constructor(
    readonly telegram: TelegramConfig | null,
    readonly vk: AppConfig['vk'],
    /** The operators' chat: TELEGRAM_OPERATORS_CHAT_ID, or in the sandbox its simulated chat. */
    readonly operatorsChatId: number | null,
  ) {}

  /** One Bot API client for everything this instance sends (notifications, answers, reminders, alerts). */
  telegramApi(): Api {
    if (!this.telegram) throw new Error('no Telegram configuration');
    this.#telegramClient ??= createTelegramApi(this.telegram);
    return this.#telegramClient;
  }

  vkApi(): VkApiPort | null {
    if (!this.vk) return null;
    this.#vkApi ??= createVkApi({ token: this.vk.token, apiBaseUrl: this.vk.apiBaseUrl, requestsPerSecond: 20 });
    return this.#vkApi;
  }

  /** Senders for citizen notifications, by channel. */
  citizenNotifiers(): Partial<Record<Channel, CitizenNotifier>> {
    const notifiers: Partial<Record<Channel, CitizenNotifier>> = {};
    if (this.telegram) notifiers.telegram = new TelegramNotifier(this.telegramApi());
    const vk = this.vkApi();
    if (vk) notifiers.vk = new VkNotifier(vk);
    return notifiers;
  }

  answerDeliverers(): Partial<Record<'telegram' | 'vk', AnswerDeliverer>> {
    const deliverers: Partial<Record<'telegram' | 'vk', AnswerDeliverer>> = {};
    if (this.telegram) deliverers.telegram = new TelegramAnswerDeliverer(this.telegramApi());
    const vk = this.vkApi();
    // Officials' photos live in Telegram; a VK answer copies them from there.
    const files = this.telegram ? telegramFileSource(this.telegramApi(), this.telegram) : null;
    if (vk) deliverers.vk = new VkAnswerDeliverer(vk, files);
    return deliverers;
  }

  officialNotifier(): OfficialNotifier | null {
    return this.telegram ? new TelegramOfficialNotifier(this.telegramApi()) : null;
  }

  digestNotifier(): DigestNotifier | null {
    return this.telegram ? new TelegramDigestNotifier(this.telegramApi()) : null;
  }

  operatorNotifier(): OperatorNotifier | null {
    if (!this.telegram || this.operatorsChatId === null) return null;
    return new TelegramOperatorNotifier(this.telegramApi(), this.operatorsChatId);
  }
}
