import { z } from 'zod';
import type { DomainConfig } from '../../config/domain.js';
import { broadcastMessageText, isoInstant, type Segment, segmentSchema } from '../../models/broadcast.js';
import { invalid, type Refusal } from './outcome.js';
import { BROADCAST_SPLIT_LIMIT, BROADCAST_TEXT_LIMIT, broadcastSettings } from './settings.js';

/** Text a person wrote: trimmed, not empty, no NUL or other control characters but line breaks and tabs. */
const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it refuses
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters')
    .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode (a lone surrogate)');

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A broadcast as composed (POST /api/v1/broadcasts, the staff bot's /broadcast). */
export const broadcastInputSchema = z.strictObject({
  title: plainText(200),
  text: plainText(BROADCAST_SPLIT_LIMIT),
  /** An https:// picture sent with the text. */
  photoUrl: z
    .url({ protocol: /^https$/, error: 'must be an https:// address' })
    .max(2000)
    .optional(),
  /**
   * A message over 4,000 characters (the smallest messenger limit) — the text with its title and, for an
   * emergency, the mark above it, as the messengers send it — goes out in parts only when allowed.
   */
  allowSplit: z.boolean().default(false),
  segment: segmentSchema,
  priority: z.enum(['normal', 'emergency']).default('normal'),
  /** When to start (ISO 8601); absent = when started. */
  scheduledAt: isoInstant.optional(),
});
export type BroadcastInput = z.input<typeof broadcastInputSchema>;
export type ParsedBroadcastInput = z.output<typeof broadcastInputSchema>;

/** A draft's changes (PATCH /api/v1/broadcasts/:id, the wizard's segment step). */
export const broadcastPatchSchema = broadcastInputSchema.partial().extend({ allowSplit: z.boolean().optional() });
export type BroadcastPatch = z.output<typeof broadcastPatchSchema>;

/**
 * How many characters the text may have in one message with this title (and, for an emergency, the mark
 * above it): the smallest messenger limit less what the messengers put before the text.
 */
export function allowedTextLength(b: { title: string; priority: 'normal' | 'emergency' }): number {
  const overhead = broadcastMessageText({ ...b, text: '.' }).length - 1;
  return Math.max(0, BROADCAST_TEXT_LIMIT - overhead);
}

/** The message as the messengers send it is over the smallest limit and may not be split: why, naming `text`. */
function tooLong(b: { title: string; text: string; priority: 'normal' | 'emergency'; allowSplit?: boolean }): Refusal | null {
  const length = broadcastMessageText(b).length;
  if (length <= BROADCAST_TEXT_LIMIT || b.allowSplit) return null;
  const allowed = allowedTextLength(b);
  const mark = b.priority === 'emergency' ? ' and the emergency mark' : '';
  return invalid(
    'TEXT_TOO_LONG',
    `the message is ${length} characters with its title${mark}, over the ${BROADCAST_TEXT_LIMIT} of the smallest messenger limit: with this title the text may have at most ${allowed} characters (it has ${b.text.trim().length}); shorten it or allow splitting (allowSplit: true)`,
    'text',
  );
}

/** What zod cannot know: ids of the domain file, the length of the message as sent, a schedule in the past. */
export function checkAgainstDomain(
  input: {
    title?: string;
    text?: string;
    priority?: 'normal' | 'emergency';
    allowSplit?: boolean;
    segment?: Segment;
    scheduledAt?: Date | undefined;
  },
  domain: DomainConfig,
  now: Date,
): Refusal | null {
  if (input.text !== undefined) {
    const refusal = tooLong({
      title: input.title ?? '',
      text: input.text,
      priority: input.priority ?? 'normal',
      allowSplit: input.allowSplit ?? false,
    });
    if (refusal) return refusal;
  }
  if (input.scheduledAt !== undefined && input.scheduledAt.getTime() < now.getTime() - 60_000) {
    return invalid('SCHEDULE_IN_PAST', 'scheduledAt is in the past', 'scheduledAt');
  }
  const s = input.segment;
  if (!s) return null;
  const districts = new Set(domain.districts.map((d) => d.id));
  const topics = new Set(broadcastSettings(domain).topics.map((t) => t.id));
  const categories = new Set(domain.categories.map((c) => c.id));
  const unknown = (list: readonly string[] | undefined, known: Set<string>, field: string): Refusal | null => {
    const i = (list ?? []).findIndex((id) => !known.has(id));
    return i < 0
      ? null
      : invalid('UNKNOWN_ID', `unknown ${field.split('.')[1]?.replace(/s$/, '')} "${list?.[i]}"`, `${field}[${i}]`);
  };
  if (s.kind === 'subscribers') {
    return unknown(s.districts, districts, 'segment.districts') ?? unknown(s.topics, topics, 'segment.topics');
  }
  if (s.kind === 'cases') {
    if (s.withinHours !== undefined && (s.from !== undefined || s.to !== undefined))
      return invalid('SEGMENT_PERIOD', 'give either withinHours or from/to, not both', 'segment.withinHours');
    if (s.from && s.to && s.from.getTime() >= s.to.getTime())
      return invalid('SEGMENT_PERIOD', 'from must be before to', 'segment.from');
    if (!s.categories && !s.districts && s.withinHours === undefined && !s.from && !s.to)
      return invalid(
        'SEGMENT_TOO_BROAD',
        'name categories, districts or a period: every citizen who ever wrote is not a segment',
        'segment',
      );
    return unknown(s.categories, categories, 'segment.categories') ?? unknown(s.districts, districts, 'segment.districts');
  }
  return null;
}
