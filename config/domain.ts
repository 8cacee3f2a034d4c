/**
 * The domain configuration: departments, blocks, roles, categories, districts, SLA and intake rules
 * of one city (config/barnaul.yaml). It is read once at start-up, validated in full and frozen.
 *
 * Every problem is reported at once, each with `file:line:col path: message`, because the file is
 * edited by operators, not developers: one round trip per typo would make a bad afternoon.
 */
import { readFileSync } from 'node:fs';
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { isDuration, parseDuration } from '../lib/deadlines/index.js';
import { ConfigError } from './errors.js';

// ---------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------

/** Roles of the regulation (see DOMAIN.md); each gets a Russian title in the file. */
export const ROLES = ['curator', 'head', 'coordinator', 'block_owner', 'operator', 'department_head', 'official'] as const;
/** Kinds of organisational units a case can be assigned to. */
export const DEPARTMENT_KINDS = ['committee', 'department', 'district_administration', 'mcu', 'subordinate', 'external'] as const;
/** The three legal regimes, each with its own clock. */
export const REGIMES = ['social', 'pos', 'appeal_59fz'] as const;
/** Grammatical cases a district name is listed in, so text search finds «в Ленинском районе». */
export const CASES = ['nominative', 'genitive', 'dative', 'accusative', 'instrumental', 'prepositional'] as const;

const ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const CLOCK_PATTERN = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
/** When the morning digest goes out if the file does not say (`sla.digest.at`). */
const DEFAULT_DIGEST_AT = '08:30';

// Every object is strict (unknown keys are errors: a misspelt optional key would otherwise be
// silently ignored) and read-only in its type, matching the deep freeze applied after parsing.
const record = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape).readonly();
const list = <T extends z.ZodType>(item: T, min = 0) =>
  z
    .array(item)
    .min(min, min === 1 ? 'must not be empty' : `must have at least ${min} items`)
    .readonly();

const text = z.string().regex(/\S/, 'must not be blank');
const id = z.string().regex(ID_PATTERN, 'must be a kebab-case latin id, e.g. "roads-transport"');
// References are checked against the declared ids after parsing, with a "did you mean" hint.
const ref = z.string().min(1, 'must name an id');
const clock = z.string().regex(CLOCK_PATTERN, 'must be a time of day "HH:MM"');
const duration = z.string().refine(isDuration, 'must be a duration like "4wh", "8wd", "30d", "2h" or "15m"');
const positiveDuration = duration.refine((s) => !isDuration(s) || parseDuration(s).amount > 0, 'must be longer than zero');
const keyword = text.refine((s) => s === s.toLowerCase(), 'must be lower-case');

const interval = record({ start: clock, end: clock }).refine(
  (i) => !(CLOCK_PATTERN.test(i.start) && CLOCK_PATTERN.test(i.end)) || i.start < i.end,
  { message: 'must end after it starts', path: ['end'] },
);

const timeZone = text.refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone, e.g. "Asia/Barnaul"');

const locale = text.refine((tag) => {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length === 1;
  } catch {
    return false;
  }
}, 'must be a BCP 47 locale the runtime knows, e.g. "ru-RU"');

// A weekday left out is a day off.
const day = interval.optional();
const schedule = record({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }).refine(
  (s) => Object.values(s).some(Boolean),
  'must list at least one working day',
);

const city = record({
  name: text,
  /** The name in the genitive («города Барнаула»), for the bot's greeting; without it the greeting uses `name`. */
  nameGenitive: text.optional(),
  timezone: timeZone,
  /** How dates and times are written for people (officials' cards, citizens' notices). */
  locale: locale.default('ru-RU'),
  workingHours: record({
    schedule,
    lunch: interval.optional(),
    preHolidayShortening: duration
      .refine((s) => !isDuration(s) || ['h', 'm'].includes(parseDuration(s).unit), 'must be in hours or minutes, e.g. "1h"')
      .optional(),
  }),
  /**
   * Production calendar files, relative to this file; a later file replaces a whole year of an
   * earlier one, so an operator adds next year in a file of their own. Default: production-calendar.json.
   */
  productionCalendars: list(text, 1).optional(),
});

const department = record({
  id,
  name: text,
  shortName: text.optional(),
  kind: z.enum(DEPARTMENT_KINDS),
  block: ref.optional(),
  parent: ref.optional(),
});

