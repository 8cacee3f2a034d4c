import { heldShareGrowth } from './rules/held-share-growth.js';
import { lateInOneDistrict } from './rules/late-in-one-district.js';
import { repeatComplaints } from './rules/repeat-complaints.js';
import { satisfactionBelowCity } from './rules/satisfaction-below-city.js';
import type { Rule } from './types.js';

/**
 * Every rule, in the order their recommendations are listed. A new rule is one file in rules/, its id in
 * RULE_IDS (types.ts), its wording in texts-ru.ts, a line here and a section in
 * docs/architecture/recommendations.md.
 */
export const RULES: readonly Rule[] = [heldShareGrowth, repeatComplaints, lateInOneDistrict, satisfactionBelowCity];
