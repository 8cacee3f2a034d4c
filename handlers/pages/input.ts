import { z } from 'zod';
import type { DomainConfig } from '../../config/domain.js';
import { PAGE_PLATFORMS, PAGE_STATUSES } from '../../models/official-page-repository.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text a person wrote: trimmed, at most `max`, no NUL or other control characters, well-formed Unicode. */
const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it refuses
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters')
    .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode (a lone surrogate)');

const ID_MESSAGE = `must be a positive whole number, from 1 to ${Number.MAX_SAFE_INTEGER}`;
const officialId = z.number({ error: ID_MESSAGE }).int(ID_MESSAGE).min(1, ID_MESSAGE).max(Number.MAX_SAFE_INTEGER, ID_MESSAGE);

/**
 * A page as registered (POST /api/v1/pages, the console's form): its link (or, with `platform`, a bare
 * chat or community id), the owner department (an id of the domain file), a subordinate organisation's
 * name when the page is not the department's own, the responsible person — a person of the platform by
 * id, or a name and contact as free text — and the status (default active).
 */
export const pageInputSchema = z.strictObject({
  link: plainText(500),
  platform: z.enum(PAGE_PLATFORMS).optional(),
  title: plainText(300).optional(),
  ownerDepartment: plainText(80),
  organisation: plainText(300).optional(),
  responsibleOfficialId: officialId.optional(),
  responsibleName: plainText(300).optional(),
  status: z.enum(PAGE_STATUSES).default('active'),
});
export type PageInput = z.input<typeof pageInputSchema>;
export type ParsedPageInput = z.output<typeof pageInputSchema>;

/** A page's changes (PATCH /api/v1/pages/:id); null clears an optional field. Closing is `status: "closed"`. */
export const pagePatchSchema = z.strictObject({
  link: plainText(500).optional(),
  platform: z.enum(PAGE_PLATFORMS).optional(),
  title: plainText(300).nullable().optional(),
  ownerDepartment: plainText(80).optional(),
  organisation: plainText(300).nullable().optional(),
  responsibleOfficialId: officialId.nullable().optional(),
  responsibleName: plainText(300).nullable().optional(),
  status: z.enum(PAGE_STATUSES).optional(),
});
export type PagePatch = z.output<typeof pagePatchSchema>;

/** The listing's filters (GET /api/v1/pages, the exports, the console). */
export interface PageListFilters {
  platform?: (typeof PAGE_PLATFORMS)[number] | undefined;
  owner?: string | undefined;
  status?: (typeof PAGE_STATUSES)[number] | undefined;
}

/** The department of the domain file by its id, or by its name or short name as people write it (the import). */
export function findDepartment(
  domain: Pick<DomainConfig, 'departments'>,
  value: string,
): { id: string; name: string } | undefined {
  const key = normalise(value);
  return domain.departments.find(
    (d) => d.id === value.trim() || normalise(d.name) === key || (d.shortName !== undefined && normalise(d.shortName) === key),
  );
}

/** Case, «ё», quotes and runs of spaces do not make two names different. */
export function normalise(s: string): string {
  return s
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[«»"„“”]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
