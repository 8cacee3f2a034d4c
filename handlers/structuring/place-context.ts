import { phraseOf, sameWord, type Token, type WordShape } from './text.js';

/**
 * When a place name that is also an ordinary word names the place. The gazetteer (gazetteer.ts) calls a
 * name AMBIGUOUS when it is one word that is an adjective («Южный», «Центральный», «Октябрьский» without
 * «район», «Ягодное») or has a stem of at most SHORT_STEM letters («Поток», «Затон», «Куета», «Конюхи»),
 * or when it is several words and begins with an adjective («Научный Городок», «Солнечная поляна»). Such
 * a name is read as the place only with evidence that it is a place (`inPlaceContext`): a bare
 * preposition is no such evidence («стоим в потоке машин», «в центральном подъезде»).
 */

/** A one-word place name with a stem this short is usually also a common word («поток», «затон»). */
export const SHORT_STEM = 5;

export type Gender = 'm' | 'n' | 'f';

/** Words that say "a street follows" (abbreviations included: the tokenizer drops the dots). */
export const STREET_MARKERS: ReadonlySet<string> = new Set([
  ...['ул', 'улица', 'улиц', 'пр', 'пр-т', 'проспект', 'просп', 'пер', 'переулок', 'переулк', 'тракт'],
  ...['бульвар', 'бул', 'б-р', 'проезд', 'шоссе', 'пл', 'площад', 'т'],
]);
/** Street words in full, in any of their forms («на улице», «по проспекту»). */
const STREET_WORDS = phraseOf('улица проспект переулок тракт бульвар проезд шоссе площадь набережная');
export const isStreetWord = (t: Token | undefined) =>
  !!t && (STREET_MARKERS.has(t.word) || STREET_WORDS.some((w) => sameWord(t, w)));
/** Street words by gender, abbreviations included: an adjective of that gender before one names the street. */
const STREET_WORDS_BY_GENDER: Readonly<Record<Gender, readonly Token[]>> = {
  m: phraseOf('проспект пр т переулок пер тракт проезд бульвар бул'),
  n: phraseOf('шоссе'),
  f: phraseOf('улица ул площадь пл набережная наб аллея'),
};
/** Prepositions of place: «в Южном», «на Куете», «из Лесного», «у Затона». */
const PREPOSITIONS: ReadonlySet<string> = new Set([
  ...['в', 'во', 'на', 'из', 'с', 'со', 'у', 'под', 'около', 'возле', 'до', 'от', 'к', 'ко', 'по', 'за'],
  'через',
]);
/** Abbreviations of «посёлок», «микрорайон», …, before a name, compared as written (the dots dropped). */
const PLACE_ABBREVIATIONS: ReadonlySet<string> = new Set(['пос', 'пгт', 'дер', 'мкр', 'мкрн', 'кв', 'тос']);
/** Abbreviations that are also other words («с южного торца», «р. Обь»): only with their dot, «с. Лебяжье». */
const DOTTED_PLACE_ABBREVIATIONS: ReadonlySet<string> = new Set(['с', 'п', 'р', 'ст']);
/** Abbreviations after a name: «Поток мкр», «Железнодорожный р-н» (р + н). Not «с», «п»: «Южный с утра». */
const PLACE_ABBREVIATIONS_AFTER: ReadonlySet<string> = new Set(['мкр', 'мкрн', 'пгт', 'пос', 'кв']);
/** Words that say "a place follows" (or precedes: «Южный посёлок»), in any of their forms. */
const PLACE_WORDS = phraseOf('район поселок село деревня станция микрорайон квартал');
/** Plural endings of the place words: «по пригородным посёлкам» names no one place. */
const PLURAL_PLACE_WORD = /(?:ы|и|ов|ев|ам|ям|ами|ями|ах|ях)$/;
/** Objects an adjective place name may describe instead: «Центральный рынок», «лесной массив». */
const OBJECT_NOUNS = phraseOf(
  'массив рынок парк сквер сад лес пляж озеро пруд кладбище мост вокзал стадион магазин центр комплекс рощ бор',
);

