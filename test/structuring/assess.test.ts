import { describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { type CategoryPredictor, createStructurer } from '../../handlers/structuring/assess.js';
import { routeCase } from '../../handlers/structuring/routing.js';

const domain = loadDomainConfig('config/barnaul.yaml');
const WINTER = new Date('2026-12-10T03:00:00Z');
const SUMMER = new Date('2026-07-10T03:00:00Z');

/** A predictor that says what it is told to: structuring is tested apart from the model. */
function fixedPredictor(label: string, confidence: number): CategoryPredictor {
  return {
    version: 'test-1',
    predict: () => ({
      label,
      confidence,
      top: [
        { label, confidence },
        { label: 'snow-ice', confidence: (1 - confidence) / 2 },
        { label: 'waste', confidence: (1 - confidence) / 2 },
      ],
    }),
  };
}

describe('assessing a message', () => {
  it('when a category keyword is present and the model is not sure of another category, then the rule decides with confidence 1', () => {
    const a = createStructurer(domain, fixedPredictor('roads', 0.55)).assess('Третий день нет горячей воды', SUMMER);
    expect(a.category).toMatchObject({ category: 'hot-water', confidence: 1, rule: 'keyword: нет горячей воды' });
  });

  it('when the model is sure of another category and gives the keyword’s almost nothing, then the keyword only names a place', () => {
    // «поликлиника» is a healthcare keyword; the problem is ice on the steps.
    const text = 'Лестница у поликлиники обледенела, люди падают';
    const vetoed = createStructurer(domain, fixedPredictor('snow-ice', 0.8)).assess(text, SUMMER);
    expect(vetoed.category).toMatchObject({ category: 'snow-ice', rule: 'model', confidence: 0.8 });
    // The keyword's category still has some weight in the model: the keyword decides.
    const kept = createStructurer(domain, {
      version: 'test-1',
      predict: () => ({
        label: 'snow-ice',
        confidence: 0.8,
        top: [
          { label: 'snow-ice', confidence: 0.8 },
          { label: 'healthcare', confidence: 0.15 },
        ],
      }),
    }).assess(text, SUMMER);
    expect(kept.category).toMatchObject({ category: 'healthcare', rule: 'keyword: поликлиника', confidence: 1 });
  });

  it('when the model is confident, then its label is taken and its version recorded', () => {
    const a = createStructurer(domain, fixedPredictor('roads', 0.8)).assess('Огромная выбоина у остановки', SUMMER);
    expect(a.category).toMatchObject({ category: 'roads', confidence: 0.8, rule: 'model', modelVersion: 'test-1' });
  });

  it('when the model is unsure, then no category and the top three suggestions for the operators', () => {
    const a = createStructurer(domain, fixedPredictor('roads', 0.3)).assess('Что-то непонятное случилось', SUMMER);
    expect(a.category.category).toBeNull();
    expect(a.category.suggestions.map((s) => s.label)).toEqual(['roads', 'snow-ice', 'waste']);
  });

  it.each([
    ['Прорыв трубы на Павловском тракте, вода на дороге', SUMMER, 'always: прорыв трубы'],
    ['Пожар в подъезде!', SUMMER, 'always: пожар'],
    ['Ребенок в опасности, открыт люк', SUMMER, 'always: ребенок в опасности'],
    ['Нет отопления в доме, холодно', WINTER, 'winter: нет отопления'],
  ])('«%s» is urgent (%s)', (text, at, rule) => {
    expect(createStructurer(domain, null).assess(text, at).urgency).toEqual({ priority: 'urgent', rule });
  });

  it('when the heat is off in summer, then it is not an emergency', () => {
    expect(createStructurer(domain, null).assess('Нет отопления', SUMMER).urgency).toEqual({ priority: 'normal', rule: null });
  });

  it('when a citizen only says thanks, then it is not a problem, and the reason says so', () => {
    const a = createStructurer(domain, null).assess('Спасибо большое за быстрый ремонт!', SUMMER);
    expect(a).toMatchObject({ notProblem: 'thanks', notProblemReason: 'thanks_only' });
  });

  it('when a complaint without a category keyword ends with «Заранее спасибо», then it is still a problem', () => {
    const a = createStructurer(domain, null).assess(
      'Здравствуйте! В подъезде не горит свет, лампочку так и не поменяли. Заранее спасибо',
      SUMMER,
    );
    expect(a.notProblem).toBeNull();
    expect(a.notProblemReason).toBeNull();
    expect(a.intent.verdict).toBe('problem');
  });

  it('when thanks come with a problem keyword, then it is still a problem', () => {
    const a = createStructurer(domain, null).assess('Спасибо, но опять нет горячей воды', SUMMER);
    expect(a.notProblem).toBeNull();
    expect(a.category.category).toBe('hot-water');
  });

  it('when it is advertising, then it is spam, and the reason names the advert phrase', () => {
    const a = createStructurer(domain, null).assess('Пассивный доход без вложений, пишите', SUMMER);
    expect(a).toMatchObject({ notProblem: 'spam', notProblemReason: 'advert: call (пассивный доход)' });
  });

  it('when the model is sure of not_a_problem but a rule sees a problem, then the rule wins', () => {
    const a = createStructurer(domain, fixedPredictor('not_a_problem', 0.9)).assess('Спасибо, фонарь опять не горит', SUMMER);
    expect(a.notProblem).toBeNull();
    expect(a.intent.reason).toBe('marker: опять');
  });
});

describe('routing', () => {
  it('when a rule exists for the category and district, then it wins and is named', () => {
    expect(routeCase(domain, 'yards', 'industrial')).toEqual({ department: 'adm-industrial', rule: 'routing: yards+industrial' });
  });

  it('when only the category is known, then its own department', () => {
    const roads = domain.categories.find((c) => c.id === 'roads');
    expect(routeCase(domain, 'roads', null)).toEqual({ department: roads?.department, rule: 'category: roads' });
  });

  it('when there is no category, then the МЦУ operators', () => {
    expect(routeCase(domain, null, 'central')).toEqual({ department: 'mcu', rule: 'fallback: no category' });
  });
});
