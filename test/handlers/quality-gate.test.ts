import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../../handlers/answers/quality-gate.js';

describe('answer quality gate («отписка»)', () => {
  it.each([
    ['Информация принята к сведению.', ['too_short', 'stock_phrase', 'no_specifics']],
    [
      'Ваше обращение будет рассмотрено в установленном порядке в рамках компетенции нашего подразделения.',
      ['stock_phrase', 'no_specifics'],
    ],
    ['Спасибо за обращение, работаем над этим вопросом, ожидайте, пожалуйста, решения.', ['no_specifics']],
    ['Ок', ['too_short', 'no_specifics']],
  ])('«%s» is flagged %j', (text, problems) => {
    expect(checkAnswer(text).problems).toEqual(problems);
  });

  it.each([
    'Бригада МУП «Водоканал» устранила порыв 12.12, подача воды восстановлена. Ответственный — мастер Петров И. С., тел. 8 (3852) 50-50-50.',
    'Яма на пр-те Ленина, 10 будет заделана до 15 декабря подрядчиком; контроль — комитет по дорожному хозяйству.',
    'Контейнерная площадка очищена сегодня в 14:30, график вывоза согласован с региональным оператором.',
  ])('a concrete answer passes: «%s»', (text) => {
    expect(checkAnswer(text)).toEqual({ ok: true, problems: [], stockPhrases: [] });
  });
});
