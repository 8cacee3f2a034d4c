import { describe, expect, it } from 'vitest';
import { maskJsonStrings, maskPersonalData } from '../../lib/privacy/mask.js';

const m = maskPersonalData;

describe('masking personal data in citizens’ texts', () => {
  it('when a text has Russian phones in any format, then each becomes [телефон] and the rest stays', () => {
    expect(m('Звоните +7 (913) 123-45-67 или 8 913 123 45 67, можно 89131234567')).toBe(
      'Звоните [телефон] или [телефон], можно [телефон]',
    );
    expect(m('тел. 8-913-123-45-67; рабочий (3852) 22-33-44, домашний 63-02-01')).toBe(
      'тел. [телефон]; рабочий [телефон], домашний [телефон]',
    );
    expect(m('Номер 913 123 45 67 после 18:00, +79131234567')).toBe('Номер [телефон] после 18:00, [телефон]');
  });

  it('when a city number without a code follows a phone word, then spaces or no separators at all still make it a phone', () => {
    expect(m('тел. 22 33 44')).toBe('тел. [телефон]');
    expect(m('тел 22-33-44')).toBe('тел [телефон]');
    expect(m('телефон 223344')).toBe('телефон [телефон]');
    expect(m('Звоните 222 33 44 после обеда')).toBe('Звоните [телефон] после обеда');
    expect(m('Мой номер: 2-23-34')).toBe('Мой номер: [телефон]');
    // Without a phone word, or when it is a sum or a case number, the digits stay.
    const kept = ['собрали 22 33 44 подписи', 'номер 100 000 рублей', 'номер обращения 123456', 'тел. 22 33 44 55 66'];
    for (const text of kept) expect(m(text), text).toBe(text);
  });

  it('when a text has case numbers, dates, money and areas, then none of them is taken for a phone', () => {
    const text = 'Обращение МЦУ-2026-000123 от 15.10.2026 не решено: 15 000 рублей, 100 кв. м, до 10 часов, в 2024 году';
    expect(m(text)).toBe(text);
  });

  it('when a text has an e-mail, a handle or a profile link, then they are masked', () => {
    expect(m('Пишите petrov.p@mail.ru, @ivan_petrov или vk.com/id12345, https://t.me/ivanpetrov')).toBe(
      'Пишите [e-mail], [ник] или [ссылка], [ссылка]',
    );
  });

  it('when an address has house and flat numbers, then the numbers go and the street stays', () => {
    expect(m('ул. Ленина, д. 10, кв. 5')).toBe('ул. Ленина, д. ***, кв. ***');
    expect(m('Третий день нет горячей воды, ул. Попова, 105 😡')).toBe('Третий день нет горячей воды, ул. Попова, *** 😡');
    expect(m('Нет воды на Попова 105-12')).toBe('Нет воды на Попова ***');
    expect(m('Павловский тракт 120, подъезд 3, этаж 5')).toBe('Павловский тракт ***, подъезд 3, этаж 5');
    expect(m('улица Антона Петрова 221г, квартира 47')).toBe('улица Антона Петрова ***, квартира ***');
    expect(m('Ленинский проспект, 45/2')).toBe('Ленинский проспект, ***');
    expect(m('Яма у дома 15а по ул. Малахова')).toBe('Яма у дома *** по ул. Малахова');
  });

  it('when a main avenue is an adjective and an abbreviation, then the name stays and the house number goes', () => {
    expect(m('Ленинский пр. 20')).toBe('Ленинский пр. ***');
    expect(m('Комсомольский пр-кт, 80')).toBe('Комсомольский пр-кт, ***');
    expect(m('Социалистический пр. 20, кв. 7')).toBe('Социалистический пр. ***, кв. ***');
    expect(m('Красноармейский пр-т 104')).toBe('Красноармейский пр-т ***');
    expect(m('Лесной б-р 7, Змеиногорский пер. 3, Павловский ш. 12, Обская наб. 3')).toBe(
      'Лесной б-р ***, Змеиногорский пер. ***, Павловский ш. ***, Обская наб. ***',
    );
    expect(m('Яма на Ленинском пр-те 20 и по Комсомольскому проспекту 80')).toBe(
      'Яма на Ленинском пр-те *** и по Комсомольскому проспекту ***',
    );
    expect(m('Ленинский проспект 5 лет ремонтируют')).toBe('Ленинский проспект 5 лет ремонтируют');
  });

  it('when a house number has a letter or a building, in either case, then no part of it is left', () => {
    expect(m('Малахова 86А')).toBe('Малахова ***');
    expect(m('Малахова 86 А, кв 5')).toBe('Малахова ***, кв ***');
    expect(m('ул. Малахова 86А, д. 10 Б')).toBe('ул. Малахова ***, д. ***');
    expect(m('Ленина 10/2Б и Ленина 10к2')).toBe('Ленина *** и Ленина ***');
    // A lone letter before words is a preposition or a sentence's start, not the house's letter.
    expect(m('Ленина 10 В подъезде грязно')).toBe('Ленина *** В подъезде грязно');
    expect(m('кв. 5 в подъезде 2, д. 5 и кв. 3')).toBe('кв. *** в подъезде 2, д. *** и кв. ***');
  });

  it('when «дом» or «квартира» is followed by a count, a time or a date, then the number stays', () => {
    const texts = [
      'Дома 3 дня нет света',
      'в квартире 2 ребёнка',
      'в доме 12 квартир, дома 5 человек',
      'Дом 3 этажа',
      'в квартире 5 лет не было ремонта',
    ];
    for (const text of texts) expect(m(text), text).toBe(text);
    expect(m('дом 3, квартира 2')).toBe('дом ***, квартира ***');
  });

  it('when an address is written the way citizens write it, without «ул.» or «д.», then the street stays and the numbers go', () => {
    expect(m('Ленина 10 кв 5')).toBe('Ленина *** кв ***');
    expect(m('Ленина, 10')).toBe('Ленина, ***');
    expect(m('Ленина,10-15')).toBe('Ленина,***');
    expect(m('Ленина 10/2, нет света')).toBe('Ленина ***, нет света');
    expect(m('Ленина 10 корп 2')).toBe('Ленина *** корп ***');
    expect(m('Проблема по адресу: Барнаул, Ленина 10')).toBe('Проблема по адресу: Барнаул, Ленина ***');
    expect(m('Горно-Алтайская 15, во дворе яма')).toBe('Горно-Алтайская ***, во дворе яма');
    expect(m('Ленина 10 подъезд 3')).toBe('Ленина *** подъезд 3');
  });

  it('when a street word opens a sentence with a capital, then it counts as a street word too', () => {
    expect(m('Ул. Ленина 10')).toBe('Ул. Ленина ***');
    expect(m('Улица Юрина 204в')).toBe('Улица Юрина ***');
    expect(m('Проспект Ленина 10')).toBe('Проспект Ленина ***');
    expect(m('Пр-т Калинина 5')).toBe('Пр-т Калинина ***');
    expect(m('Переулок Ядринцева 3')).toBe('Переулок Ядринцева ***');
    expect(m('УЛ. ЛЕНИНА 10, КВ. 5')).toBe('УЛ. ЛЕНИНА ***, КВ. ***');
    expect(m('Павловский Тракт 120')).toBe('Павловский Тракт ***');
  });

  it('when a capitalised word before a number is a route, a count, a time, a year, an amount or a date, then nothing is masked', () => {
    const texts = [
      'Маршрут 17 не ходит с утра',
      'Автобус 35 опять опоздал, автобусы 35 и 40 переполнены',
      'Трамвай 3 стоит',
      'Школа 42 и Лицей 8 без отопления',
      'В 10 часов никого, До 18:00 обещали',
      'Уже 10 дней нет воды, Прошло 3 недели',
      'Январь 2026 года, В 2026 году',
      'Штраф 500 рублей, Тариф 5,5 руб',
      'Сегодня 15 мая, Сегодня 15.10.2026',
      'Более 100 человек подписали',
      'Уже 3-й раз пишу, Звонила 5 раз',
      'Мне 70 лет',
      'Площадь 100 кв. м',
    ];
    for (const text of texts) expect(m(text), text).toBe(text);
  });

  it('when a street’s own name has a number, then the name stays and only the house number goes', () => {
    expect(m('ремонт на ул. 8 Марта 10 выполнен')).toBe('ремонт на ул. 8 Марта *** выполнен');
    expect(m('Снег во дворе, ул. 50 лет ВЛКСМ, 12-34')).toBe('Снег во дворе, ул. 50 лет ВЛКСМ, ***');
    expect(m('На ул. 8 Марта нет освещения')).toBe('На ул. 8 Марта нет освещения');
  });

  it('when a citizen introduces or signs themselves, then the name is masked', () => {
    expect(m('Меня зовут Анна Сергеевна, живу рядом')).toBe('Меня зовут [имя], живу рядом');
    expect(m('ФИО: Петров Пётр Петрович, тел. 89131234567')).toBe('ФИО: [имя], тел. [телефон]');
    expect(m('Прошу принять меры. С уважением, Иванов И.И.')).toBe('Прошу принять меры. С уважением, [имя]');
    expect(m('Спасибо!\nС уважением,\nИванова Мария')).toBe('Спасибо!\nС уважением,\n[имя]');
    expect(m('Меня зовут Мария Иванова')).toBe('Меня зовут [имя]');
    expect(m('С уважением, Мария')).toBe('С уважением, [имя]');
  });

  it('when a writer is introduced by «обращается», «пишет» or «беспокоит», then one or two capitalised words after it are masked', () => {
    expect(m('Обращается Иванова Мария')).toBe('Обращается [имя]');
    expect(m('Обращается Иванова Мария Октябрьский район')).toBe('Обращается [имя] Октябрьский район');
    expect(m('Вам пишет Людмила, в доме нет света')).toBe('Вам пишет [имя], в доме нет света');
    expect(m('Пишет вам Иванова Мария, живу на Ленина 10')).toBe('Пишет вам [имя], живу на Ленина ***');
    expect(m('Беспокоит Марат Сафин')).toBe('Беспокоит [имя]');
    // Not a person: a pronoun or an organisation.
    expect(m('Пишу Вам по поводу ямы')).toBe('Пишу Вам по поводу ямы');
    expect(m('Пишет Управляющая компания')).toBe('Пишет Управляющая компания');
  });

  it('when a name appears with initials or a patronymic anywhere, then it is masked', () => {
    expect(m('ответственный И.И. Сидоров не отвечает')).toBe('ответственный [имя] не отвечает');
    expect(m('соседка Мария Ивановна Сидорова тоже жаловалась')).toBe('соседка [имя] тоже жаловалась');
    expect(m('жалуется Сидоров А. В. из 5 подъезда')).toBe('жалуется [имя] из 5 подъезда');
    expect(m('Сидорова Мария Ивановна')).toBe('[имя]');
    expect(m('Прошу Ивана Петровича наказать')).toBe('Прошу [имя] наказать');
    expect(m('с Марией Ивановной говорили')).toBe('с [имя] говорили');
  });

  it('when a verb or a polite word stands before a first name and a patronymic, then it is kept', () => {
    expect(m('Пишет Кузьмин Ильич')).toBe('Пишет [имя]');
    expect(m('Звонит Кузьмин Иван Ильич')).toBe('Звонит [имя]');
    expect(m('Приходил Иван Петрович Сидоров')).toBe('Приходил [имя]');
    expect(m('Звонила Людмила Петровна, обещала')).toBe('Звонила [имя], обещала');
    expect(m('Обращается Иванова Людмила Петровна')).toBe('Обращается [имя]');
    expect(m('Уважаемая Мария Ивановна прошу ответить')).toBe('Уважаемая [имя] прошу ответить');
  });

  it('when an official’s answer greets the citizen by name, then the name is masked and the answer stays readable', () => {
    expect(m('Уважаемая Мария Ивановна! Ремонт на пр. Ленина 45 выполнен.')).toBe(
      'Уважаемая [имя]! Ремонт на пр. Ленина *** выполнен.',
    );
    expect(m('Здравствуйте, Иван! Бригада выехала.')).toBe('Здравствуйте, [имя]! Бригада выехала.');
    // A capitalised word that opens the next sentence is not a name.
    expect(m('Здравствуйте, Прошу убрать снег')).toBe('Здравствуйте, Прошу убрать снег');
  });

  it('when a realistic appeal is masked, then the problem, the street and the district survive for statistics', () => {
    const appeal = [
      'Здравствуйте! Меня зовут Ольга Николаевна Кузнецова.',
      'Уже неделю на ул. Малахова, д. 83, кв. 112 (Индустриальный район) нет отопления в подъезде 2.',
      'Звонила в УК по 8 (3852) 50-12-34 — никто не отвечает. Мой телефон +7 962 800-11-22, почта olga.k@yandex.ru.',
      'С уважением, Кузнецова О.Н.',
    ].join('\n');
    expect(m(appeal)).toBe(
      [
        'Здравствуйте! Меня зовут [имя].',
        'Уже неделю на ул. Малахова, д. ***, кв. *** (Индустриальный район) нет отопления в подъезде 2.',
        'Звонила в УК по [телефон] — никто не отвечает. Мой телефон [телефон], почта [e-mail].',
        'С уважением, [имя]',
      ].join('\n'),
    );
  });

  it('when a masked text is masked again, then nothing changes', () => {
    const texts = [
      'Меня зовут Анна, ул. Ленина, д. 10, кв. 5, тел. +7 (913) 123-45-67, a@b.ru',
      'Уважаемая Мария Ивановна! Ремонт на ул. 8 Марта 10 выполнен.',
      'С уважением, Иванов И.И.',
      'Ленина,10-15; Горно-Алтайская 15; Ул. Ленина 10 кв 5',
      'Ленинский пр. 20, Малахова 86А, Малахова 86 А, тел. 22 33 44, телефон 223344',
      'Пишет Кузьмин Ильич. Обращается Иванова Мария. Дома 3 дня нет света, в квартире 2 ребёнка',
    ];
    for (const text of texts) expect(m(m(text))).toBe(m(text));
    expect(m('')).toBe('');
  });

  it('when JSON details are masked, then every string inside is and other values stay', () => {
    expect(maskJsonStrings({ comment: 'звоните 89131234567', rating: 2, nested: [{ note: 'Иванов И.И.' }], ok: true })).toEqual({
      comment: 'звоните [телефон]',
      rating: 2,
      nested: [{ note: '[имя]' }],
      ok: true,
    });
  });
});
