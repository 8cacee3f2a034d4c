import { describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { type Assessment, type CategoryPredictor, createStructurer } from '../../handlers/structuring/assess.js';
import { withoutCourtesy } from '../../handlers/structuring/intent.js';

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
    ['Мусор не вывозят вторую неделю. Спасибо', 'marker: не вывозят'],
    ['Благодарю заранее. Во дворе на Попова 12 лежит куча веток', 'marker: address+verb'],
    ['Спасибо! Фонарь у дома опять не горит', 'marker: '],
    ['Здравствуйте, подскажите, куда обращаться', 'marker: подскажите'],
    ['Добрый день, у нас во дворе проблема', 'unclear: '],
    // Real appeals (SPb open data) that a looser rule discarded as thanks or as an advert:
    ['Просьба стереть надписи. Спасибо', 'marker: просьба'],
    ['Поврежден знак ТСДД.\nЗаранее спасибо.', 'marker: поврежден'],
    ['Граффити убрать, спасибо.', 'marker: убрать'],
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
    const a = assess('Огромное спасибо коммунальщикам. Зима у нашего дома');
    expect(a.notProblem).toBeNull();
    expect(a.intent.reason).toBe('unclear: thanks with 4 other words');
  });

  it.each([
    'Спасибо, что почистили двор, а у соседнего дома всё так же',
    'Благодарю, свет дали, теперь бы ещё лифт запустили',
    'Спасибо, отремонтировали крышу, только подъезд остался',
    'Thank you, fixed the light but the road is still broken',
  ])('when thanks for work done ask for more («%s»), then a case opens', (text) => {
    const a = assess(text, says('roads', 0.5));
    expect(a.notProblem).toBeNull();
  });
});

describe('intent: the model sure that it is not a problem beats a weak marker, never a complaint word', () => {
  it.each([
    ['Это бот или живой человек отвечает?', 'greeting', 'model: not_a_problem 0.90'],
    ['Бурение скважин, подбор насосов, обустройство. 8-900-000-00-00', 'advert', 'advert: model: not_a_problem 0.90'],
  ])('«%s» → %s', (text, verdict, reason) => {
    const a = assess(text, says('not_a_problem', 0.9));
    expect(a.intent).toMatchObject({ verdict, reason, notProblem: 'spam' });
  });

  it.each(['Почему не работает светофор?', 'Когда уберут снег у школы?'])('«%s» stays a case', (text) => {
    expect(assess(text, says('not_a_problem', 0.99)).notProblem).toBeNull();
  });

  it('when the model is less sure, then a question stays a case', () => {
    expect(assess('Это бот или живой человек отвечает?', says('not_a_problem', 0.8)).notProblem).toBeNull();
  });
});

describe('intent: thanks with something else in them stay a case', () => {
  it.each([
    'Спасибо за помощь. Во дворе на Попова 12 лежит куча веток',
    'Спасибо что починили свет, в подъезде сосульки',
    'Спасибо, что вывезли мусор. Контейнер у дома 5 переполнен',
    'Заранее спасибо, яма у подъезда',
    'Спасибо, у школы асфальт весь раскрошился',
  ])('«%s» opens a case', (text) => {
    expect(assess(text, says('roads', 0.5)).notProblem).toBeNull();
  });
});

describe('intent: thanks for work done are thanks, whatever topic the model sees in them', () => {
  it.each([
    ['Огромная благодарность коммунальщикам, батареи включили раньше графика', 'включили'],
    ['Благодарю бригаду водоканала, ночью устранили порыв и к утру дали воду', 'устранили'],
    ['Огромное спасибо коммунальщикам, дорогу почистили быстро', 'почистили'],
    ['Спасибо мастерам, которые заменили лампы во дворе, теперь светло', 'заменили'],
    ['Мусор вывезли, во дворе чисто, благодарим', 'вывезли'],
    ['Яму у остановки заделали за день, спасибо большое!', 'заделали'],
    ['ураа фонарь горит, спасибо', 'горит'],
  ])('«%s» → thanks (%s)', (text, verb) => {
    const a = assess(text, says('heating', 0.97));
    expect(a).toMatchObject({ notProblem: 'thanks', notProblemReason: `thanks_for_work_done: ${verb}` });
  });
});