const block = record({ id, name: text, owner: text });

const roles = record({
  curator: text,
  head: text,
  coordinator: text,
  block_owner: text,
  operator: text,
  department_head: text,
  official: text,
} satisfies Record<Role, typeof text>);

const category = record({ id, name: text, department: ref, block: ref, keywords: list(keyword) });

const district = record({
  id,
  name: text,
  administration: ref,
  forms: record({
    nominative: text,
    genitive: text,
    dative: text,
    accusative: text,
    instrumental: text,
    prepositional: text,
  } satisfies Record<(typeof CASES)[number], typeof text>),
  settlements: list(text),
  microdistricts: list(text),
  streets: list(text),
  /** Well-known places (a market, a stadium, a hospital) that lie in this district. */
  landmarks: list(text).optional(),
  /** Residents, for the heat map's cases per 10,000 (GET /api/v1/analytics/heatmap?metric=per10k). */
  population: z.number().int().positive().optional(),
});

const policy = record({
  channels: list(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a channel id like "telegram"'), 1).optional(),
  priority: z.enum(['normal', 'urgent']),
  firstResponse: positiveDuration,
  finalResponse: positiveDuration,
  maxExtension: positiveDuration.optional(),
});

const sla = record({
  policies: record({
    social: list(policy, 1),
    pos: list(policy, 1),
    appeal_59fz: list(policy, 1),
  } satisfies Record<Regime, unknown>),
  reminders: record({ before: list(z.number().int().min(1).max(100), 1) }),
  escalation: record({ steps: list(record({ role: z.enum(ROLES), after: duration }), 1) }),
  quietHours: record({ start: clock, end: clock }),
  /** The morning digest to officials on working days, at this local time (outside the quiet hours). */
  digest: record({ at: clock }).default({ at: DEFAULT_DIGEST_AT }),
});

/** A public VK community that is not the city's own, polled on a schedule (needs VK_SERVICE_TOKEN). */
const publicCommunity = record({
  ownerId: z.number().int().negative('must be the negative id of a VK community, e.g. -12345'),
  name: text,
});

const intake = record({
  followUpWindow: positiveDuration,
  /**
   * A follow-up within the window that is about something else than the open case asks the citizen
   * «дополнение или новое обращение?»; without an answer within this time it becomes a new case.
   */
  followUpChoiceTimeout: positiveDuration.default('5m'),
  publicCommunities: list(publicCommunity).default([]),
  /** Cron expression (city time, `city.timezone`) for polling the public communities. */
  pollCommunitiesCron: text.default('*/5 * * * *'),
  /** How many of each community's latest posts are checked for new comments. */
  pollRecentPosts: z.number().int().min(1).max(100).default(10),
  /**
   * How long a platform event id is remembered to drop re-deliveries. Telegram keeps updates 24 h and
   * VK retries within minutes, so a week is generous; older ledger rows are deleted daily.
   */
  eventLedgerRetention: positiveDuration.default('7d'),
  /**
   * The inbox: an event whose decision fails this many times (the database or network being away
   * does not count) is parked in the dead letters, where operators see and replay it.
   */
  inboxMaxAttempts: z.number().int().min(1).max(100).default(10),
  /** Dead letters older than this are deleted daily (with the decided inbox events past eventLedgerRetention). */
  deadLetterRetention: positiveDuration.default('30d'),
});

/**
 * Structuring: how sure the classifier must be, what counts as a duplicate and a spike, and routing
 * overrides (category and district → department) on top of each category's own department.
 */
const structuring = record({
  minConfidence: z.number().min(0).max(1),
  duplicateWindow: positiveDuration,
  duplicateSimilarity: z.number().min(0).max(1),
  spike: record({ cases: z.number().int().min(2), within: positiveDuration }),
  /** Phrases (lower-case) that make a message urgent; the "winter" ones only from October to April. */
  urgent: record({ always: list(keyword), winter: list(keyword) }),
  /** Phrases that mark a message as not a problem (thanks, greetings, advertising). */
  notProblem: record({ thanks: list(keyword), spam: list(keyword) }),
  routing: list(record({ category: ref, district: ref.optional(), department: ref })),
  /** GeoJSON FeatureCollection of district boundaries (properties.district), relative to this file. */
  boundaries: text.optional(),
  /** Cron (city time) of the retraining on operators' corrections. */
  retrainCron: text.optional(),
  /** Streets that run through several districts: a mention alone decides nothing. */
  sharedStreets: list(record({ name: text, districts: list(ref, 2) })),
});

/** The answer quality gate («отписка»): with holdForApproval a forced weak answer waits for an operator. */
const answers = record({
  holdForApproval: z.boolean(),
  minLength: z.number().int().min(0).max(2000).optional(),
  stockPhrases: list(keyword).optional(),
  /** How long after the final answer the citizen is asked «Проблема решена?» (calendar time). */
  pollDelay: positiveDuration.optional(),
});

/** Case statuses a source system's own status may map to (the lifecycle's, after registration). */
export const SOURCE_STATUS_TARGETS = ['assigned', 'in_progress', 'interim_replied', 'answered', 'closed', 'reopened'] as const;
/** The appeal fields an export file's columns can fill; the first three are required. */
export const SOURCE_FIELDS = [
  'externalId',
  'receivedAt',
  'text',
  'category',
  'department',
  'address',
  'status',
  'answeredAt',
  'answerText',
  'closedAt',
  'rating',
  'authorName',
  'authorPhone',
  'authorEmail',
  'lat',
  'lon',
] as const;
export type SourceField = (typeof SOURCE_FIELDS)[number];
const sourceKey = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case latin source name like "pos"');
const column = text;
/** Which column of an export holds each field (header text, as the source system writes it). */
const sourceColumnsObject = z.strictObject({
  externalId: column,
  receivedAt: column,
  text: column,
  category: column.optional(),
  department: column.optional(),
  address: column.optional(),
  status: column.optional(),
  answeredAt: column.optional(),
  answerText: column.optional(),
  closedAt: column.optional(),
  rating: column.optional(),
  authorName: column.optional(),
  authorPhone: column.optional(),
  authorEmail: column.optional(),
  lat: column.optional(),
  lon: column.optional(),
} satisfies Record<SourceField, unknown>);
const sourceColumnsSchema = sourceColumnsObject.readonly();
/** A `--mapping` file's columns: any of the fields, over the source's defaults. */
export const sourceColumnsOverride = sourceColumnsObject.partial();

/**
 * Another system appeals come from (ПОС, «Инцидент-менеджмент»): its legal regime (the clock of its
 * cases), the columns of its export files, and its own categories, executors and statuses mapped to
 * ours. A category or executor it names that is not mapped is left to structuring.
 */
const externalSource = record({
  name: text,
  regime: z.enum(REGIMES),
  columns: sourceColumnsSchema,
  categories: z.record(text, ref).readonly().default({}),
  departments: z.record(text, ref).readonly().default({}),
  statuses: z.record(text, z.enum(SOURCE_STATUS_TARGETS)).readonly().default({}),
});

const weight = z.number().min(0).max(1);

/**
 * Ratings of the departments (regulation 2.2.6) and the problem list (2.2.7): docs/architecture/ratings.md
 * explains every figure. The weights are relative (they need not add up to 1) and at least one is above 0.
 */
const analytics = record({
  /** Below this many cases in the period a department is listed apart, unranked. */
  minCases: z.number().int().min(1).max(100_000),
  weights: record({
    onTime: weight,
    answered: weight,
    completeness: weight,
    satisfaction: weight,
    reopened: weight,
    repeats: weight,
  }).refine((w) => Object.values(w).some((v) => v > 0), 'at least one weight must be above 0'),
  /** A problem is resolved when all its cases are answered and none was reopened for this many days. */
  problemResolvedAfterDays: z.number().int().min(1).max(365),
  /** A case is a repeat when an earlier case of the same problem and district was answered within this many days before it. */
  repeatWindowDays: z.number().int().min(1).max(365),
  /** Thresholds of the recommendations' rules (regulation 2.2.9, 4.3): docs/architecture/recommendations.md. */
  recommendations: record({
    /** A department's held-or-forced answer share grew at least this many times against the period before. */
    heldShareGrowth: z.number().min(1).max(100).default(2),
    /** The least volume a figure is judged on (final answers, due cases, ratings), in each period or group compared. */
    minCases: z.number().int().min(1).max(100_000).default(5),
    /** Repeat complaints about one problem from one district in the period. */
    repeatComplaints: z.number().int().min(2).max(100_000).default(3),
    /** A share of late answers (late / due, 0–1) at which a category counts as late in a district. */
    lateShare: z.number().min(0).max(1).default(0.5),
    /** How far (0–1) a department's share of ratings 4–5 may fall below the city's before it is flagged. */
    satisfactionGap: z.number().min(0).max(1).default(0.1),
  }).optional(),
});

/**
 * The weekly report (regulation 2.1.5, 4.3): docs/architecture/reports.md. Without the section it goes
 * out at `sla.digest.at` and a department is late under 80 % on time.
 */
const reports = record({
  /** City time on the first working day of the week (outside the quiet hours); default `sla.digest.at`. */
  weeklyAt: clock.optional(),
  /** A department whose on-time share for the week is below this (0–1) is listed as late. */
  lateOnTimeShare: z.number().min(0).max(1).optional(),
});

/** VK message intents a broadcast may be sent with (messages.send `intent`). */
export const VK_INTENTS = [
  'promo_newsletter',
  'non_promo_newsletter',
  'bot_ad_invite',
  'bot_ad_promo',
  'confirmed_notification',
  'purchase_update',
  'account_update',
  'game_notification',
  'customer_support',
  'moderated_newsletter',
] as const;

const perSecond = z.number().positive().max(1000);

/**
 * Targeted broadcasts (regulation 2.2.3): topics citizens subscribe to, who approves a large one, and the
 * messengers' limits the sender paces to (docs/architecture/broadcasts.md). Without the section there are
 * no topics and the limits below are the platforms' published ones.
 */
const broadcasts = record({
  /** What a citizen can subscribe to, besides districts. */
  topics: list(record({ id, name: text }), 1),
  /** A broadcast to more recipients than this needs a second person with one of `roles` to approve it. */
  approval: record({
    aboveRecipients: z.number().int().min(0).max(10_000_000),
    roles: list(z.enum(ROLES), 1),
  }),
  /** Who may compose, preview and start broadcasts. */
  authorRoles: list(z.enum(ROLES), 1),
  /** Telegram: messages per second per bot, seconds between two messages to one chat, messages per minute to one group. */
  telegram: record({ perSecond, perChatSeconds: z.number().min(0).max(3600), perGroupPerMinute: perSecond }),
  /**
   * VK: API calls per second per community token (shared with the rest of the VK traffic), recipients per
   * messages.send, and how long a recipient whose intent limit is reached (error 944) waits before it is
   * tried again (VK counts those per user over hours; seconds would only spend its tries). Default 600.
   */
  vk: record({
    requestsPerSecond: perSecond,
    peersPerCall: z.number().int().min(1).max(100),
    intentLimitBackoffSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600)
      .default(600),
    /**
     * What one random_id covers: `dialog` — one per broadcast part, for every call (VK is observed to check a
     * random_id per dialog, so a re-formed or retried batch delivers nobody twice); `call` — one per call's
     * set of peers (safe if VK checks a random_id across the community's whole history, as its 2019 docs
     * say; then a batch re-formed after a crash can deliver its in-flight recipients twice, as Telegram).
     * Verify on a test community before the first real broadcast (docs/operations/deployment.md).
     */
    randomIdScope: z.enum(['dialog', 'call']).default('dialog'),
  }),
  /** MAX: requests per second per bot, and messages per second into one chat (default 2). */
  max: record({ requestsPerSecond: perSecond, messagesPerChatPerSecond: z.number().positive().max(30).default(2) }),
  /** The VK intent per kind of broadcast: to subscribers, to the citizens of cases, an emergency. */
  vkIntents: record({
    subscribers: z.enum(VK_INTENTS),
    cases: z.enum(VK_INTENTS),
    emergency: z.enum(VK_INTENTS),
  }),
  /** Tries per recipient when the messenger fails (network, 5xx) before it is stamped failed. */
  maxAttempts: z.number().int().min(1).max(50),
});

