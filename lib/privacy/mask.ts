/**
 * Masks personal data in a citizen's free text (152-ФЗ), keeping what statistics need: the problem, the
 * street and the district stay; phones, e-mails, names, handles and house and flat numbers go. Used
 * when a citizen or an old case is anonymised (retention, /forget). Pragmatic, not perfect: it errs towards
 * masking (an INN may go; a number after a capitalised word not on the {@link NOT_STREETS} list, «Сломано 2
 * скамейки», too) and is idempotent — masking a masked text changes nothing.
 */

export const MASK = {
  phone: '[телефон]',
  email: '[e-mail]',
  name: '[имя]',
  handle: '[ник]',
  link: '[ссылка]',
  number: '***',
} as const;

// ---- building blocks ----------------------------------------------------------------------------

/** A capitalised word, hyphenated surnames too (Римский-Корсаков). */
const CAP = String.raw`\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?`;
/** Initials: «И.», «И.И.», «И. И.». */
const INITIALS = String.raw`\p{Lu}\.(?:\s?\p{Lu}\.)?`;
/** One to three name parts: «Анна», «Иванов И.И.», «Мария Петровна Сидорова». */
const NAME = String.raw`(?:${CAP}|${INITIALS})(?:[ \t]+(?:${CAP}|${INITIALS})){0,2}`;
/** A patronymic in any case: «Петрович», «Петровича», «Ильич», «Ивановной». */
const PATRONYMIC = String.raw`\p{Lu}\p{Ll}+(?:(?:ович|евич|ьич|ич)(?:а|у|ем|е)?|(?:овн|евн|ичн)(?:а|ы|е|у|ой))(?![\p{L}])`;
/**
 * A pattern's Cyrillic letters in any case: «ул.», «Ул.», «УЛ.» (citizens capitalise street words at a
 * sentence's start). Not the `i` flag: it would make `\p{Lu}` match lower case too.
 */
function anyCase(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i] ?? '';
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i += 1;
    } else if (/[а-яё]/.test(ch)) out += inClass ? ch + ch.toUpperCase() : `[${ch}${ch.toUpperCase()}]`;
    else {
      if (ch === '[') inClass = true;
      if (ch === ']') inClass = false;
      out += ch;
    }
  }
  return out;
}
/** Street words before a name: «ул. Ленина», «Пр-т Строителей», «Переулок Ядринцева». */
const STREET_BEFORE = anyCase(
  String.raw`(?:ул\.?|улиц[аеыу]|пр-т|пр-кт|пр\.|просп\.|проспект[ае]?|пер\.|переул(?:ок|ке|ка)|проезд[ае]?|б-р|бульвар[ае]?|ш\.|шоссе|пл\.|площад[ьи]|наб\.|набережн(?:ая|ой)|мкр\.?|микрорайон[ае]?|туп\.|тупик[ае]?|тракт[ае]?)`,
);
/** A street's name: an optional leading number («8 Марта», «50 лет ВЛКСМ», «5-я Западная»), then capitalised words. */
const STREET_NAME = String.raw`(?:\d{1,3}(?:-?[а-я]{1,2})?\s+(?:лет\s+)?)?\p{Lu}[\p{L}-]*(?:\s+\p{Lu}[\p{L}-]*){0,2}`;
/** Street words after a capitalised name: «Павловский тракт», «Ленинский Проспект», «на Ленинском проспекте». */
const STREET_AFTER = anyCase(
  String.raw`(?:тракт[аеу]?|проспект[аеу]?|проезд[аеу]?|переул(?:ок|ке|ку|ка)|бульвар[аеу]?|шоссе)(?![\p{L}-])`,
);
/** An adjective-form street name: «Ленинский», «Комсомольского», «Северо-Западная». */
const STREET_ADJECTIVE = String.raw`(?<![\p{L}-])\p{Lu}[\p{Ll}-]*(?:ий|ый|ой|ая|яя|ом|ем|ому|ему|ую|юю|ого|его)`;
/** Street abbreviations after an adjective: «Ленинский пр. 20», «Комсомольский пр-кт, 80», «Лесной б-р 7». */
const STREET_AFTER_ABBR = anyCase(String.raw`(?:(?:пр|пр-к?т[аеу]?|просп|пер|б-р[аеу]?|наб)(?:\.|(?![\p{L}-]))|ш\.)`);

