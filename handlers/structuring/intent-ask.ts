import {
  DURATION,
  findDone,
  isGratitude,
  matchesEntry,
  PRAISE_OF_PEOPLE,
  PRAISE_OF_WORK,
  PROBLEM_STEMS,
  QUESTION_WORDS,
  REQUEST,
  SERVICE,
  TOPIC_STEMS,
  thanks,
  undone,
} from './intent-words.js';
import type { PhraseSet } from './phrases.js';
import { type Token, wordsOf } from './text.js';

/**
 * «Это обращение?» asked by the rules. A message the rules call a problem because of a problem word or a
 * category keyword may still say plainly what it is: thanks for something fixed («свет дали через два
 * часа после аварии», «люк закрыли, теперь никто не провалится»), an offer of a service («Сантехник 24/7:
 * устраню засор, прорыв трубы»), a question about the service itself («а фото можно прикрепить?»).
 * Then a private chat asks the citizen before a case opens, whatever the intent model says: a question
 * loses nothing (no answer in time opens the case), and a discard could lose an appeal, so these rules
 * never discard. What still makes it a plain case: a request, a recurrence or a why («прошу», «опять»,
 * «почему»), «но/а/ещё» after thanks, a question mark after thanks.
 */

/** An offer's signals, read by intent.ts: its first offer word or phrase, and how many. */
export interface AdvertSignals {
  links: number;
  phone: boolean;
  price: boolean;
  call: string | null;
  calls: number;
  /** How many of the calls a complaint uses too (PLAIN_CALLS). */
  plainCalls: number;
  offer: string | null;
  offers: number;
}

export interface AskFacts {
  text: string;
  /** The words, links cut out. */
  tokens: readonly Token[];
  signals: AdvertSignals;
  aboutAdverts: boolean;
  thanked: boolean;
  asksMore: boolean;
  keyword: string | null;
  /** The category model's confidence in its best category (0 without a model). */
  categoryConfidence: number;
  notProblemScore: number | null;
  /** Whether some words hold an urgent phrase; null when the message is not urgent. */
  urgentIn: ((tokens: readonly Token[]) => boolean) | null;
  thanksPhrases: PhraseSet;
}

export interface RuleAsk {
  kind: 'thanks' | 'spam';
  /** For operators: «thanks for work done (дали)», «offer: call+phone», «about the service (фото)». */
  why: string;
}

/** A single selling or offer word is an offer when the intent model leans to not-a-problem this much. */
export const OFFER_LEANS = 0.5;

/** The question the rules ask, or null when the message is a plain case. */
export function askByRules(f: AskFacts): RuleAsk | null {
  return thanksForWorkDone(f) ?? offer(f) ?? aboutService(f);
}

const requests = (tokens: readonly Token[]) => tokens.some((t) => REQUEST.some((r) => matchesEntry(t.word, r)));
const questions = (tokens: readonly Token[]) => tokens.some((t) => QUESTION_WORDS.has(t.word));

/**
 * Thanks that say what was done («починили», «дали», «устраняли»), with no request, no question, nothing
 * that asks for more, nothing that lasts («третий день») and no work not done («так и не горят»): a
 * negation or an emergency in them is the fixed past («ничего не задели», «после аварии», «теперь не
 * боимся»), not a new problem. Urgent words count as fixed only in a clause that thanks or says what was
 * done.
 */
function thanksForWorkDone(f: AskFacts): RuleAsk | null {
  // «помогла разобраться, куда писать» tells, «подскажите, куда…» asks.
  const asks = f.text.includes('?') || f.tokens.some((t) => t.word === 'подскажите' || t.word === 'подскажете');
  if (!thankful(f) || f.asksMore || asks || requests(f.tokens)) return null;
  // A state («ходит», «горит») says work is done only in a short message: «работник регулярно ходит …».
  const done = findDone(f.tokens, f.tokens.length <= SHORT_WORDS);
  if (!done || lasting(f.tokens) || undone(f.tokens)) return null;
  const { urgentIn } = f;
  if (urgentIn?.(f.tokens)) {
    const fixedOnly = clausesOf(f.text).every((c) => !urgentIn(c) || thanks(c, f.thanksPhrases) || findDone(c) !== null);
    if (!fixedOnly) return null;
  }
  return { kind: 'thanks', why: `thanks for work done (${done})` };
}

/**
 * An offer: two kinds of advert signal (a selling call, an offer word, a link, a price, a phone) or two
 * selling and offer words — also when a problem word or a keyword is among what it offers («спил
 * деревьев», «прорыв трубы»); or one selling or offer word that the intent model takes for not a
 * problem (OFFER_LEANS). Not a complaint about adverts, nor a message that asks for something («Помогите
 * разобраться», «Куда обжаловать?»: «дохода», «500 рублей» are then its facts). Only an offer of two
 * signals stands against urgent words (a real emergency does not come with «24/7, договор»).
 */