/**
 * Official pages (regulation 2.2.12, 4.7; 270-ФЗ): how often they are monitored, the term for replying
 * to a citizen's comment, the alerts' thresholds, the page score's criteria and the digital component's
 * weight in the department rating (docs/architecture/official-pages.md).
 */
const pages = record({
  /** Cron (city time) of the monitoring round. */
  schedule: text.default('0 */3 * * *'),
  /** Working hours a page has to reply to a citizen's comment; later, a problem comment becomes a case. */
  replyTermHours: z
    .number()
    .positive()
    .max(24 * 30)
    .default(8),
  /** Posts and comments of this many recent days are read each round. */
  windowDays: z.number().int().min(1).max(365).default(30),
  /** Alert when a page has posted nothing for this many days. */
  silentDays: z.number().int().min(1).max(365).default(7),
  /** The page score (0–100): weights of its criteria (normalised to their sum) and the targets that earn a full mark. */
  criteria: record({
    setupWeight: z.number().min(0).max(100).default(20),
    postsPerWeekWeight: z.number().min(0).max(100).default(20),
    postsPerWeekTarget: z.number().positive().max(1000).default(5),
    answeredShareWeight: z.number().min(0).max(100).default(30),
    medianReplyWeight: z.number().min(0).max(100).default(20),
    /** A median reply within this many working hours earns the full mark; at `replyTermHours` none. */
    medianReplyTargetHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(2),
    freshnessWeight: z.number().min(0).max(100).default(10),
  }).default({
    setupWeight: 20,
    postsPerWeekWeight: 20,
    postsPerWeekTarget: 5,
    answeredShareWeight: 30,
    medianReplyWeight: 20,
    medianReplyTargetHours: 2,
    freshnessWeight: 10,
  }),
  /** The digital-transformation component's weight in the department rating (0 leaves the rating as it was). */
  ratingWeight: z.number().min(0).max(1).default(0.1),
});

