import { RULE_IDS, type RuleId } from './types.js';

/**
 * A recommendation's id: `<rule>.<subject>.<from>.<to>`, e.g.
 * `held-share-growth.roads-transport.20261101T170000Z.20261115T170000Z`. The subject is one or more
 * kebab-case parts joined by `~` (a department id; `12~central` for a problem in a district). The same
 * rule on the same subject and period always gets the same id, so a decision survives a re-read.
 */
export interface RecommendationKey {
  rule: RuleId;
  subject: readonly (string | number)[];
  from: Date;
  to: Date;
}

const PART = /^[a-z0-9][a-z0-9-]*$/;
const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

export function encodeRecommendationId(key: RecommendationKey): string {
  const subject = key.subject.map(String);
  if (subject.length === 0 || !subject.every((p) => PART.test(p)))
    throw new Error(`a recommendation subject must be kebab-case parts: ${subject.join('~')}`);
  return `${key.rule}.${subject.join('~')}.${stamp(key.from)}.${stamp(key.to)}`;
}

function parseStamp(s: string): Date | undefined {
  const m = STAMP.exec(s);
  if (!m) return undefined;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(d.getTime()) || stamp(d) !== s ? undefined : d;
}

/** The key of an id, or undefined when it is not one (a request's unknown id: 404, not 400). */
export function parseRecommendationId(id: string): RecommendationKey | undefined {
  const parts = id.split('.');
  if (parts.length !== 4) return undefined;
  const [rule, subject, from, to] = parts as [string, string, string, string];
  if (!(RULE_IDS as readonly string[]).includes(rule)) return undefined;
  const subjectParts = subject.split('~');
  if (!subjectParts.every((p) => PART.test(p))) return undefined;
  const f = parseStamp(from);
  const t = parseStamp(to);
  if (!f || !t) return undefined;
  return { rule: rule as RuleId, subject: subjectParts, from: f, to: t };
}
