import { describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { type Assessment, type CategoryPredictor, createStructurer } from '../../handlers/structuring/assess.js';

const domain = loadDomainConfig('config/barnaul.yaml');
const AT = new Date('2026-12-10T03:00:00Z');
const rulesOnly = createStructurer(domain, null);

/** A predictor that says what it is told to, with not_a_problem getting what is left. */
function says(label: string, confidence: number): CategoryPredictor {
  const rest =
    label === 'not_a_problem'
      ? { label: 'roads', confidence: 1 - confidence }
      : { label: 'not_a_problem', confidence: 1 - confidence };
  return { version: 'test-1', predict: () => ({ label, confidence, top: [{ label, confidence }, rest] }) };
}

function assess(text: string, predictor: CategoryPredictor | null = null): Assessment {
  return (predictor ? createStructurer(domain, predictor) : rulesOnly).assess(text, AT);
}

describe('intent: politeness next to a complaint is a complaint', () => {
  it.each([
    ['Здравствуйте! Третий день нет горячей воды на Ленина 5. Заранее спасибо', 'keyword: нет горячей воды'],
    ['Здравствуйте! В подъезде не горит свет, лампочку так и не поменяли. Заранее спасибо', 'marker: '],
    ['Добрый день. Когда починят лифт в доме на Попова 12? Заранее спасибо за ответ', 'marker: когда'],
    ['Спасибо за работу, но яма снова появилась', 'marker: спасибо, но'],
    ['Спасибо, что не отвечаете уже месяц', 'marker: не отвечаете'],
    ['Мусор не вывозят вторую неделю. Спасибо', 'marker: мусор'],
    ['Благодарю заранее. Во дворе на Попова 12 лежит куча веток', 'marker: address+verb'],
    ['Спасибо! Фонарь у дома опять не горит', 'marker: '],
    ['Здравствуйте, подскажите, куда обращаться', 'marker: подскажите'],
    ['Добрый день, у нас во дворе проблема', 'unclear: '],
    // Real appeals (SPb open data) that a looser rule discarded as thanks or as an advert:
    ['Просьба стереть надписи. Спасибо', 'marker: просьба'],
    ['Поврежден знак ТСДД.\nЗаранее спасибо.', 'marker: поврежден'],
    ['Граффити убрать, спасибо.', 'marker: граффити'],
    ['Требуются восстановительные работы фасада .', 'unclear: '],
    ['С раскладных столов продают наушники и зарядки', 'unclear: '],
    ['Где узнать о вакансиях в администрации города', 'marker: где'],
  ])('when «%s», then a case opens (%s)', (text, reason) => {
    const a = assess(text);
    expect(a.notProblem).toBeNull();
    expect(a.notProblemReason).toBeNull();
    expect(a.intent.reason).toContain(reason);
  });

  it('when the model sees a category in thanks, then a case opens and the model is named', () => {
    const a = assess('Спасибо, у школы асфальт весь раскрошился', says('roads', 0.55));
    expect(a.notProblem).toBeNull();
    expect(a.intent).toMatchObject({ verdict: 'problem', reason: 'model: roads 0.55' });
  });

  it('when thanks come with more words than politeness and no model, then a case opens rather than a loss', () => {
    const a = assess('Огромное спасибо коммунальщикам, дорогу почистили быстро');
    expect(a.notProblem).toBeNull();
    expect(a.intent.reason).toBe('unclear: thanks with 4 other words');
  });
});

describe('intent: only thanks, greetings and acknowledgements open no case', () => {
  it.each([
    ['Спасибо большое за быстрый ремонт!', 'thanks', 'thanks_only'],
    ['Спасибо, всё починили!', 'thanks', 'thanks_only'],
    ['Благодарю сотрудников за внимательное отношение', 'thanks', 'thanks_only'],
    ['Отличная работа, двор преобразился', 'thanks', 'thanks_only'],
    ['СПАСИБО БОЛЬШОЕ!!!', 'thanks', 'thanks_only'],
    ['Thanks a lot!', 'thanks', 'thanks_only'],
    ['Здравствуйте', 'spam', 'greeting_only'],
    ['Доброе утро, Барнаул!', 'spam', 'greeting_only'],
    ['С Новым годом, дорогие барнаульцы!', 'spam', 'greeting_only'],
    ['Ок', 'spam', 'acknowledgement_only'],
    ['Проверка связи', 'spam', 'acknowledgement_only'],
    ['Нет, спасибо, уже не нужно', 'thanks', 'thanks_only'],
  ])('«%s» → %s (%s)', (text, kind, reason) => {
    expect(assess(text)).toMatchObject({ notProblem: kind, notProblemReason: reason });
  });

  it('when the model is sure of thanks with a few more words, then thanks and the model is named', () => {
    const a = assess('Огромное спасибо коммунальщикам, дорогу почистили быстро', says('not_a_problem', 0.95));
    expect(a).toMatchObject({ notProblem: 'thanks', notProblemReason: 'thanks_only: model not_a_problem 0.95' });
  });
});

describe('intent: adverts are recognised by what they are, not by length', () => {
  it.each([
    ['Скидки 50% только сегодня! Переходи по ссылке https://bit.ly/xx', /^advert: call\+link\+price/],
    ['Продам гараж недорого, звоните +7 913 123-45-67', /^advert: call\+phone/],
    ['Подпишись на канал t.me/news, промокод BARNAUL', /^advert: call\+link/],
    ['Заработок от 5000 руб в день, пиши в личку', /^advert: call\+price/],
    ['Натяжные потолки 199 ₽ за м2, сайт www.potolki.example', /^advert: link\+price$/],
    ['Кредит без справок за 5 минут', /^advert: call \(кредит\)/],
    ['https://t.me/bestdeals', /^advert: link only$/],
  ])('«%s» is spam', (text, reason) => {
    const a = assess(text);
    expect(a.notProblem).toBe('spam');
    expect(a.notProblemReason).toMatch(reason);
  });

  it('when an advert has only a guess of the model for a category, then it is still spam', () => {
    const a = assess('Ремонт квартир под ключ недорого', says('apartment-buildings', 0.6));
    expect(a).toMatchObject({ notProblem: 'spam', notProblemReason: 'advert: call (недорого)' });
  });

  it('when a complaint carries a link to a photo, then it is a complaint', () => {
    const a = assess('Вот фото ямы у дома на Попова 10: https://disk.yandex.ru/i/abc');
    expect(a.notProblem).toBeNull();
    expect(a.intent.reason).toBe('marker: ямы');
  });

  it('when a complaint with a link and thanks names a category, then it is that category', () => {
    const a = assess('Не вывозят мусор, фото https://disk.yandex.ru/i/abc, спасибо');
    expect(a.notProblem).toBeNull();
    expect(a.category.category).toBe('waste');
  });

  it('when thanks carry a link, then it is thanks, not an advert', () => {
    expect(assess('Спасибо! Фото: https://disk.yandex.ru/i/abc').notProblemReason).toBe('thanks_only');
  });
});

describe('intent: bad input gets a decision and a reason, never an error', () => {
  const long = 'Здравствуйте! Пишу по поводу двора. '.repeat(120).slice(0, 4000);
  it.each([
    ['only emoji', null, '👍👍👍'],
    ['a photo without a caption', null, ''],
    ['only punctuation', null, '...!!!???'],
    ['only a phone number', null, '+7 913 123-45-67'],
    ['mixed Russian and English', null, 'Hello, у нас no water на Ленина 5'],
    ['all caps', null, 'НЕТ ВОДЫ НА ЛЕНИНА 5 ТРЕТИЙ ДЕНЬ'],
    ['no spaces', null, 'нетводынаЛенина5'],
    ['4,000 characters of a letter', null, long],
    ['4,000 characters without a space', null, 'а'.repeat(4000)],
    ['4,000 characters of an advert', 'spam', 'Купите со скидкой https://bit.ly/x '.repeat(120).slice(0, 4000)],
    ['4,000 characters of thanks', 'thanks', 'Спасибо! '.repeat(500).slice(0, 4000)],
  ])('%s → %s', (_, kind, text) => {
    const a = assess(text);
    expect(a.notProblem).toBe(kind);
    expect(a.intent.reason.length).toBeGreaterThan(0);
  });

  it('when no spaces hide a complaint, then the glued words say why', () => {
    expect(assess('нетводынаЛенина5').intent.reason).toBe('marker: glued: нетводыналенина5');
  });

  it('when all caps, then the keyword still decides the category', () => {
    expect(assess('НЕТ ВОДЫ НА ЛЕНИНА 5 ТРЕТИЙ ДЕНЬ').category.category).toBe('cold-water');
  });

  it('when the model throws, then the rules decide and the message is not lost', () => {
    const broken: CategoryPredictor = {
      version: 'broken',
      predict: () => {
        throw new Error('model file damaged');
      },
    };
    const a = createStructurer(domain, broken).assess('Лифт не работает', AT);
    expect(a.notProblem).toBeNull();
    expect(a.intent.reason).toBe('marker: не работает');
  });

  it('when 4,000 characters are assessed, then it takes well under a second', () => {
    const started = performance.now();
    assess('Спасибо за работу и за двор '.repeat(150).slice(0, 4000));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