describe('intent: only thanks, greetings and acknowledgements open no case', () => {
  it.each([
    ['Спасибо большое за быстрый ремонт!', 'thanks', 'thanks_only'],
    ['Спасибо, всё починили!', 'thanks', 'thanks_for_work_done: починили'],
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

  it('when thanks have a clause without thanks, then even a sure model does not discard it', () => {
    const a = assess('Огромное спасибо коммунальщикам. Зима в этом году у нас', says('not_a_problem', 0.95));
    expect(a.notProblem).toBeNull();
  });
});

/** A structurer with a fake intent model that says `score` for every text. */
function withIntent(score: number | (() => number), predictor: CategoryPredictor | null = null) {
  const notProblem = typeof score === 'number' ? () => score : score;
  return createStructurer(domain, predictor, [], { version: 'intent-test', notProblem });
}

describe('intent: the intent model and the rules must agree before a message opens no case', () => {
  // (An advert and nothing else — no address, no problem word — is spam whatever the intent model says:
  // see «nothing but an advert» below.)
  it('when the intent model leans to a problem, then an advert-looking message with an address opens a case', () => {
    const text = 'Ремонт квартир под ключ, недорого, звоните 8-900-000-00-00, ул. Попова 12';
    expect(withIntent(0.3).assess(text, AT).notProblem).toBeNull();
    expect(withIntent(0.8).assess(text, AT)).toMatchObject({
      notProblem: 'spam',
      notProblemReason: 'advert: call+phone (недорого)',
    });
  });

  it('when thanks for work done meet an intent model that leans to a problem, then a case opens', () => {
    expect(withIntent(0.2).assess('Мусор вывезли, во дворе чисто, благодарим', AT).notProblem).toBeNull();
    expect(withIntent(0.7).assess('Мусор вывезли, во дворе чисто, благодарим', AT).notProblem).toBe('thanks');
  });

  it.each([
    'Расклеили рекламу «Кредит 0%, звоните 8-900-000-00-00» по всему подъезду',
    'Жалуюсь на листовки «Окна со скидкой 50%» в почтовых ящиках',
  ])('when a complaint quotes an advert («%s»), then it is a complaint whatever the intent model says', (text) => {
    expect(withIntent(0.95).assess(text, AT).notProblem).toBeNull();
  });

  it('when the intent model is very sure, then it beats a category keyword and is named', () => {
    const a = withIntent(0.97).assess('Асфальтирование дворов и парковок, работаем с УК и ТСЖ', AT);
    expect(a).toMatchObject({ notProblem: 'spam', notProblemReason: 'intent model: not_a_problem 0.97' });
  });

  it('when the intent model is sure but the message asks for more, then a case opens', () => {
    expect(withIntent(0.97).assess('Благодарим, свет дали в 3 ночи, а отключили в 8 утра', AT).notProblem).toBeNull();
  });

  it('when a lone selling word comes with the category model’s guess, then a case opens', () => {
    const a = assess('Натяжной потолок залило соседи сверху, Мерзликина 5', says('apartment-buildings', 0.6));
    expect(a.notProblem).toBeNull();
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('intent model damaged');
      },
    ],
    ['says NaN', () => Number.NaN],
  ])('when the intent model %s, then the rules decide alone', (_, score) => {
    const a = withIntent(score).assess('Спасибо, всё починили!', AT);
    expect(a).toMatchObject({ notProblem: 'thanks', notProblemReason: 'thanks_for_work_done: починили' });
  });
});

describe('the text the category model scores: courtesy around a problem is cut', () => {
  it.each([
    ['Здравствуйте! В подъезде течёт крыша. Заранее спасибо за помощь', 'В подъезде течёт крыша.'],
    ['Добрый день, уважаемая администрация, когда дадут свет?', 'когда дадут свет?'],
    ['Спасибо, что откликнулись, но яма опять', 'что откликнулись, но яма опять'],
    ['Спасибо!', 'Спасибо!'],
    ['', ''],
  ])('«%s» → «%s»', (text, kept) => {
    expect(withoutCourtesy(text)).toBe(kept);
  });
});