/**
 * Personal data (152-ФЗ; docs/operations/personal-data.md): citizens whose every case finished and who
 * wrote nothing for `retentionMonths` calendar months are anonymised by a daily job. 0, or no section:
 * never by age (/forget and an operator's request still anonymise at once).
 */
const privacy = record({
  retentionMonths: z.number().int().min(0).max(240),
  /** Citizens anonymised per transaction. */
  batchSize: z.number().int().min(1).max(5000).default(500),
});

/** The whole file. */
export const domainConfigSchema = record({
  city,
  departments: list(department, 1),
  blocks: list(block, 1),
  roles,
  categories: list(category, 1),
  districts: list(district, 1),
  sla,
  intake,
  structuring: structuring.optional(),
  answers: answers.optional(),
  analytics: analytics.optional(),
  reports: reports.optional(),
  broadcasts: broadcasts.optional(),
  pages: pages.optional(),
  privacy: privacy.optional(),
  /** Systems appeals are imported or pushed from (`POST /api/v1/ingest`, `mcu import`), by source name. */
  sources: z.record(sourceKey, externalSource).readonly().optional(),
});

/** The validated, deeply frozen domain configuration. */
export type DomainConfig = z.infer<typeof domainConfigSchema>;
/** One organisational unit (committee, district administration, the МЦУ, an external body…). */
export type Department = DomainConfig['departments'][number];
/** One problem category with its default department and block. */
export type Category = DomainConfig['categories'][number];
/** One city district with its name forms and the places inside it. */
export type District = DomainConfig['districts'][number];
/** Topics, approval and the messengers' limits of broadcasts. */
export type BroadcastSettings = NonNullable<DomainConfig['broadcasts']>;
/** Thresholds and weights of the ratings and the problem list. */
export type AnalyticsSettings = NonNullable<DomainConfig['analytics']>;
/** One deadline policy of a legal regime. */
export type SlaPolicy = DomainConfig['sla']['policies']['social'][number];
/** A role of the regulation. */
export type Role = (typeof ROLES)[number];
/** A system appeals come from, with its regime, columns and mappings. */
export type ExternalSource = NonNullable<DomainConfig['sources']>[string];
/** A legal regime. */
export type Regime = (typeof REGIMES)[number];

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

