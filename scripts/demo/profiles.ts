/**
 * What makes the demo history look like a real year: how often each category comes in each month,
 * where messages come from, and how each department works. Invented figures shaped like the МЦУ's
 * practice (heating in the cold season, snow in winter, greenery in summer), not anyone's statistics.
 */

/** Relative volume of a category and its monthly factors, January first. */
export interface CategorySeason {
  readonly weight: number;
  readonly months: readonly number[];
  /** Share of urgent cases (in the heating season for the seasonal ones). */
  readonly urgent?: number;
  /** How likely a case joins the previous one of the same category and district (a problem). */
  readonly clusters?: number;
}

const FLAT = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];

export const SEASONS: Readonly<Record<string, CategorySeason>> = {
  heating: { weight: 8, months: [2.2, 1.8, 1.2, 0.6, 0.1, 0.05, 0.05, 0.1, 0.6, 2.4, 2.0, 2.4], urgent: 0.15, clusters: 0.55 },
  'hot-water': { weight: 5, months: [0.8, 0.8, 0.8, 0.9, 1.3, 2.6, 2.1, 1.0, 0.8, 0.8, 0.8, 0.8], clusters: 0.45 },
  'cold-water': { weight: 4, months: [1.3, 1.3, 1, 1, 1, 1.1, 1.2, 1, 0.9, 0.9, 1, 1.2], urgent: 0.1, clusters: 0.4 },
  sewage: { weight: 3, months: [1, 1, 1.4, 1.6, 1.1, 1, 1, 1, 1, 1, 1, 1], clusters: 0.3 },
  electricity: { weight: 3, months: [1.2, 1.1, 1, 0.9, 1, 1.2, 1.4, 1.2, 0.9, 0.9, 1, 1.2], urgent: 0.1, clusters: 0.45 },
  gas: { weight: 1.2, months: FLAT, urgent: 0.3 },
  'apartment-buildings': { weight: 7, months: [1.2, 1.4, 1.8, 1.5, 1, 0.9, 0.9, 0.9, 0.9, 1, 1, 1.1], clusters: 0.15 },
  'management-companies': { weight: 5, months: FLAT },
  roads: { weight: 8, months: [0.5, 0.5, 1.2, 2.2, 2, 1.5, 1.2, 1.1, 1, 0.8, 0.6, 0.5], clusters: 0.35 },
  pavements: { weight: 3, months: [0.5, 0.5, 0.8, 1.2, 1.5, 1.4, 1.3, 1.2, 1, 0.8, 0.6, 0.5], clusters: 0.2 },
  'traffic-management': { weight: 2.5, months: FLAT, clusters: 0.2 },
  'snow-ice': { weight: 9, months: [3, 2.6, 1.6, 0.3, 0, 0, 0, 0, 0, 0.2, 1.6, 2.8], clusters: 0.45 },
  'street-lighting': { weight: 3, months: [1.4, 1.2, 1, 0.7, 0.5, 0.4, 0.4, 0.6, 0.9, 1.3, 1.5, 1.6], clusters: 0.3 },
  'public-transport': { weight: 5, months: [1, 1, 1, 1, 0.9, 0.8, 0.8, 0.9, 1.4, 1.1, 1, 1], clusters: 0.2 },
  parking: { weight: 2.5, months: FLAT },
  yards: { weight: 5, months: [0.4, 0.4, 0.6, 1.2, 1.8, 1.7, 1.6, 1.5, 1.2, 0.8, 0.5, 0.4], clusters: 0.15 },
  waste: { weight: 6, months: [1.3, 1, 1, 1.1, 1.1, 1.3, 1.4, 1.3, 1, 0.9, 0.9, 1.2], clusters: 0.35 },
  greenery: { weight: 4, months: [0.2, 0.2, 0.4, 1.2, 2.2, 2.4, 2.2, 1.8, 1.2, 0.8, 0.3, 0.2], clusters: 0.2 },
  playgrounds: { weight: 2.5, months: [0.2, 0.2, 0.3, 0.9, 1.8, 2.2, 2.2, 1.8, 1, 0.5, 0.3, 0.2] },
  'stray-animals': { weight: 2.5, months: [0.8, 0.8, 1, 1.1, 1.2, 1.1, 1.1, 1.1, 1, 1, 0.9, 0.8], clusters: 0.25 },
  ecology: { weight: 2, months: [1.5, 1.3, 1, 1.1, 1, 0.9, 0.9, 0.8, 0.8, 1, 1.3, 1.5], clusters: 0.25 },
  construction: { weight: 1.5, months: FLAT },
  trade: { weight: 1.5, months: [0.8, 0.8, 0.9, 1, 1.2, 1.3, 1.3, 1.2, 1, 0.9, 0.8, 0.8] },
  noise: { weight: 2, months: [0.7, 0.7, 0.8, 1, 1.3, 1.5, 1.5, 1.3, 1, 0.8, 0.7, 1.1] },
  emergency: { weight: 1, months: [0.8, 0.8, 1.5, 2.5, 1.2, 1, 1, 0.8, 0.6, 0.6, 0.7, 0.8], urgent: 0.5, clusters: 0.5 },
  healthcare: { weight: 2, months: [1.4, 1.3, 1.1, 1, 0.9, 0.8, 0.8, 0.8, 1, 1.1, 1.2, 1.3] },
  education: { weight: 2.5, months: [1, 1, 1.2, 1.5, 1.3, 0.7, 0.6, 1.3, 1.6, 1, 1, 0.9] },
  'social-support': { weight: 2, months: FLAT },
  other: { weight: 2, months: FLAT },
};

