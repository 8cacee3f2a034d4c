import { encodeRecommendationId } from '../recommendation-id.js';
import { recommendationTexts } from '../texts-ru.js';
import { type Recommendation, type Rule, share } from '../types.js';
import { categoryName, districtName } from './names.js';

const ID = 'late-in-one-district';
/**
 * A category whose answers are late in one district only: in that district late / due ≥ `lateShare` with
 * at least `minCases` due, while the category's other districts together have at least `minCases` due and
 * a late share under `lateShare`. Two or more late districts are not "one district" and give nothing here.
 * For the department most of the district's late cases went to.
 */
export const lateInOneDistrict: Rule = {
  id: ID,
  async evaluate(input) {
    const { lateShare, minCases } = input.settings;
    const cells = await input.queries.lateCells();
    const out: Recommendation[] = [];
    for (const category of new Set(cells.map((c) => c.category))) {
      const row = cells.filter((c) => c.category === category);
      const late = row.filter((c) => c.due >= minCases && c.late / c.due >= lateShare);
      const [cell] = late;
      if (late.length !== 1 || !cell) continue;
      const others = row.filter((c) => c !== cell);
      const otherDue = others.reduce((s, c) => s + c.due, 0);
      const otherLate = others.reduce((s, c) => s + c.late, 0);
      if (otherDue < minCases || otherLate / otherDue >= lateShare) continue;
      const cellShare = share(cell.late, cell.due) ?? 0;
      const otherShare = share(otherLate, otherDue) ?? 0;
      out.push({
        id: encodeRecommendationId({ rule: ID, subject: [category, cell.district], ...input.period }),
        rule: ID,
        addressee: cell.department === null ? { kind: 'mcu' } : { kind: 'department', id: cell.department },
        ...recommendationTexts.lateInOneDistrict({
          category: categoryName(input.domain, category),
          district: districtName(input.domain, cell.district),
          lateShare: cellShare,
          late: cell.late,
          due: cell.due,
          otherLateShare: otherShare,
        }),
        evidence: {
          figures: {
            category,
            district: cell.district,
            due: cell.due,
            late: cell.late,
            lateShare: cellShare,
            otherDistrictsDue: otherDue,
            otherDistrictsLate: otherLate,
            otherDistrictsLateShare: otherShare,
            threshold: lateShare,
          },
          cases: cell.cases,
        },
      });
    }
    return out;
  },
};