type PathSegment = string | number;
interface Problem {
  path: readonly PathSegment[];
  message: string;
}

/** Reads and validates a domain file; throws ConfigError listing every problem. */
export function loadDomainConfig(path: string): DomainConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`${path}: cannot read the domain file: ${(err as Error).message}`]);
  }
  return parseDomainConfig(text, path);
}

/** Validates domain YAML; `sourceName` prefixes every problem (`barnaul.yaml:42:7 path: …`). */
export function parseDomainConfig(text: string, sourceName: string): DomainConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${sourceName}:${line}:${col}`;
  };

  // A broken YAML tree cannot be trusted for anything else, so syntax errors are reported alone.
  if (doc.errors.length > 0) {
    throw new ConfigError(
      sourceName,
      doc.errors.map((e) => `${at(e.pos[0])} YAML syntax error: ${e.message}`),
    );
  }

  const raw: unknown = doc.toJS();
  const parsed = domainConfigSchema.safeParse(raw);
  // Reference checks run even when the schema failed, so one run shows every problem.
  const problems = [...(parsed.success ? [] : schemaProblems(parsed.error.issues, raw)), ...referenceProblems(raw)];
  if (problems.length > 0 || !parsed.success) {
    const located = problems
      .map((p) => ({ offset: locate(doc, p.path), line: `${formatPath(p.path)}: ${p.message}` }))
      .sort((a, b) => a.offset - b.offset);
    const lines = [...new Set(located.map((p) => `${at(p.offset)} ${p.line}`))];
    throw new ConfigError(sourceName, lines);
  }
  return deepFreeze(parsed.data);
}

function schemaProblems(issues: readonly z.core.$ZodIssue[], raw: unknown): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key "${key}"` }));
    }
    if (path.length === 0 && raw == null) {
      return [
        {
          path,
          message:
            'the file is empty: expected the sections city, blocks, departments, roles, categories, districts, sla, intake',
        },
      ];
    }
    if (issue.code === 'invalid_type' && valueAt(raw, path) === undefined) {
      return [{ path, message: 'missing required key' }];
    }
    return [{ path, message: issue.message }];
  });
}