/** Nominative endings of an adjective → the endings of its own gender's case forms. */
export const ADJECTIVE_FORMS: Readonly<Record<string, readonly string[]>> = {
  ый: ['ый', 'ого', 'ому', 'ым', 'ом'],
  ий: ['ий', 'его', 'ему', 'им', 'ем', 'ого', 'ому', 'ом'],
  ой: ['ой', 'ого', 'ому', 'ым', 'ом'],
  ое: ['ое', 'ого', 'ому', 'ым', 'ом'],
  ее: ['ее', 'его', 'ему', 'им', 'ем'],
  ая: ['ая', 'ой', 'ую', 'ою'],
  яя: ['яя', 'ей', 'юю', 'ею'],
};
export const GENDER_OF_ENDING: Readonly<Record<string, Gender>> = {
  ый: 'm',
  ий: 'm',
  ой: 'm',
  ое: 'n',
  ее: 'n',
  ая: 'f',
  яя: 'f',
};
/** An adjective's base and nominative ending: «центральн» + «ый». */
export const ADJECTIVE = /^(.*[^аеиоуыэюя])(ый|ий|ой|ое|ее|ая|яя)$/;

/**
 * The endings of a noun (or of a second adjective) that agrees with an adjective in this case form:
 * «в Центральном подъезде», «у Центрального входа», «центральный вход», «в южном направлении». A word
 * that agrees is what the adjective describes, so the adjective names no place.
 */
const AGREEING: Readonly<Record<string, RegExp>> = {
  ом: /(?:е|ии|ом|ем)$/,
  ем: /(?:е|ии|ом|ем)$/,
  ого: /[ая]$|(?:ого|его)$/,
  его: /[ая]$|(?:ого|его)$/,
  ому: /[ую]$/,
  ему: /[ую]$/,
  ым: /(?:ом|ем|ым|им)$/,
  им: /(?:ом|ем|ым|им)$/,
  ый: /[бвгджзклмнпрстфхцчшщйь]$/,
  ий: /[бвгджзклмнпрстфхцчшщйь]$/,
  // «Лесной»: a masculine nominative, or a feminine form («на лесной дороге», «в Лесной школе»).
  ой: /[бвгджзклмнпрстфхцчшщйь]$|(?:е|и|ой|ей|ою)$/,
  ое: /[ое]$/,
  ее: /[ое]$/,
  ая: /[аяь]$/,
  яя: /[аяь]$/,
  ую: /[уюь]$/,
  юю: /[уюь]$/,
  ою: /(?:ой|ей|ью)$/,
  ею: /(?:ой|ей|ью)$/,
};
/** Words after a name that describe nothing: adverbs, pronouns, particles («в Южном уже …», «в Южный после 20:00»). */
const NOT_DESCRIBED = new Set(
  `уже тоже также еще все вся весь где везде вообще больше меньше раньше позже дальше ближе ниже выше лучше хуже
  более менее вместе после кроме около возле вокруг вдоль напротив против между через среди сегодня вчера завтра
  никогда всегда тогда когда куда туда сюда отсюда оттуда пока снова сразу потом затем совсем опять давно недавно
  теперь сейчас здесь там тут очень только даже нет как так вот чем причем притом нельзя почти лишь есть нужно надо
  можно никто ничего нигде никак`.split(/\s+/),
);
/** Ends of verb forms («ходит», «закрыли», «стоят»): a verb after a name describes nothing. */
const VERB_END = /(?:ть|ти|ли|ло|ет|ит|ут|ют|ат|ят|ешь|ишь|ся|сь|ал|ел|ил|ыл|ул|ял)$/;

export interface AmbiguousName {
  /** For a one-word adjective name («Южный»): the base and the forms of its own gender; else null. */
  adjective: { base: string; forms: readonly string[]; gender: Gender } | null;
  /** Words in the name: a name of several words needs less (a capital on one of them). */
  words: number;
}

/**
 * Whether an AMBIGUOUS name found at `at` (its `length` words) names the place. Any of:
 * 1. a place word right before it («посёлок Южный», «мкр Поток», «пос. Лесной»), or a singular one right
 *    after it («Южный посёлок», «в Центральном районе», «Железнодорожный р-н»);
 * 2. a street word right after it («Поток, ул. Петра Сухова», «Научный Городок, ул. Центральная»);
 * 3. it is written with a capital not at a sentence's start and a preposition of place stands right before
 *    it («в Потоке на Малахова», «на Куете», «из Лесного»); a name of several words, a capital on any of
 *    its words not at a sentence's start («Когда газифицируют Казённую Заимку?», «Научный Городок без …»);
 * 4. it stands alone, with a capital or first in the text: the whole of a fragment between punctuation or
 *    the text's ends («Затон: …», «… спать невозможно. Поток», «Куета, у магазина»), or the first word
 *    followed by «и»/«или» («Затон и Власиха …»).
 * And never, for a one-word adjective name, when the word after it (in the same clause) agrees with it —
 * an object it describes («в Центральном подъезде», «на Центральном рынке», «у Центрального вокзала») —
 * or is a street word of its gender or a house number («Ленинский пр., 64», «Ленинский, 64»: a street);
 * and never for any such name after a street word («пр. Ленинский», «проезд Южный»).
 * Without shapes (the original writing could not be read) only 1, 2 and 4 at the text's start count.
 */
