/**
 * The recommendations' Russian wording, in one place so it can be reviewed together: a one-line title
 * (the weekly report lists it) and an explanation with the figures. The API returns both as data.
 */

const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)} %`);

export interface RecommendationText {
  title: string;
  explanation: string;
}

export const recommendationTexts = {
  heldShareGrowth: (f: {
    department: string;
    share: number;
    previousShare: number;
    weak: number;
    finalAnswers: number;
    previousWeak: number;
    previousFinalAnswers: number;
  }): RecommendationText => ({
    title: `${f.department}: доля «отписок» выросла с ${percent(f.previousShare)} до ${percent(f.share)}`,
    explanation:
      `Ответы по существу, которые проверка качества задержала или которые ушли без конкретики: ` +
      `${percent(f.share)} (${f.weak} из ${f.finalAnswers}) против ${percent(f.previousShare)} ` +
      `(${f.previousWeak} из ${f.previousFinalAnswers}) в предыдущем периоде. Рекомендуется разобрать эти ответы ` +
      'с исполнителями: в ответе должны быть конкретные меры, срок и ответственный.',
  }),

  repeatComplaints: (f: { problem: string; district: string; repeats: number; windowDays: number }): RecommendationText => ({
    title: `Повторные жалобы: «${f.problem}», ${f.district} — ${f.repeats}`,
    explanation:
      `${f.repeats} обращений по проблеме «${f.problem}» (${f.district}) пришли в течение ${f.windowDays} дней ` +
      'после ответа на прежнее обращение о том же. Рекомендуется проверить, решена ли проблема по существу, ' +
      'и взять исполнение на контроль.',
  }),

  lateInOneDistrict: (f: {
    category: string;
    district: string;
    lateShare: number;
    late: number;
    due: number;
    otherLateShare: number;
  }): RecommendationText => ({
    title: `«${f.category}»: ответы не в срок в одном районе — ${f.district}`,
    explanation:
      `${f.district}: не в срок ${f.late} из ${f.due} (${percent(f.lateShare)}), в остальных районах по этой ` +
      `категории — ${percent(f.otherLateShare)}. Рекомендуется выяснить причину задержек у исполнителя в этом районе.`,
  }),

  satisfactionBelowCity: (f: {
    department: string;
    share45: number;
    cityShare45: number;
    rated45: number;
    rated: number;
  }): RecommendationText => ({
    title: `${f.department}: оценки жителей ниже городских (${percent(f.share45)} против ${percent(f.cityShare45)})`,
    explanation:
      `Оценки 4–5: ${percent(f.share45)} (${f.rated45} из ${f.rated}) против ${percent(f.cityShare45)} по городу. ` +
      'Рекомендуется разобрать обращения с низкими оценками и то, что жители в них сочли нерешённым.',
  }),
};