describe('intent: adverts are recognised by what they are, not by length', () => {
  it.each([
    ['Скидки 50% только сегодня! Переходи по ссылке https://bit.ly/xx', /^advert: call\+link\+price/],
    ['Продам гараж недорого, звоните +7 913 123-45-67', /^advert: call\+phone/],
    ['Подпишись на канал t.me/news, промокод BARNAUL', /^advert: call\+link/],
    ['Заработок от 5000 руб в день, пиши в личку', /^advert: call\+price/],
    ['Натяжные потолки 199 ₽ за м2, сайт www.potolki.example', /^advert: call\+link\+price \(натяжные\)$/],
    ['Окна ПВХ 4 500 р/м2, монтаж за день, сайт www.okna.example', /^advert: link\+price$/],
    ['Ремонт квартир под ключ, недорого, гарантия 3 года. Звоните', /^advert: call \(недорого\)$/],
    ['Вывоз снега и уборка снега трактором, недорого, 8-900-000-00-00', /^advert: call\+phone \(недорого\)$/],
    ['Грузоперевозки по Барнаулу и краю, 700 р/час', /^advert: call\+price \(грузоперевозки\)$/],
    ['Кредит без справок за 5 минут', /^advert: call \(кредит\)/],
    ['https://t.me/bestdeals', /^advert: link only$/],
  ])('«%s» is spam', (text, reason) => {
    const a = assess(text);
    expect(a.notProblem).toBe('spam');
    expect(a.notProblemReason).toMatch(reason);
  });

  it('when an advert has only a weak guess of the model for a category, then it is still spam', () => {
    const a = assess('Ремонт квартир под ключ недорого', says('apartment-buildings', 0.3));
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

describe('intent: nothing but an advert is spam by the rules alone, whatever the intent model says', () => {
  it.each([
    ['Купите VPN за 99 рублей', /^spam_offer: call\+price \(купите\)$/],
    ['Купи VPN без блокировок, ссылка в профиле', /^spam_offer: call\+link \(купи\)$/],
    ['Голосуйте за наш проект по ссылке https://vote.example/123', /^spam_offer: call\+link \(голосуйте\)$/],
    ['Натяжные потолки за 1 день! Бесплатный замер, звоните 8-913-000-00-00', /^spam_offer: call\+phone\+promo \(натяжные\)$/],
    ['Детские площадки и МАФы от производителя, каталог на сайте', /^spam_offer: call\+link \(каталог\)$/],
    ['Эвакуатор 24/7 по Барнаулу от 2000₽, приедем за 20 минут', /^spam_offer: call\+price \(24\/7\)$/],
    ['Подпишись на наш канал о Барнауле, ссылка в шапке профиля', /^spam_offer: call\+link \(подпишись\)$/],
  ])('«%s» is spam with the rule named, though the intent model leans to a problem', (text, reason) => {
    const a = withIntent(0.05).assess(text, AT);
    expect(a.notProblem).toBe('spam');
    expect(a.intent.ask).toBeNull();
    expect(a.notProblemReason).toMatch(reason);
  });

  it('when a category keyword is among what an advert sells, then it is still spam (the keyword names the goods)', () => {
    const a = withIntent(0.05).assess('Детские площадки и МАФы от производителя, каталог на сайте', AT);
    expect(a.category.category).toBe('playgrounds');
    expect(a.notProblem).toBe('spam');
  });

  it.each([
    ['a word to the city', 'Купите уже нормальные автобусы, билет 50 рублей'],
    ['impatience', 'Закажите наконец новые контейнеры, 3 штуки на 200 квартир'],
    ['a complaint about selling', 'Покупайте только в проверенных местах! На рынке продают просрочку по 100 руб'],
    ['an outage', 'Свет отключили, звоните в РЭС 8-3852-00-00-00'],
    ['a problem word and a question', 'Натяжные потолки за 1 день! Затопили соседи? Бесплатный замер'],
    ['an address', 'Продам гараж недорого, ул. Попова 12, 8-913-000-00-00'],
    ['a yard', 'Голосуйте за наш двор по ссылке https://vote.example/1'],
    ['a topic word', 'Вывоз мусора недорого, 8-913-000-00-00'],
    ['a negation', 'Купите VPN за 99 рублей, без него сайт администрации не открывается'],
    ['a complaint about adverts', 'Опять реклама «Купите VPN за 99 рублей» во всех почтовых ящиках'],
    ['thanks', 'Спасибо, купил по ссылке https://shop.example'],
  ])('when an advert-looking message has complaint content (%s), then the rules alone discard nothing: «%s»', (_why, text) => {
    // The intent model leans to a problem: only the rule could discard it, and it does not.
    expect(withIntent(0.05).assess(text, AT).notProblem).toBeNull();
  });

  it.each([
    'Закажите наконец новые контейнеры, 3 штуки на 200 квартир',
    'Покупайте только в проверенных местах! На рынке продают просрочку по 100 руб',
    'Свет отключили, звоните в РЭС 8-3852-00-00-00',
  ])('when a selling word comes with a word to the city or of a complaint, then no advert rule discards it: «%s»', (text) => {
    const a = withIntent(0.8).assess(text, AT);
    expect(a.notProblem).toBeNull();
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
});