export function inPlaceContext(
  tokens: readonly Token[],
  shapes: readonly WordShape[] | null,
  at: number,
  length: number,
  name: AmbiguousName,
): boolean {
  const before = tokens[at - 1];
  const after = tokens[at + length];
  const afterShape = shapes?.[at + length];
  const adjective = name.adjective;
  if (adjective && after && STREET_WORDS_BY_GENDER[adjective.gender].some((w) => sameWord(after, w))) return false;
  // «пр. Ленинский, 64к1», «проезд Южный»: a street word before the name makes it a street's.
  if (isStreetWord(before)) return false;
  const isPlaceWord = (t: Token | undefined) => !!t && PLACE_WORDS.some((w) => sameWord(t, w));
  const abbreviation = (t: Token | undefined, i: number) =>
    !!t && (PLACE_ABBREVIATIONS.has(t.word) || (DOTTED_PLACE_ABBREVIATIONS.has(t.word) && !!shapes?.[i]?.dotted));
  if (before && (abbreviation(before, at - 1) || isPlaceWord(before))) return true;
  if (after && isPlaceWord(after) && !PLURAL_PLACE_WORD.test(after.word)) return true;
  if (after && (PLACE_ABBREVIATIONS_AFTER.has(after.word) || (after.word === 'р' && tokens[at + length + 1]?.word === 'н')))
    return true;
  if (adjective && after && !afterShape?.afterBreak && describes(tokens[at]?.word ?? '', adjective.base, after)) return false;
  // «Ленинский, 64», «по Ленинскому 117-1»: an adjective with a house number is a street's name.
  if (adjective && houseNumberAt(tokens, shapes, at + length)) return false;
  if (isStreetWord(after) && after?.word !== 'т') return true;
  // Alone: lower case only as the text's first word («затон: …»), not «ветер северный, южный».
  const alone =
    (at === 0 || (!!shapes?.[at]?.afterBreak && !!shapes[at]?.initial)) &&
    (!after || !!afterShape?.afterBreak || (at === 0 && /^(?:и|или)$/.test(after.word)));
  if (alone) return true;
  if (!shapes) return false;
  const written = shapes.slice(at, at + length);
  if (name.words > 1) return written.some((s, i) => s.capital && !(i === 0 && s.sentenceStart));
  const shape = written[0];
  return !!shape?.capital && !shape.sentenceStart && !!before && PREPOSITIONS.has(before.word);
}

/** Words after a house number: «д. 7», «64 корп. 2» (the number itself may be «12а», «64к1», «117-1»). */
const HOUSE_PARTS: ReadonlySet<string> = new Set(['д', 'дом', 'корп', 'к', 'кв', 'стр', 'лит']);

/** Whether a house number stands at `i`: a number followed by nothing, punctuation, a number or a house word. */
function houseNumberAt(tokens: readonly Token[], shapes: readonly WordShape[] | null, i: number): boolean {
  if (!/^\d+[а-я]?\d*$/.test(tokens[i]?.word ?? '')) return false;
  const next = tokens[i + 1];
  return !next || !!shapes?.[i + 1]?.afterBreak || /^\d/.test(next.word) || next.word.length === 1 || HOUSE_PARTS.has(next.word);
}

/**
 * Whether the adjective (`word`, a form of `base`) describes the word after it: an object named after
 * the adjective («Центральный рынок», «Южный парк»), or a word that agrees with the adjective's case and
 * is not a verb, adverb or pronoun («в центральном подъезде», «центральный вход», «в южном направлении»).
 */
function describes(word: string, base: string, next: Token): boolean {
  if (OBJECT_NOUNS.some((w) => sameWord(next, w))) return true;
  const agreeing = AGREEING[word.slice(base.length)];
  if (!agreeing || next.word.length < 3 || /^\d/.test(next.word) || NOT_DESCRIBED.has(next.word)) return false;
  const ending = word.slice(base.length);
  // A verb after a nominative or a locative («в Южный ходит», «в Урожайном отдали»); a genitive's noun
  // may end like a verb («у Центрального вокзала»), so there the ending alone decides.
  if (!['ого', 'его'].includes(ending) && VERB_END.test(next.word)) return false;
  // «в Лесном частные дома»: an adjective in another case describes the next noun, not this one.
  if (['ом', 'ем'].includes(ending) && /(?:ые|ие|ое|ее)$/.test(next.word)) return false;
  return agreeing.test(next.word);
}
