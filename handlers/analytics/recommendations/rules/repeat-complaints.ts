import { encodeRecommendationId } from '../recommendation-id.js';
import { recommendationTexts } from '../texts-ru.js';
import type { Rule } from '../types.js';
import { districtName } from './names.js';

const ID = 'repeat-complaints';
/**
 * A problem with at least `repeatComplaints` repeat complaints from one district in the period (the
 * ratings' repeats: a case within `repeatWindowDays` after an earlier case of the same problem and
 * district was answered). For the department most of those cases went to; the МЦУ when none was routed.
 */
export const repeatComplaints: Rule = {
  id: ID,
  async evaluate(input) {
    const groups = await input.queries.repeatGroups(input.settings.repeatComplaints);
    return groups.map((g) => ({
      id: encodeRecommendationId({ rule: ID, subject: [g.problemId, g.district], ...input.period }),
      rule: ID,
      addressee: g.department === null ? { kind: 'mcu' } : { kind: 'department', id: g.department },
      ...recommendationTexts.repeatComplaints({
        problem: g.title,
        district: districtName(input.domain, g.district),
        repeats: g.repeats,
        windowDays: input.repeatWindowDays,
      }),
      evidence: {
        figures: {
          repeats: g.repeats,
          district: g.district,
          repeatWindowDays: input.repeatWindowDays,
          threshold: input.settings.repeatComplaints,
        },
        cases: g.cases,
        problemId: g.problemId,
      },
    }));
  },
};