/** A category the table does not know: average volume, no season. */
export const DEFAULT_SEASON: CategorySeason = { weight: 1, months: FLAT };

/** Relative volume by hour of day (local time): a morning and an evening peak, little at night. */
export const HOURS = [
  0.3, 0.15, 0.1, 0.1, 0.15, 0.3, 0.8, 1.6, 2.2, 2.4, 2.3, 2.1, 2, 2, 1.9, 1.8, 1.8, 1.9, 2.1, 2.3, 2.2, 1.7, 1.1, 0.6,
];

/** Weekends bring fewer messages. Sunday first, as Date#getUTCDay. */
export const WEEKDAYS = [0.7, 1.05, 1.05, 1, 1, 0.95, 0.75];

/** Where a case comes from: a channel, a demo source, whether the citizen can be polled. */
export interface Origin {
  readonly key: string;
  readonly channel: 'telegram' | 'vk' | 'max' | 'import';
  readonly messageKind: string;
  /** The domain file's external source (regime and name) for ПОС/ИМ. */
  readonly externalSource?: 'pos' | 'im';
  readonly weight: number;
}

export const ORIGINS: readonly Origin[] = [
  { key: 'telegram-bot', channel: 'telegram', messageKind: 'private', weight: 38 },
  { key: 'telegram-comments', channel: 'telegram', messageKind: 'comment', weight: 6 },
  { key: 'vk-bot', channel: 'vk', messageKind: 'private', weight: 16 },
  { key: 'vk-comments', channel: 'vk', messageKind: 'comment', weight: 10 },
  { key: 'max-bot', channel: 'max', messageKind: 'private', weight: 12 },
  { key: 'pos', channel: 'import', messageKind: 'private', externalSource: 'pos', weight: 12 },
  { key: 'im', channel: 'import', messageKind: 'private', externalSource: 'im', weight: 6 },
];

/** The demo's source rows, one per origin: `external_id` starts with "demo:", which is how `demo clear` finds them. */
export const DEMO_SOURCES: Readonly<Record<string, { channel: string; kind: string; title: string; official: boolean }>> = {
  'telegram-bot': { channel: 'telegram', kind: 'private', title: 'ДЕМО: бот МЦУ в Telegram', official: false },
  'telegram-comments': {
    channel: 'telegram',
    kind: 'discussion_group',
    title: 'ДЕМО: обсуждения канала администрации',
    official: true,
  },
  'vk-bot': { channel: 'vk', kind: 'private', title: 'ДЕМО: сообщения сообщества МЦУ ВКонтакте', official: false },
  'vk-comments': { channel: 'vk', kind: 'official_community', title: 'ДЕМО: комментарии в госпаблике ВКонтакте', official: true },
  'max-bot': { channel: 'max', kind: 'private', title: 'ДЕМО: бот МЦУ в MAX', official: false },
  pos: { channel: 'import', kind: 'external_system', title: 'ДЕМО: ПОС «Госуслуги. Решаем вместе»', official: false },
  im: { channel: 'import', kind: 'external_system', title: 'ДЕМО: «Инцидент-менеджмент»', official: false },
};

/**
 * How a department works. Fractions are of the working time between registration and the deadline:
 * `speed` 0.3 answers at 30 % of the term (median), `late` is the share answered after the deadline.
 */
export interface Habit {
  readonly speed: number;
  readonly firstSpeed: number;
  readonly late: number;
  readonly otpiska: number;
  readonly extension: number;
  readonly interim: number;
  readonly ignores: number;
}

export const HABITS: Readonly<Record<string, Habit>> = {
  fast: { speed: 0.25, firstSpeed: 0.3, late: 0.03, otpiska: 0.02, extension: 0.02, interim: 0.7, ignores: 0.003 },
  steady: { speed: 0.45, firstSpeed: 0.5, late: 0.07, otpiska: 0.05, extension: 0.05, interim: 0.8, ignores: 0.005 },
  slow: { speed: 0.75, firstSpeed: 0.8, late: 0.18, otpiska: 0.06, extension: 0.12, interim: 0.6, ignores: 0.01 },
  sloppy: { speed: 0.35, firstSpeed: 0.45, late: 0.08, otpiska: 0.22, extension: 0.03, interim: 0.5, ignores: 0.01 },
  overloaded: { speed: 0.85, firstSpeed: 1.1, late: 0.3, otpiska: 0.1, extension: 0.15, interim: 0.5, ignores: 0.02 },
};

/** Which habit each department of the Barnaul domain file has; others are `steady`. */
export const DEPARTMENT_HABITS: Readonly<Record<string, keyof typeof HABITS>> = {
  mcu: 'fast',
  'housing-utilities': 'slow',
  'energy-gas': 'steady',
  'roads-transport': 'steady',
  landscaping: 'fast',
  environment: 'sloppy',
  construction: 'slow',
  education: 'fast',
  'social-support': 'fast',
  'civil-defence': 'fast',
  police: 'overloaded',
  'regional-health': 'sloppy',
  'adm-central': 'fast',
  'adm-zheleznodorozhny': 'steady',
  'adm-industrial': 'overloaded',
  'adm-leninsky': 'sloppy',
  'adm-oktyabrsky': 'steady',
};

/** Ratings 1…5 (weights) by how the case went. */
export const RATINGS = {
  good: [4, 5, 12, 29, 50],
  late: [10, 12, 20, 30, 28],
  otpiska: [35, 25, 20, 12, 8],
} as const;