// ---------------------------------------------------------------------------------------------
// Cross-references (run on the raw data, defensively: the schema may have failed elsewhere)
// ---------------------------------------------------------------------------------------------

function referenceProblems(raw: unknown): Problem[] {
  const problems: Problem[] = [];
  const root = asObject(raw);
  const departments = items(root?.departments);
  const blocks = items(root?.blocks);
  const categories = items(root?.categories);
  const districts = items(root?.districts);

  const departmentIds = declaredIds('departments', departments, problems);
  const blockIds = declaredIds('blocks', blocks, problems);
  const categoryIds = declaredIds('categories', categories, problems);
  const districtIds = declaredIds('districts', districts, problems);

  const expectRef = (path: PathSegment[], value: unknown, ids: Map<string, number>, what: string): void => {
    if (typeof value === 'string' && value !== '' && !ids.has(value)) {
      problems.push({ path, message: `unknown ${what} "${value}"${didYouMean(value, ids.keys())}` });
    }
  };

  for (const [i, d] of departments) {
    expectRef(['departments', i, 'block'], d.block, blockIds, 'block');
    expectRef(['departments', i, 'parent'], d.parent, departmentIds, 'department');
    if (typeof d.parent === 'string' && d.parent === d.id) {
      problems.push({ path: ['departments', i, 'parent'], message: 'a department cannot be its own parent' });
    } else if (parentLoops(d, departments, departmentIds)) {
      problems.push({ path: ['departments', i, 'parent'], message: 'the chain of parents loops back to this department' });
    }
  }
  // The МЦУ is where a case lands when nobody else fits, so there must be exactly one.
  const mcus = departments.filter(([, d]) => d.kind === 'mcu');
  if (departments.length > 0 && mcus.length === 0) {
    problems.push({ path: ['departments'], message: 'no department of kind "mcu": the МЦУ is the fallback and must be listed' });
  }
  for (const [i] of mcus.slice(1)) {
    problems.push({ path: ['departments', i, 'kind'], message: 'only one department may be of kind "mcu"' });
  }

  const keywordOwner = new Map<string, string>();
  for (const [i, c] of categories) {
    expectRef(['categories', i, 'department'], c.department, departmentIds, 'department');
    expectRef(['categories', i, 'block'], c.block, blockIds, 'block');
    // A phrase that points at two categories is not high-precision; make the operator pick one.
    for (const [j, k] of items(c.keywords, (v): v is string => typeof v === 'string')) {
      const owner = keywordOwner.get(k);
      if (owner !== undefined) {
        problems.push({
          path: ['categories', i, 'keywords', j],
          message: `keyword "${k}" is already used by category "${owner}"`,
        });
      } else keywordOwner.set(k, String(c.id));
    }
  }

  const placeOwner = new Map<string, string>();
  for (const [i, d] of districts) {
    expectRef(['districts', i, 'administration'], d.administration, departmentIds, 'department');
    const admin = departments.find(([, dep]) => dep.id === d.administration)?.[1];
    if (admin !== undefined && admin.kind !== 'district_administration') {
      problems.push({
        path: ['districts', i, 'administration'],
        message: `department "${String(d.administration)}" is of kind "${String(admin.kind)}", expected "district_administration"`,
      });
    }
    // A place listed in two districts would route the same address two ways.
    for (const field of ['settlements', 'microdistricts', 'streets'] as const) {
      for (const [j, name] of items(d[field], (v): v is string => typeof v === 'string')) {
        const key = `${field}:${normalizePlace(name)}`;
        const owner = placeOwner.get(key);
        if (owner !== undefined) {
          problems.push({ path: ['districts', i, field, j], message: `"${name}" is already listed in district "${owner}"` });
        } else placeOwner.set(key, String(d.id));
      }
    }
  }

  const structuringSection = asObject(root?.structuring);
  for (const [i, r] of items(structuringSection?.routing)) {
    expectRef(['structuring', 'routing', i, 'category'], r.category, categoryIds, 'category');
    expectRef(['structuring', 'routing', i, 'district'], r.district, districtIds, 'district');
    expectRef(['structuring', 'routing', i, 'department'], r.department, departmentIds, 'department');
  }
  for (const [i, street] of items(structuringSection?.sharedStreets)) {
    for (const [j, d] of items(street.districts, (v): v is string => typeof v === 'string')) {
      expectRef(['structuring', 'sharedStreets', i, 'districts', j], d, districtIds, 'district');
    }
  }

  for (const [name, source] of Object.entries(asObject(root?.sources) ?? {})) {
    const s = asObject(source);
    for (const [raw, target] of Object.entries(asObject(s?.categories) ?? {}))
      expectRef(['sources', name, 'categories', raw], target, categoryIds, 'category');
    for (const [raw, target] of Object.entries(asObject(s?.departments) ?? {}))
      expectRef(['sources', name, 'departments', raw], target, departmentIds, 'department');
  }

  problems.push(...slaProblems(asObject(root?.sla)));
  // The weekly report goes out like the digest: never in the quiet hours.
  const quiet = asObject(asObject(root?.sla)?.quietHours);
  const weeklyAt = asObject(root?.reports)?.weeklyAt;
  if (typeof weeklyAt === 'string' && typeof quiet?.start === 'string' && typeof quiet.end === 'string') {
    const { start, end } = quiet;
    if (start > end ? weeklyAt >= start || weeklyAt < end : weeklyAt >= start && weeklyAt < end)
      problems.push({ path: ['reports', 'weeklyAt'], message: `must be outside the quiet hours (${start}–${end})` });
  }
  return problems;
}