/**
 * Capitalised words that are not streets but are often followed by a number: transport routes, schools,
 * parts of a building, prepositions and adverbs opening a sentence («До 10», «Уже 3 дня»), nominative
 * months. Genitive months stay out: «8 Марта 10» is a street.
 */
const NOT_STREETS = [
  `(?:Маршрут|Автобус|Троллейбус|Рейс|Подъезд|Этаж|Кабинет|Корпус|Номер|Пункт|Участ(?:ок|ка|ке)|Класс|Ряд|Тариф)(?:а|у|ом|е|ы|ов)?`,
  `Трамва(?:й|я|ю|ем|е|и|ев)|Маршрутк(?:а|и|у|ой|е)|Школ(?:а|ы|у|ой|е)|Гимнази(?:я|и|ю|ей)|Лице(?:й|я|ю|ем|е)`,
  `Поликлиник(?:а|и|у|ой|е)|Больниц(?:а|ы|у|ей|е)|Детсад(?:а|у|е)?|Садик(?:а|у|е)?|Палат(?:а|ы|е|у)|Остановк(?:а|и|е|у)`,
  `Обращени(?:е|я|ю|ем)|Заявк(?:а|и|у|е)|Стать(?:я|и|е|ю)|Глав(?:а|ы|е)|Част(?:ь|и)|Приложени(?:е|я)|Год|Месяц|Недел(?:я|ю)`,
  `Январь|Февраль|Март|Апрель|Май|Июнь|Июль|Август|Сентябрь|Октябрь|Ноябрь|Декабрь|Понедельник|Вторник|Среда|Четверг|Пятница|Суббота|Воскресенье`,
  `До|От|Со|Во|На|По|За|Из|Под|Над|При|Про|Без|Для|Около|Возле|После|Через|Уже|Ещё|Еще|Всего|Более|Менее|Больше|Меньше|Свыше|Почти|Примерно|Приблизительно|Целых|Лишь|Только|Сегодня|Вчера|Завтра|Каждые|Каждый|Каждую|Нет|Не|Да|Это|Все|Всё|Мне|Нам|Им|Ему|Ей`,
].join('|');
/** What follows a number that is a count, an amount, a time or a date, not a house: «10 часов», «500 рублей», «15 мая». */
const UNITS = anyCase(
  [
    String.raw`лет|год(?:а|у|ы|ов)?|г\.|гг\.|месяц(?:а|ев)?|мес\.|недел(?:я|и|ь|ю)|дн(?:я|ей)|день|сут(?:ки|ок)|час(?:а|ов)?|ч\.|ч|минут(?:а|ы)?|мин\.?|секунд(?:а|ы)?|сек\.?`,
    String.raw`раза?|руб(?:ль|ля|лей)?\.?|р\.|₽|коп(?:ейка|ейки|еек)?\.?|тыс(?:яча|ячи|яч)?\.?|млн|млрд|процент(?:а|ов)?|%|°|градус(?:а|ов)?`,
    String.raw`человек|чел\.|сем(?:ья|ьи|ей)|жител(?:ь|я|ей)|дет(?:ей|и)|машин(?:а|ы)?|шт\.?|штук(?:а|и)?|м|см|мм|км|метр(?:а|ов)?|кв\.?\s?м|га|кг|т|л|литр(?:а|ов)?`,
    `реб[её]н(?:ок|ка|ку)|взрослых|жильц(?:а|ов)|пенсионер(?:а|ов|ки|ок)|инвалид(?:а|ов)`,
    `домов|квартир|подъездов|этажа|этажей|числа|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря`,
  ].join('|'),
);
/** Not a unit after a number: «3 дня», «2 ребёнка», «500 рублей» are counts, not houses or flats. */
const NOT_UNIT = String.raw`(?![ \t]*(?:${UNITS})(?![\p{L}]))`;
/**
 * A house letter: «86а», «86А»; after a space («86 А», «10 б») only at the end of the address — before
 * punctuation, the text's end or a flat or building word —, and never «и», so «кв. 5 в подъезде» and «д. 5 и
 * кв. 3» keep their words.
 */
