import type { Api } from 'grammy';
import { createChannelPort, type MessengerAdapter } from '../../bots/outbound/channel-port.js';
import { createTelegramApi } from '../../bots/telegram/create-bot.js';
import { telegramFileSource } from '../../bots/telegram/file-source.js';
import { TelegramAdapter } from '../../bots/telegram/outbound.js';
import { createVkApi, type VkApiPort } from '../../bots/vk/api.js';
import { VkAdapter } from '../../bots/vk/outbound.js';
import type { DomainConfig } from '../../config/domain.js';
import type { AppConfig, TelegramConfig } from '../../config/index.js';
import type { Channel } from '../../models/intake.js';
import type { ChannelPort, Recipient } from '../../models/outbound.js';

/**
 * The messengers this instance can send through: one client per platform (created on first use) and
 * the channel port the handlers are given. Any instance with a token can send, whatever its roles.
 */
export class Messengers {
  #telegramClient: Api | null = null;
  #vkApi: VkApiPort | null = null;
  #port: ChannelPort | null = null;

  constructor(
    readonly telegram: TelegramConfig | null,
    readonly vk: AppConfig['vk'],
    /** The operators' chat: TELEGRAM_OPERATORS_CHAT_ID, or in the sandbox its simulated chat. */
    readonly operatorsChatId: number | null,
    /** The domain file's city: the texts write dates and times on its clock. */
    readonly city: DomainConfig['city'],
  ) {}

  /** One Bot API client for everything this instance sends (the port's Telegram adapter, the bot's replies). */
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

  /**
   * The channel port the handlers send through: one adapter per messenger this instance has a token
   * for (a new messenger adds its line here). A send to any other channel fails, and its job is retried.
   */
  channelPort(): ChannelPort {
    if (this.#port) return this.#port;
    const adapters: Partial<Record<Channel, MessengerAdapter>> = {};
    if (this.telegram) adapters.telegram = new TelegramAdapter(this.telegramApi());
    const vk = this.vkApi();
    // Officials' photos live in Telegram; a VK answer copies them from there.
    const photos = this.telegram ? telegramFileSource(this.telegramApi(), this.telegram) : null;
    if (vk) adapters.vk = new VkAdapter(vk, photos);
    this.#port = createChannelPort(adapters, this.city);
    return this.#port;
  }

  /** Where alerts to the operators go; null when no operators' chat is configured (the alerts stay in the API). */
  operatorsChat(): Recipient | null {
    if (!this.telegram || this.operatorsChatId === null) return null;
    return { channel: 'telegram', chatId: String(this.operatorsChatId) };
  }
}
