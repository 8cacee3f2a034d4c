import type { BroadcastSettings, DomainConfig, Role } from '../../config/domain.js';

/**
 * The `broadcasts` section of the domain file, or — without it — no topics and the messengers'
 * published limits, approval above 1,000 recipients by the head, coordinator or curator.
 */
export const DEFAULT_BROADCAST_SETTINGS: BroadcastSettings = Object.freeze({
  topics: [],
  approval: { aboveRecipients: 1000, roles: ['head', 'coordinator', 'curator'] as Role[] },
  authorRoles: ['operator', 'head', 'coordinator', 'curator'] as Role[],
  telegram: { perSecond: 30, perChatSeconds: 1, perGroupPerMinute: 20 },
  vk: { requestsPerSecond: 20, peersPerCall: 100, intentLimitBackoffSeconds: 600, randomIdScope: 'dialog' },
  max: { requestsPerSecond: 30, messagesPerChatPerSecond: 2 },
  vkIntents: { subscribers: 'non_promo_newsletter', cases: 'account_update', emergency: 'non_promo_newsletter' },
  maxAttempts: 8,
}) as BroadcastSettings;

export function broadcastSettings(domain: Pick<DomainConfig, 'broadcasts'>): BroadcastSettings {
  return domain.broadcasts ?? DEFAULT_BROADCAST_SETTINGS;
}

/** The smallest text limit of the messengers (MAX: 4,000; Telegram and VK: 4,096). */
export const BROADCAST_TEXT_LIMIT = 4000;
/** A longer text is refused even when splitting is allowed. */
export const BROADCAST_SPLIT_LIMIT = 12_000;