const HOUSE_LETTER = String.raw`(?:[а-яёА-ЯЁ](?![\p{L}])|[ \t](?!и)[а-яёА-ЯЁ](?![\p{L}])(?=\s*(?:$|[^\p{L}\s]|${anyCase('(?:кв|корп|стр|квартир|корпус|строени)')})))`;
/** A building after a house number: «10к2», «10 к2». */
const BUILDING = String.raw`(?:[ \t]?[кК]\d{1,2}(?![\p{N}]))`;
/** A house or flat number: «10», «10а», «86 А», «10к2», «105/2», «105-12»; not a count («3 дня»). */
const NUMBER = String.raw`\d{1,4}${HOUSE_LETTER}?${BUILDING}?(?:\s?[/-]\s?\d{1,4}(?:[а-яёА-ЯЁ](?![\p{L}]))?)?(?![\p{N}])${NOT_UNIT}`;
/** A capitalised Cyrillic word, hyphenated too («Горно-Алтайская»), that is not one of {@link NOT_STREETS}. */
const STREET_WORD = String.raw`(?<![\p{L}\p{N}_-])(?!(?:${NOT_STREETS})(?![\p{L}-]))[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?`;
/** A house number after a bare street name: «10», «204в», «10/2», «10-15»; not a time, a date, a decimal or an ordinal. */
const HOUSE = String.raw`\d{1,3}${HOUSE_LETTER}?${BUILDING}?(?:[/-]\d{1,4}(?:[а-яёА-ЯЁ](?![\p{L}]))?)?(?![\p{N}]|[.:,]\d|-[\p{L}])${NOT_UNIT}`;

// ---- patterns, in the order they run -------------------------------------------------------------

const EMAIL = /[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,}/gu;
/** A profile link names a person: vk.com/id123, t.me/name, ok.ru/profile/123. */
const PROFILE_LINK =
  /(?:https?:\/\/)?(?:m\.)?(?:vk\.com\/id\d+|vk\.com\/[a-z][\w.]{3,}|t\.me\/[a-z][\w]{3,}|ok\.ru\/profile\/\d+)/giu;
const HANDLE = /(?<![\p{L}\p{N}._/@-])@[A-Za-z][\w]{3,31}/gu;
/**
 * A Russian phone: +7 / 8 / 7 and ten digits, with spaces, dashes and brackets anywhere («+7 (913) 123-45-67»,
 * «8-913-123-45-67», «89131234567»), or ten digits with a code («(3852) 22-33-44», «913 123 45 67»). Which
 * candidates are phones is decided by their digits (see `phoneOrNot`); a case number «МЦУ-2026-000123» is not one.
 */
const PHONE = /(?<![\p{L}\p{N}_/-])(?:\+\s?7|8|7)?[\s-]*\(?\s*\d{3,5}\s*\)?[\s-]*\d{1,3}[\s-]*\d{2}[\s-]*\d{2}(?![\p{N}])/gu;
/** A city number without a code: «22-33-44», «222-33-44». */
const LOCAL_PHONE = /(?<![\p{L}\p{N}_/.-])\d{2,3}-\d{2}-\d{2}(?![\p{N}.-])/gu;
/** After a phone word a city number may have spaces or nothing between its digits: «тел. 22 33 44», «телефон 223344». */
const LOCAL_PHONE_AFTER_WORD = new RegExp(
  String.raw`((?<![\p{L}])${anyCase(String.raw`(?:тел\.?|телефон(?:а|у|ом|е|ы)?|звоните|позвоните|номер(?:а|у|ом)?)`)}(?![\p{L}])[ \t]*[:—–-]?[ \t]*)(\d{2,3}(?:[ -]?\d{2}){2}|\d-\d{2}-\d{2})(?![\p{N}]|[.,:]\d|[ -]\d)`,
  'gu',
);

