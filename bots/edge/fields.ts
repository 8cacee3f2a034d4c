import { z } from 'zod';

export type { EdgeOutcome } from '../../handlers/inbox/index.js';

/**
 * Field schemas shared by the platforms' edge schemas. They accept what the platforms really send
 * (unknown fields pass through: the stored event keeps them) and reject what no platform sends:
 * a text that is an object, a date in the year 5000, an attachment that is null.
 */
export const platformId = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
export const positiveId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Unix seconds between 2000 and 2100. */
export const unixTime = z.number().int().min(946_684_800).max(4_102_444_800);
/** Telegram allows 4096 characters of text and 1024 of caption; VK 4096 per message, more on walls. */
export const longText = z.string().max(100_000);
export const shortText = z.string().max(4_096);
export const latitude = z.number().min(-90).max(90);
export const longitude = z.number().min(-180).max(180);

/** Names the first problems of a failed parse, for the dead letter's reason (paths only, never values). */
export function issuesOf(error: z.ZodError): string {
  const named = error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`);
  return [...new Set(named)].slice(0, 3).join('; ');
}
