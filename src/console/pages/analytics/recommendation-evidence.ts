import type { DomainConfig } from '../../../../config/domain.js';
import type { Recommendation } from '../../../../handlers/analytics/index.js';
import { number, percent } from '../../format.js';

/**
 * A recommendation's evidence as the page lists it: each figure the rule gave, in Russian, shares as
 * percents and ids as the domain file's names (the API returns them as data, with English keys).
 */
const FIGURES: Record<string, { name: string; kind: 'share' | 'number' | 'category' | 'district' | 'ratio' }> = {
  otpiskaShare: { name: 'Доля «отписок» сейчас', kind: 'share' },
  previousOtpiskaShare: { name: 'Доля «отписок» в прошлом периоде', kind: 'share' },
  growth: { name: 'Рост, раз', kind: 'ratio' },
  finalAnswers: { name: 'Окончательных ответов', kind: 'number' },
  held: { name: 'Задержано проверкой', kind: 'number' },
  forced: { name: 'Отправлено вопреки проверке', kind: 'number' },
  previousFinalAnswers: { name: 'Окончательных ответов в прошлом периоде', kind: 'number' },
  category: { name: 'Категория', kind: 'category' },
  district: { name: 'Район', kind: 'district' },
  due: { name: 'Срок наступил', kind: 'number' },
  late: { name: 'Не в срок', kind: 'number' },
  lateShare: { name: 'Доля не в срок', kind: 'share' },
  otherDistrictsDue: { name: 'Срок наступил в остальных районах', kind: 'number' },
  otherDistrictsLate: { name: 'Не в срок в остальных районах', kind: 'number' },
  otherDistrictsLateShare: { name: 'Доля не в срок в остальных районах', kind: 'share' },
  repeats: { name: 'Повторных обращений', kind: 'number' },
  repeatWindowDays: { name: 'Окно повторов, дней', kind: 'number' },
  share45: { name: 'Доля оценок 4–5', kind: 'share' },
  cityShare45: { name: 'Доля оценок 4–5 по городу', kind: 'share' },
  gap: { name: 'Отставание от города', kind: 'share' },
  rated: { name: 'Оценок', kind: 'number' },
  rated45: { name: 'Оценок 4–5', kind: 'number' },
  threshold: { name: 'Порог правила', kind: 'ratio' },
};

export function evidenceOf(
  r: Recommendation,
  domain: Pick<DomainConfig, 'categories' | 'districts'>,
): { name: string; value: string }[] {
  return Object.entries(r.evidence.figures).map(([key, value]) => {
    const f = FIGURES[key];
    if (!f) return { name: key, value: value === null ? '—' : String(value) };
    if (value === null) return { name: f.name, value: '—' };
    if (f.kind === 'category')
      return { name: f.name, value: domain.categories.find((c) => c.id === value)?.name ?? String(value) };
    if (f.kind === 'district')
      return { name: f.name, value: domain.districts.find((d) => d.id === value)?.name ?? String(value) };
    if (typeof value !== 'number') return { name: f.name, value: String(value) };
    return { name: f.name, value: f.kind === 'share' ? percent(value, 1) : number(value) };
  });
}