const NAME_AFTER = new RegExp(
  String.raw`((?:[Мм]еня зовут|[Мм]оё имя|[Мм]ое имя|ФИО|Ф\.И\.О\.?|[Фф]амилия|[Зз]аявитель|[Сс] уважением|[Пп]одпись)\s*[:,—–-]?\s*)(${NAME})`,
  'gu',
);
/** «Уважаемая Анна Петровна!», «Здравствуйте, Иван,»: a name only when punctuation follows it. */
const GREETING = new RegExp(
  String.raw`((?:Уважаем(?:ый|ая|ые)|уважаем(?:ый|ая|ые)|Здравствуйте|Добрый день),?\s+)(${NAME})(?=\s*[!,.])`,
  'gu',
);
/** «Иванов И.И.» / «Иванов И. И.» and «И.И. Иванов», unless a street's name («ул. Н.С. Хрущёва»). */
const SURNAME_INITIALS = new RegExp(
  String.raw`(?<!${STREET_BEFORE}\s*)(?:${CAP}\s+\p{Lu}\.\s?\p{Lu}\.|\p{Lu}\.\s?\p{Lu}\.\s?${CAP})`,
  'gu',
);
/**
 * Capitalised words that are not names though they stand next to one: polite addresses, pronouns, sentence
 * openers and organisations («Уважаемая», «Пишу Вам», «Пишет Управляющая компания»).
 */
const NOT_NAME = String.raw`(?:Уважаем\p{Ll}*|Дорог(?:ой|ая|ие)|Прошу|Просим|Спасибо|Благодар\p{Ll}*|Передайте|Здравствуйте|Скажите|Помогите|Извините|Господин|Госпожа|Товарищ|Граждан(?:ин|ка)|Сосед(?:ка)?|Жил(?:ец|ьцы)|Жител\p{Ll}*|Заявитель|Председател\p{Ll}*|Собственник\p{Ll}*|Управляющ\p{Ll}*|Администраци\p{Ll}*|Совет|Компани\p{Ll}*|Служб\p{Ll}*|Отдел\p{Ll}*|Комитет\p{Ll}*|Депутат\p{Ll}*|Вам|Вас|Вы|Ваш\p{Ll}*|Мы|Мой|Моя|Мою|Мне|Нам|Его|Ее|Её|Их|Это|Также|Когда|Если|Но|Или|Уже|Сегодня|Вчера)(?![\p{L}-])`;
/**
 * A capitalised word ending like a verb: «Пишет», «Звонит», «Обращается», «Приходил», «Звонила». Only around
 * a first name and a patronymic, where it would stand for a surname: first names end so too («Людмила», «Марат»).
 */
const VERB_LIKE = String.raw`\p{Lu}\p{Ll}*(?:[аеёиоуыяю]т|ся|сь|[аеёиыя]ла?|[ие]шь)(?![\p{L}-])`;
/** «Иван Петрович», «Мария Ивановна Сидорова», «Сидорова Мария Ивановна»; «Пишет Кузьмин Ильич» keeps «Пишет». */
const WITH_PATRONYMIC = new RegExp(
  String.raw`(?<![\p{L}-])(?:(?!${NOT_NAME}|${VERB_LIKE})${CAP}[ \t]+)?${CAP}[ \t]+${PATRONYMIC}(?:[ \t]+(?!${NOT_NAME}|${VERB_LIKE})${CAP}(?![ \t]*,?[ \t]*\d))?`,
  'gu',
);
/** «Обращается Иванова Мария», «Пишет вам Мария»: one or two capitalised words after a word introducing the writer. */
const NAME_INTRODUCED = new RegExp(
  String.raw`((?<![\p{L}])(?:[Оо]бращается(?:[ \t]+к[ \t]+[Вв]ам)?|[Пп]ишет(?:[ \t]+[Вв]ам)?|[Бб]еспокоит(?:[ \t]+[Вв]ас)?)[ \t]*[:,—–-]?[ \t]+)(?!${NOT_NAME})(${CAP}(?:[ \t]+(?!${NOT_NAME})${CAP}(?![ \t]*,?[ \t]*\d))?)`,
  'gu',
);

