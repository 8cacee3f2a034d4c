import type { Assessment } from '../structuring/assess.js';
import { contentStems, jaccard } from '../structuring/similarity.js';
import { wordsOf } from '../structuring/text.js';

/**
 * A message with at most this many content words (numbers and function words not counted) and no
 * category keyword carries no topic of its own: «вот фото», «дом 5, подъезд 2», an address, a photo
 * without a caption, a location. The classifier's guess is not trusted on so few words (it gives
 * «Вот фото подъезда» 0.65 for apartment buildings), a keyword is.
 */
export const TOPICLESS_MAX_WORDS = 3;

export type FollowUpRule = 'same_topic' | 'similar' | 'topicless';

/** Why a follow-up joins the open case or not; written to the audit as is. */
export interface FollowUpVerdict {
  join: boolean;
  /** The rule that joined it; null when the citizen is asked. */
  rule: FollowUpRule | null;
  /** The best text similarity with the case's messages (the duplicate detector's Jaccard of stems). */
  similarity: number;
  category: string | null;
  district: string | null;
  caseCategory: string | null;
  caseDistrict: string | null;
}

/**
 * Is a private message within the follow-up window about the citizen's open case?
 * - same topic: the structurer gives it the case's category, and its district does not contradict
 *   the case's (a message naming no district, or a case without one, counts as the same place);
 * - or similar words in the same place: Jaccard of content stems with any of the case's texts at or
 *   above the duplicate threshold (`structuring.duplicateSimilarity`), the measure that links
 *   near-duplicates — which never links across districts either; it catches what the categories miss
 *   (a case in triage, a message the rules cannot place);
 * - or no topic of its own (see TOPICLESS_MAX_WORDS): a typical addition, wherever its address points.
 * Otherwise the citizen is asked.
 */
export function judgeFollowUp(
  message: { text: string; assessment: Assessment },
  openCase: { category: string | null; district: string | null; texts: readonly string[] },
  duplicateSimilarity: number,
): FollowUpVerdict {
  const a = message.assessment;
  const category = a.category.category;
  const district = a.district.district;
  const mine = contentStems(wordsOf(message.text));
  let similarity = 0;
  if (mine.size > 0)
    for (const text of openCase.texts) similarity = Math.max(similarity, jaccard(mine, contentStems(wordsOf(text))));

  const samePlace = district === null || openCase.district === null || district === openCase.district;
  const keyword = a.category.rule?.startsWith('keyword:') ?? false;
  const rule: FollowUpRule | null =
    category !== null && category === openCase.category && samePlace
      ? 'same_topic'
      : samePlace && similarity >= duplicateSimilarity
        ? 'similar'
        : !keyword && mine.size <= TOPICLESS_MAX_WORDS
          ? 'topicless'
          : null;
  return {
    join: rule !== null,
    rule,
    similarity: Math.round(similarity * 100) / 100,
    category,
    district,
    caseCategory: openCase.category,
    caseDistrict: openCase.district,
  };
}
