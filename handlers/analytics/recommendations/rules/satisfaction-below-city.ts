import { encodeRecommendationId } from '../recommendation-id.js';
import { recommendationTexts } from '../texts-ru.js';
import { type Recommendation, type Rule, share } from '../types.js';
import { departmentName } from './names.js';

const ID = 'satisfaction-below-city';
/**
 * A department whose share of ratings 4–5 is more than `satisfactionGap` below the city's (all
 * departments' ratings 4–5 / all ratings of the period), with at least `minCases` ratings.
 */
export const satisfactionBelowCity: Rule = {
  id: ID,
  async evaluate(input) {
    const { satisfactionGap, minCases } = input.settings;
    const city = share(
      input.current.reduce((s, f) => s + f.rated45, 0),
      input.current.reduce((s, f) => s + f.rated, 0),
    );
    if (city === null) return [];
    const out: Recommendation[] = [];
    for (const f of input.current) {
      const own = share(f.rated45, f.rated);
      // Compared in ten-thousandths (the shares' rounding), so a gap of exactly `satisfactionGap` is not flagged despite float error.
      if (own === null || f.rated < minCases || Math.round((city - own) * 10_000) <= Math.round(satisfactionGap * 10_000))
        continue;
      out.push({
        id: encodeRecommendationId({ rule: ID, subject: [f.department], ...input.period }),
        rule: ID,
        addressee: { kind: 'department', id: f.department },
        ...recommendationTexts.satisfactionBelowCity({
          department: departmentName(input.domain, f.department),
          share45: own,
          cityShare45: city,
          rated45: f.rated45,
          rated: f.rated,
        }),
        evidence: {
          figures: {
            share45: own,
            cityShare45: city,
            gap: Math.round((city - own) * 10_000) / 10_000,
            rated: f.rated,
            rated45: f.rated45,
            threshold: satisfactionGap,
          },
          cases: await input.queries.lowRatedCases(f.department),
        },
      });
    }
    return out;
  },
};
