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
const PATRONYMIC = String.raw`\p{Lu}\p{Ll}+(?:ович|евич|овна|евна|ична|инична|ьич|ич)`;
/** A house or flat number: «10», «10а», «105/2», «105-12», «10 к2» is two numbers. */
const NUMBER = String.raw`\d{1,4}(?:\s?[а-яёА-ЯЁ](?![\p{L}]))?(?:\s?[/-]\s?\d{1,4}[а-яё]?)?(?![\p{N}])`;
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
/** Street words after an adjective: «Павловский тракт», «Ленинский Проспект». */
const STREET_AFTER = anyCase('(?:тракт|проспект|проезд|переулок|бульвар|шоссе)');

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
    `домов|квартир|подъездов|этажей|числа|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря`,
  ].join('|'),
);
/** A capitalised Cyrillic word, hyphenated too («Горно-Алтайская»), that is not one of {@link NOT_STREETS}. */
const STREET_WORD = String.raw`(?<![\p{L}\p{N}_-])(?!(?:${NOT_STREETS})(?![\p{L}-]))[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?`;
/** A house number after a bare street name: «10», «204в», «10/2», «10-15»; not a time, a date, a decimal or an ordinal. */
const HOUSE = String.raw`\d{1,3}(?:[а-яё](?![\p{L}]))?(?:[/-]\d{1,4}[а-яё]?)?(?![\p{N}]|[.:,]\d|-[\p{L}]|[ \t]*(?:${UNITS})(?![\p{L}]))`;

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
/** «Иван Петрович», «Мария Ивановна Сидорова», «Сидорова Мария Ивановна». */
const WITH_PATRONYMIC = new RegExp(String.raw`(?:${CAP}[ \t]+)?${CAP}[ \t]+${PATRONYMIC}(?:[ \t]+${CAP})?`, 'gu');

/** «д. 10», «дом №5», «кв. 12», «корп. 2», «стр. 1», «литер А» is kept. */
const HOUSE_MARK = new RegExp(
  String.raw`((?<![\p{L}])${anyCase(String.raw`(?:д\.?|дом(?:а|е|у)?|кв\.?|квартир[аыеу]?|корп\.?|корпус[аеу]?|к\.|стр\.?|строени[ея])`)}\s*№?\s*)(${NUMBER})`,
  'gu',
);
const STREET_NUMBER = new RegExp(String.raw`((?<![\p{L}])${STREET_BEFORE}\s*${STREET_NAME},?\s*)(${NUMBER})`, 'gu');
const NAMED_STREET_NUMBER = new RegExp(String.raw`(${CAP}\s+${STREET_AFTER}\s*,?\s*)(${NUMBER})`, 'gu');
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
    .replace(NAME_AFTER, keepLead(MASK.name))
    .replace(GREETING, keepLead(MASK.name))
    .replace(SURNAME_INITIALS, MASK.name)
    .replace(WITH_PATRONYMIC, MASK.name)
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