function slaProblems(sla: Record<string, unknown> | undefined): Problem[] {
  const problems: Problem[] = [];
  const policies = asObject(sla?.policies);
  for (const regime of REGIMES) {
    const list = items(policies?.[regime]);
    if (list.length === 0) continue; // the schema already reports a missing or empty list
    // A case of this regime must always find a deadline: require a catch-all normal policy, and no
    // two policies that could both claim the same case.
    const claimed = new Map<string, number>();
    for (const [i, p] of list) {
      const channels = Array.isArray(p.channels) ? p.channels.map(String) : ['*'];
      for (const channel of channels) {
        const key = `${String(p.priority)}/${channel}`;
        if (claimed.has(key)) {
          const what = channel === '*' ? 'without channels' : `for channel "${channel}"`;
          problems.push({
            path: ['sla', 'policies', regime, i],
            message: `a second ${String(p.priority)} policy ${what}: policies [${claimed.get(key)}] and [${i}] overlap`,
          });
        } else claimed.set(key, i);
      }
    }
    if (!claimed.has('normal/*')) {
      problems.push({
        path: ['sla', 'policies', regime],
        message: 'needs a policy with priority "normal" and no channels, the default for this regime',
      });
    }
  }

  const before = asArray(asObject(sla?.reminders)?.before);
  for (let i = 1; i < (before?.length ?? 0); i++) {
    const [prev, cur] = [before?.[i - 1], before?.[i]];
    if (typeof prev === 'number' && typeof cur === 'number' && cur <= prev) {
      problems.push({ path: ['sla', 'reminders', 'before', i], message: 'reminder percentages must increase' });
    }
  }

  // A digest sent in the quiet hours would wake people up; and the job drops one that runs in them.
  const quiet = asObject(sla?.quietHours);
  const digest = asObject(sla?.digest);
  const digestAt = digest ? digest.at : DEFAULT_DIGEST_AT;
  if (typeof digestAt === 'string' && typeof quiet?.start === 'string' && typeof quiet.end === 'string') {
    const { start, end } = quiet;
    if (start > end ? digestAt >= start || digestAt < end : digestAt >= start && digestAt < end) {
      problems.push(
        digest
          ? { path: ['sla', 'digest', 'at'], message: `must be outside the quiet hours (${start}–${end})` }
          : {
              path: ['sla', 'quietHours'],
              message: `the morning digest's default time ${DEFAULT_DIGEST_AT} falls in these quiet hours: set sla.digest.at`,
            },
      );
    }
  }

  const seenRoles = new Set<unknown>();
  for (const [i, step] of items(asObject(sla?.escalation)?.steps)) {
    if (seenRoles.has(step.role)) {
      problems.push({
        path: ['sla', 'escalation', 'steps', i, 'role'],
        message: `role "${String(step.role)}" is already an escalation step`,
      });
    }
    seenRoles.add(step.role);
  }
  return problems;
}

