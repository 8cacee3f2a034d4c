/**
 * The limit-enforcing fakes of the Telegram Bot API and the VK API (broadcast pacing). They live in
 * src/sandbox/ (bench/ runs them too) and are re-exported here for the tests, since src/ cannot import test/.
 */
export { type TelegramDelivery, type TelegramFault, TelegramRateFake } from '../../src/sandbox/telegram-rate-fake.js';
export { type VkCall, type VkDelivery, type VkPeerError, VkRateFake } from '../../src/sandbox/vk-rate-fake.js';