/** «д. 10», «дом №5», «кв. 12», «корп. 2», «стр. 1»; «литер А» is kept, and so is a count: «Дома 3 дня», «в квартире 2 ребёнка». */
const HOUSE_MARK = new RegExp(
  String.raw`((?<![\p{L}])${anyCase(String.raw`(?:д\.?|дом(?:а|е|у)?|кв\.?|квартир[аыеу]?|корп\.?|корпус[аеу]?|к\.|стр\.?|строени[ея])`)}\s*№?\s*)(${NUMBER})`,
  'gu',
);
const STREET_NUMBER = new RegExp(String.raw`((?<![\p{L}])${STREET_BEFORE}\s*${STREET_NAME},?\s*)(${NUMBER})`, 'gu');
const NAMED_STREET_NUMBER = new RegExp(
  String.raw`((?:${CAP}\s+${STREET_AFTER}|${STREET_ADJECTIVE}\s+${STREET_AFTER_ABBR})\s*,?\s*)(${NUMBER})`,
  'gu',
);
/**
 * «Ленина 10», «Ленина, 10», «Ленина,10-15», «Горно-Алтайская 15», «Юрина 204в»: a bare street name and a
 * house number. Citizens write addresses so, without «ул.» or «д.»; what guards against a route, a count or
 * a date is {@link NOT_STREETS} before and {@link UNITS} after.
 */
const BARE_STREET_NUMBER = new RegExp(String.raw`(${STREET_WORD}(?:[ \t]*,[ \t]*|[ \t]+))(${HOUSE})`, 'gu');

/** Keeps the lead-in (group 1) and masks what follows (group 2). */
const keepLead = (mask: string) => (_match: string, lead: string) => `${lead}${mask}`;

function phoneOrNot(candidate: string): string {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length === 11 && (digits.startsWith('7') || digits.startsWith('8'))) return MASK.phone;
  if (digits.length === 10 && !candidate.trimStart().startsWith('+')) return MASK.phone;
  return candidate;
}

/** The text with phones, e-mails, profile links, handles, names and house and flat numbers masked. */
export function maskPersonalData(text: string): string {
  if (text === '') return text;
  return text
    .replace(EMAIL, MASK.email)
    .replace(PROFILE_LINK, MASK.link)
    .replace(HANDLE, MASK.handle)
    .replace(PHONE, (m) => {
      // The pattern may take a leading space or dash into the candidate: keep it outside the mask.
      const lead = /^[\s-]*/.exec(m)?.[0] ?? '';
      const masked = phoneOrNot(m.slice(lead.length));
      return masked === MASK.phone ? `${lead}${masked}` : m;
    })
    .replace(LOCAL_PHONE, MASK.phone)
    .replace(LOCAL_PHONE_AFTER_WORD, keepLead(MASK.phone))
    .replace(NAME_AFTER, keepLead(MASK.name))
    .replace(GREETING, keepLead(MASK.name))
    .replace(SURNAME_INITIALS, MASK.name)
    .replace(WITH_PATRONYMIC, MASK.name)
    .replace(NAME_INTRODUCED, keepLead(MASK.name))
    .replace(HOUSE_MARK, keepLead(MASK.number))
    .replace(STREET_NUMBER, keepLead(MASK.number))
    .replace(NAMED_STREET_NUMBER, keepLead(MASK.number))
    .replace(BARE_STREET_NUMBER, keepLead(MASK.number));
}

/** Every string inside a JSON value masked (audit and alert details); other values as they are. */
export function maskJsonStrings<T>(value: T): T {
  if (typeof value === 'string') return maskPersonalData(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskJsonStrings(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskJsonStrings(v);
    return out as T;
  }
  return value;
}