function offer(f: AskFacts): RuleAsk | null {
  if (f.aboutAdverts || requests(f.tokens) || questions(f.tokens)) return null;
  const s = f.signals;
  const calls = s.calls - s.plainCalls;
  const kinds = [
    calls > 0 ? 'call' : '',
    s.offer ? 'offer' : '',
    s.links > 0 ? 'link' : '',
    s.price ? 'price' : '',
    s.phone ? 'phone' : '',
  ].filter(Boolean);
  const words = calls + s.offers;
  // An offer's own word is needed: a price, a phone and a link alone are in complaints too.
  if (words === 0) return null;
  const sure = kinds.length >= 2 || words >= 2;
  const leans = (f.notProblemScore ?? 0) >= OFFER_LEANS;
  if (!sure && !(leans && !f.urgentIn?.(f.tokens))) return null;
  return { kind: 'spam', why: `offer: ${kinds.join('+')} (${s.offer ?? s.call})` };
}

/** How sure the category model must be of a category for a message to be about it, not about the service. */
export const SERVICE_TOPIC = 0.9;

/** A short message: praise of the work alone thanks, and a state («горит») says the work is done. */
const SHORT_WORDS = 12;

/**
 * Thanks proper: a thanks word or phrase, praise of the people («молодцы»), or in a short message praise
 * of the work («быстро вы»). «Прекрасная дорожка» or «быстро» in a long complaint thanks nobody.
 */
function thankful(f: AskFacts): boolean {
  if (f.tokens.some((t) => isGratitude(t.word) || PRAISE_OF_PEOPLE.has(t.word))) return true;
  if (f.thanksPhrases.firstIn(f.tokens) !== null) return true;
  return f.tokens.length <= SHORT_WORDS && f.tokens.some((t) => PRAISE_OF_WORK.has(t.word));
}

/** The longest remark about the service without a question mark («Вы мне вчера ответили, я прочитала»). */
const SERVICE_REMARK_WORDS = 8;

/** Something that lasts: «третий день», «вторую неделю», «уже месяц». */
function lasting(tokens: readonly Token[]): boolean {
  return tokens.some(
    (t, i) =>
      (/^(?:второ|втору|трет|четверт|пят|шест|цел)/.test(t.word) && DURATION.test(tokens[i + 1]?.word ?? '')) ||
      (t.word === 'уже' && DURATION.test(tokens[i + 1]?.word ?? '')),
  );
}

/**
 * About the service itself — the bot, the chat, an appeal and its answer, a photo, anonymity — with no
 * category keyword, no topic word, no negation, no request and no other problem word, and no category
 * the model is SERVICE_TOPIC sure of («фото прикладываю» to rusty water is hot water): «а фото можно
 * прикрепить?», «моё прошлое обращение дошло?», «Вы мне вчера ответили, я прочитала». «Кто отвечает
 * за …» asks who is responsible for a problem: a case. Never when urgent.
 */
function aboutService(f: AskFacts): RuleAsk | null {
  if (f.keyword || f.categoryConfidence >= SERVICE_TOPIC || f.urgentIn?.(f.tokens)) return null;
  // A statement that names a photo or an answer is mostly a report («как на фото», «основываясь на
  // ответе»): only a question or a short remark is about the service.
  if (!f.text.includes('?') && f.tokens.length > SERVICE_REMARK_WORDS) return null;
  const service = f.tokens.find((t) => SERVICE.some((s) => matchesEntry(t.word, s)));
  if (!service) return null;
  const words = f.tokens.map((t) => t.word);
  if (words.includes('кто') && words.includes('за')) return null;
  for (const word of words) {
    if (word === 'не' || word === 'нет' || word === 'без' || word === 'ни') return null;
    // A question about the service may ask «когда ответите?», «куда нажимать?».
    if (QUESTION_WORDS.has(word)) continue;
    if ([TOPIC_STEMS, REQUEST, PROBLEM_STEMS].some((list) => list.some((s) => matchesEntry(word, s)))) return null;
  }
  return { kind: f.thanked ? 'thanks' : 'spam', why: `about the service (${service.word})` };
}

/** The clauses of a text (split at , . ! ? ; : and line breaks), as words. */
function clausesOf(text: string): Token[][] {
  return text
    .split(/[.,!?;:\n…()—–]+|\s-\s/)
    .map((c) => wordsOf(c))
    .filter((c) => c.length > 0);
}