function declaredIds(
  section: string,
  list: ReadonlyArray<[number, Record<string, unknown>]>,
  problems: Problem[],
): Map<string, number> {
  const ids = new Map<string, number>();
  for (const [i, item] of list) {
    if (typeof item.id !== 'string') continue;
    const first = ids.get(item.id);
    if (first !== undefined) {
      problems.push({ path: [section, i, 'id'], message: `duplicate id "${item.id}" (first used by ${section}[${first}])` });
    } else ids.set(item.id, i);
  }
  return ids;
}

function parentLoops(
  start: Record<string, unknown>,
  departments: ReadonlyArray<[number, Record<string, unknown>]>,
  ids: Map<string, number>,
): boolean {
  const byIndex = new Map(departments);
  const seen = new Set<unknown>([start.id]);
  let current = start.parent;
  // Bounded by the number of departments, so a loop elsewhere in the chain cannot spin forever.
  for (let step = 0; step <= departments.length && typeof current === 'string'; step++) {
    if (current === start.id) return step > 0;
    if (seen.has(current)) return false; // a loop further up: reported at its own members
    seen.add(current);
    const index = ids.get(current);
    current = index === undefined ? undefined : byIndex.get(index)?.parent;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Helpers: raw data access, locations, messages, freezing
// ---------------------------------------------------------------------------------------------

function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function asArray(v: unknown): readonly unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** Indexed entries of an array, keeping only those that pass `keep` (objects by default). */
function items<T = Record<string, unknown>>(v: unknown, keep?: (x: unknown) => x is T): Array<[number, T]> {
  const guard = keep ?? ((x: unknown): x is T => asObject(x) !== undefined);
  return (asArray(v) ?? []).flatMap((x, i): Array<[number, T]> => (guard(x) ? [[i, x]] : []));
}

function valueAt(raw: unknown, path: readonly PathSegment[]): unknown {
  let v = raw;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PathSegment, unknown>)[seg];
  }
  return v;
}

/**
 * Source offset for a path: the key itself when the path ends at a mapping key, the item for a
 * sequence index, or the closest existing ancestor when the path goes missing (a missing key).
 */
function locate(doc: Document, path: readonly PathSegment[]): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg];
      offset = rangeStart(node) ?? offset;
    } else break;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: readonly number[] } | null | undefined)?.range;
  return range?.[0];
}

function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(root)';
  return path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join('');
}

function normalizePlace(name: string): string {
  return name.trim().toLowerCase().replaceAll('ё', 'е');
}

/** ` (did you mean "x"?)` for the closest candidate within a small edit distance, else ''. */
function didYouMean(value: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(value.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(value, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
