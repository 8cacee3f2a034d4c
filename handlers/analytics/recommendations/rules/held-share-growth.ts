import { encodeRecommendationId } from '../recommendation-id.js';
import { recommendationTexts } from '../texts-ru.js';
import { type Recommendation, type Rule, share } from '../types.js';
import { departmentName } from './names.js';

const ID = 'held-share-growth';
/**
 * A department whose held-or-forced answer share («отписка», the ratings' `otpiskaShare`) grew at least
 * `heldShareGrowth` times against the previous period, with at least `minCases` final answers in each.
 * A previous share of 0 is not compared (no growth factor from zero).
 */
export const heldShareGrowth: Rule = {
  id: ID,
  async evaluate(input) {
    const { heldShareGrowth: growth, minCases } = input.settings;
    const out: Recommendation[] = [];
    for (const now of input.current) {
      const before = input.before.find((b) => b.department === now.department);
      if (!before || now.finalAnswers < minCases || before.finalAnswers < minCases) continue;
      const weak = now.finalAnswers - now.cleanAnswers;
      const previousWeak = before.finalAnswers - before.cleanAnswers;
      const current = share(weak, now.finalAnswers) ?? 0;
      const previous = share(previousWeak, before.finalAnswers) ?? 0;
      if (previous === 0 || current < growth * previous) continue;
      out.push({
        id: encodeRecommendationId({ rule: ID, subject: [now.department], ...input.period }),
        rule: ID,
        addressee: { kind: 'department', id: now.department },
        ...recommendationTexts.heldShareGrowth({
          department: departmentName(input.domain, now.department),
          share: current,
          previousShare: previous,
          weak,
          finalAnswers: now.finalAnswers,
          previousWeak,
          previousFinalAnswers: before.finalAnswers,
        }),
        evidence: {
          figures: {
            otpiskaShare: current,
            previousOtpiskaShare: previous,
            growth: Math.round((current / previous) * 100) / 100,
            finalAnswers: now.finalAnswers,
            held: now.heldAnswers,
            forced: now.forcedAnswers,
            previousFinalAnswers: before.finalAnswers,
            threshold: growth,
          },
          cases: await input.queries.weakAnswerCases(now.department),
        },
      });
    }
    return out;
  },
};
