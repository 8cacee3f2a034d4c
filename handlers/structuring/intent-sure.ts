import {
  ADVERT_TALK,
  isGratitude,
  LINK,
  LINK_MENTION,
  matchesEntry,
  PHONE,
  PRICE,
  PROBLEM_STEMS,
  PROMO,
  SALE_CALLS,
  STREET_WORD,
  TO_THE_CITY,
  TOPIC_STEMS,
  undone,
} from './intent-words.js';
import type { Token } from './text.js';

/**
 * What the rules are sure of on their own, whatever the intent model says (intent.ts): an advert that
 * is nothing but an advert is spam, and thanks with a complaint beside them are a complaint.
 */

export interface SureAdvertFacts {
  text: string;
  /** The words, links cut out. */
  tokens: readonly Token[];
  /** Whether the intent rules found any problem marker, strong or weak (a question, a duration, a topic word). */
  marked: boolean;
  /** Whether the text names a place the gazetteer knows (a district, settlement or street). */
  place: boolean;
  /** Whether some words hold an urgent phrase. */
  urgent: boolean;
  /** A structuring.notProblem.spam phrase found in the text, if any. */
  spamPhrase: string | null;
}

/**
 * An advert by what it is: a selling or promotion call (SALE_CALLS, an offer phrase such as «от
 * производителя», «под ключ») and at least one more signal — a price, a link or a link named in words
 * («ссылка в профиле», «на сайте»), a phone, a promotion («скидка», «акция», «бесплатный замер») — and no
 * complaint content at all: no problem marker (no problem word, negation, request, question, duration or
 * topic word such as «яма»), no address, no urgent phrase, no word to the city or its managers
 * («администрация», «УК», «уже», «наконец»), no word of a complaint about selling («просрочка»,
 * «обман»), no thanks, and not a complaint about adverts. Returns the
 * reason («spam_offer: call+price (купите)»), or null. «Купите VPN за 99 рублей», «Голосуйте за наш проект
 * по ссылке …», «Детские площадки от производителя, каталог на сайте» are spam even when the intent model
 * leans to a problem; «Купите уже нормальные автобусы, билет 50 рублей» is not decided here.
 */
export function sureAdvert(f: SureAdvertFacts): string | null {
  const { text, tokens } = f;
  const call =
    tokens.find((t) => SALE_CALLS.some((c) => matchesEntry(t.word, c)))?.word ?? text.match(OFFER_PHRASE_LIKE)?.[0] ?? null;
  if (!call) return null;
  const signals = [
    PRICE.test(text) ? 'price' : '',
    (text.match(LINK)?.length ?? 0) > 0 || LINK_MENTION.test(text) ? 'link' : '',
    PHONE.test(text) ? 'phone' : '',
    PROMO.test(text) || f.spamPhrase ? 'promo' : '',
  ].filter(Boolean);
  if (signals.length === 0) return null;
  if (f.marked || f.place || f.urgent || text.includes('?')) return null;
  const complaint = tokens.some(
    (t) =>
      isGratitude(t.word) ||
      [ADVERT_TALK, PROBLEM_STEMS, TOPIC_STEMS].some((list) => list.some((e) => matchesEntry(t.word, e))) ||
      STREET_WORD.test(t.word),
  );
  if (complaint || complainsToTheCity(tokens)) return null;
  return `spam_offer: call+${signals.join('+')} (${call.toLowerCase().replace(/\s+/g, ' ')})`;
}

/**
 * What a complaint says and an advert does not (beginnings), beyond the problem words of the intent
 * rules: a complaint about selling («Покупайте только в проверенных местах, на рынке продают просрочку»
 * warns, it does not sell) or an outage («Свет отключили, звоните в РЭС …»).
 */
const COMPLAINT_WORDS = `просроч обман мошен отрав некачеств бракован незакон самовол нелегал штраф претенз отключ`.split(' ');

/**
 * Words to the city (its authorities and managers, impatience: TO_THE_CITY) or of a complaint
 * (COMPLAINT_WORDS): no rule calls such a message an advert («Закажите наконец новые контейнеры»).
 */
export function complainsToTheCity(tokens: readonly Token[]): boolean {
  return tokens.some((t) => [TO_THE_CITY, COMPLAINT_WORDS].some((list) => list.some((e) => matchesEntry(t.word, e))));
}

/** Offer phrases that are a seller's own words: «от производителя», «под ключ», «любой сложности», «24/7». */
const OFFER_PHRASE_LIKE = /от\s+производител\p{L}*|под\s+ключ|любой\s+сложности|\b24\s?\/\s?7\b/iu;

/**
 * Words after which thanks turn into a complaint: «Спасибо, но …», «Благодарю, однако …». Not «а»: a
 * thanks letter tells the story with it («…, а не отписалась», «А в итоге сделали асфальт»).
 */
const TURNS = new Set(['но', 'однако']);

/**
 * A complaint beside thanks: work not done («яму так и не заделали», «не сделали», «фонари не горят»),
 * something still missing («до сих пор нет», «так и не», «всё ещё нет», «по-прежнему»), or after «но»
 * («однако») a problem word, a topic word or a negation that is not a polite refusal
 * («Спасибо, но не нужно»). Then the rules know it is a complaint and no one is asked «Это обращение?».
 * Returns what showed it, or null.
 */
export function complaintBesideThanks(tokens: readonly Token[]): string | null {
  if (undone(tokens)) return 'work not done';
  const words = tokens.map((t) => t.word);
  for (let i = 0; i < words.length; i++) {
    const [a, b, c] = [words[i], words[i + 1], words[i + 2]];
    if (a === 'так' && b === 'и' && (c === 'не' || c === 'нет')) return 'так и не';
    if (a === 'до' && b === 'сих' && c === 'пор') return 'до сих пор';
    if ((a === 'все' || a === 'всё') && b === 'еще' && (c === 'не' || c === 'нет')) return 'всё ещё не';
    if (a === 'по' && b === 'прежнему') return 'по-прежнему';
  }
  const turn = words.findIndex((w) => TURNS.has(w));
  if (turn < 0) return null;
  const rest = tokens.slice(turn + 1);
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]?.word ?? '';
    const next = rest[i + 1]?.word ?? '';
    if ((word === 'не' || word === 'нет') && next && !POLITE_AFTER_NEGATION.has(next) && !isGratitude(next))
      return `${words[turn]} … ${word} ${next}`;
    if ([PROBLEM_STEMS, TOPIC_STEMS].some((list) => list.some((e) => matchesEntry(word, e)))) return `${words[turn]} … ${word}`;
  }
  return null;
}

/** «…, но не нужно», «а не за что»: a polite refusal or reply, not a complaint. */
const POLITE_AFTER_NEGATION = new Set(['за', 'что', 'нужно', 'надо', 'стоит', 'обязательно']);
