import type { PhraseSet } from './phrases.js';
import { type Token, wordsOf } from './text.js';

/**
 * Intent before discard: is a message a problem, or only thanks, a greeting, an acknowledgement or an
 * advert? A message opens no case only when nothing in it looks like a problem, so gratitude next to a
 * complaint is a complaint, and when the rules are unsure the message opens a case (0 problems lost).
 *
 * The rules, in order:
 * 1. problem: a category keyword, or a problem marker (negation «нет/не/без …», «сломан/течёт/яма/мусор…»,
 *    «опять», a duration «третий день», a question, a request «прошу/помогите», an address with a
 *    complaint verb, «спасибо, но …»);
 * 2. advert: a selling call («купите, подпишись, промокод, заработок…», a structuring.notProblem.spam
 *    phrase), or two of link / price / phone, or a bare link — it beats a guess of the model, not a rule;
 * 3. problem: the model's best category at least MODEL_PROBLEM and above its not_a_problem score;
 * 4. thanks: a thanks phrase and at most THANKS_CONTENT words besides greetings and politeness (or the
 *    model sure of not_a_problem); greeting or acknowledgement: nothing at all besides them, or at most
 *    12 words the model is MODEL_NOT_A_PROBLEM sure are not a problem;
 * 5. anything else opens a case ("unclear"), also a message with no words (a photo without a caption).
 */

export type IntentVerdict = 'problem' | 'unclear' | 'thanks' | 'greeting' | 'acknowledgement' | 'advert';

export interface IntentDecision {
  verdict: IntentVerdict;
  /** Why, for operators: «thanks_only», «advert: link+price», «marker: не горит», «unclear: no words». */
  reason: string;
  /** What intake does with it: thanks (positive feedback), spam (no case, ask for details), null (a case). */
  notProblem: 'thanks' | 'spam' | null;
}

export interface IntentEvidence {
  text: string;
  /** The category keyword found in the text, if any. */
  keyword: string | null;
  prediction: { label: string; confidence: number; top: readonly { label: string; confidence: number }[] } | null;
}

/** Thresholds, chosen on the default model: flat (unknown) texts score ≈0.1 for every category. */
export const MODEL_PROBLEM = 0.35;
export const THANKS_CONTENT = 3;
/**
 * How sure the model must be that a thankful message with more than THANKS_CONTENT other words is
 * only thanks. High on purpose: with the calibrated model (temperature 0.8) polite problems reached
 * 0.73–0.86 on the Barnaul evaluation set, and a discarded problem is the worse error.
 */
const MODEL_THANKS = 0.9;
const MODEL_NOT_A_PROBLEM = 0.8;
const NOT_A_PROBLEM = 'not_a_problem';

/** A word list written as one string, split on whitespace. */
function words(list: string): string[] {
  return list.trim().split(/\s+/);
}

// ---- signals in the raw text --------------------------------------------------------------------

const LINK = /(?:https?:\/\/|www\.)[^\s]+|\b(?:t\.me|vk\.cc|vk\.com|bit\.ly|clck\.ru|goo\.gl|tinyurl\.com|wa\.me)\/[^\s]*/gi;
const PHONE = /(?:\+7|\b8)[\s(-]{0,2}\d{3}[\s)-]{0,2}\d{3}[\s-]?\d{2}[\s-]?\d{2}\b/;
const PRICE = /\d\s?(?:₽|руб|р\.|rub\b|\$|€|%)|(?:₽|\$|€)\s?\d/i;

/** Selling calls, matched as word beginnings («подпиш» — подпишись, подпишитесь); «=» marks a whole word. */
const CALLS = words(`
  купите покупайте закажи заказывайте =продам =продаю куплю сдам сдаю подпиш подписыв =переходи =переходите жми кликай
  =заработок =заработка =заработком заработай =доход =дохода =доходом промокод акция скидк распродаж кредит =займ =займы микрозайм казино букмекер вебинар
  инвестиц недорого дешево личку =директ =звоните розыгрыш =выиграй buy subscribe discount promo casino earn
`);

// ---- word classes (surface forms, lower-case, ё → е) --------------------------------------------

const GRATITUDE = new Set(
  words(`
  спасибо спс спасиб благодарю благодарим благодарность благодарности благодарна благодарен благодарны признательна признателен
  признательны респект thanks thank thx
`),
);
const GREETING = new Set(
  words(`
  здравствуйте здравствуй здрасьте привет приветствую добрый доброе доброго добрая доброй день утро вечер вечера
  дня ночи времени суток хорошего хорошей праздником новым годом рождеством днем города победы хороших выходных поздравляю поздравляем hello hi
`),
);
/** Praise without a thanks word («Отличная работа, двор преобразился») counts as thanks. */
const PRAISE = new Set(
  words(`
  отличная отлично прекрасная прекрасно замечательно замечательная здорово молодцы молодец ура
`),
);
const ACKNOWLEDGEMENT = new Set(
  words(`
  ок ok окей okay хорошо понятно ясно принято ладно угу да нет тест проверка связи
`),
);
const POLITE = new Set(
  words(`
  заранее пожалуйста большое огромное искренне сердечно душевно уважаемые уважаемый уважаемая дорогие дорогой друзья всех
  всем барнаул барнаула барнаульцы жители хорошая работа работу вашу ваш вашей
`),
);
const STOP = new Set(
  words(`
  и а в во на за с со к ко по о об от
  до из у для при что чтобы как так это все вот же ли
  бы уж еще ещё уже я мы вы ты он она они мне нам
  вам вас нас тебе вами нами его ее их мой моя наш наша ваши
  наши очень тоже том то ну
`),
);

// ---- problem markers ----------------------------------------------------------------------------

/** Problem words (beginnings; «=» a whole word): broken, leaking, holes, rubbish, dirt, danger, requests, questions. */
const PROBLEM_STEMS = words(`
  слома разбит разруш течет текут течь протек потек подтек затоп топит залива прорва прорыв недовол
  авари оборван поврежд несоблюд нарушен яма ямы ямк =ям =яме =яму =ямой =ямах =ямами выбоин мусор свалк грязь грязн вонь воня вонищ
  холодн сосульк гололед =лужа =лужи =луж провал трещин опасн угроз жалоб неисправ невозможно нельзя надоел
  безобраз ужас кошмар надпис объявлени граффити =убрать =уберите =починить =почините =отремонтировать =отремонтируйте =устранить =устраните =заменить =замените
  =покрасить =восстановить =восстановите =вывезти =вывезите =очистить =почистить помогите просьба прошу просим =требую =требуем разберитесь обращаюсь подскажите опять снова
  почему зачем когда куда =где broken help hole garbage
`);
const SERVICE_AFTER_WITHOUT = /^(?:вод|свет|тепл|отоплен|газ|электр|связ|горяч|холодн|лифт|интернет)/;
const DURATION = /^(?:дн|день|дня|дней|недел|месяц|сутк|год)/;
const ORDINAL = /^(?:\d+|второ|трет|четверт|пят|шест|котор|цел|вс)/;
const STREET_WORD = /^(?:ул|улица|улице|пр|проспект|пер|переулок|тракт|д|дом|доме|кв|подъезд|подъезде|двор|дворе|мкр)$/;
const COMPLAINT_VERB = /^(?:стоит|стоят|лежит|лежат|валя|вис|торч|бежит|сыпл|руш|пада|воня|шум|мешает|горит|горят)/;

interface Signals {
  links: number;
  phone: boolean;
  price: boolean;
  call: string | null;
}

/** Builds the judge once from the domain file's structuring.notProblem phrases. */
export function createIntentJudge(phrases: { thanks: PhraseSet; spam: PhraseSet }): (e: IntentEvidence) => IntentDecision {
  return (evidence) => judgeIntent(evidence, phrases);
}

function judgeIntent(evidence: IntentEvidence, phrases: { thanks: PhraseSet; spam: PhraseSet }): IntentDecision {
  const { text, keyword, prediction } = evidence;
  const links = text.match(LINK) ?? [];
  const tokens = wordsOf(text.replace(LINK, ' '));
  const signals: Signals = {
    links: links.length,
    phone: PHONE.test(text),
    price: PRICE.test(text),
    call: phrases.spam.firstIn(tokens) ?? findCall(tokens),
  };

  if (keyword) return problem(`keyword: ${keyword}`);
  const marker = findMarker(tokens, text);
  if (marker) return problem(`marker: ${marker}`);

  const advert = advertReason(signals, tokens.length);
  if (advert) return { verdict: 'advert', reason: advert, notProblem: 'spam' };

  const best = prediction?.top.find((t) => t.label !== NOT_A_PROBLEM) ?? null;
  const nap = prediction?.top.find((t) => t.label === NOT_A_PROBLEM)?.confidence ?? 0;
  if (best && best.confidence >= MODEL_PROBLEM && best.confidence > nap)
    return problem(`model: ${best.label} ${best.confidence.toFixed(2)}`);

  if (tokens.length === 0) return unclear('unclear: no words (emoji, or a photo without a caption)');
  if (signals.phone && tokens.every((t) => /^\d+$/.test(t.word))) return unclear('unclear: a phone number only');
  const content = tokens.filter((t) => isContent(t.word)).length;
  const napSure = prediction?.label === NOT_A_PROBLEM ? prediction.confidence : 0;
  const thanked = tokens.some((t) => GRATITUDE.has(t.word) || PRAISE.has(t.word)) || phrases.thanks.firstIn(tokens) !== null;
  if (thanked && content <= THANKS_CONTENT) return notProblem('thanks', 'thanks', 'thanks_only');
  if (thanked && napSure >= MODEL_THANKS && tokens.length <= 25)
    return notProblem('thanks', 'thanks', `thanks_only: model not_a_problem ${napSure.toFixed(2)}`);
  if (content === 0 && tokens.some((t) => GREETING.has(t.word))) return notProblem('greeting', 'spam', 'greeting_only');
  if (content === 0 && tokens.some((t) => ACKNOWLEDGEMENT.has(t.word)))
    return notProblem('acknowledgement', 'spam', 'acknowledgement_only');
  if (napSure >= MODEL_NOT_A_PROBLEM && tokens.length <= 12)
    return notProblem('greeting', 'spam', `model: not_a_problem ${napSure.toFixed(2)}`);
  return unclear(thanked ? `unclear: thanks with ${content} other words` : 'unclear: no rule decides');
}

function problem(reason: string): IntentDecision {
  return { verdict: 'problem', reason, notProblem: null };
}

function unclear(reason: string): IntentDecision {
  return { verdict: 'unclear', reason, notProblem: null };
}

function notProblem(verdict: IntentVerdict, kind: 'thanks' | 'spam', reason: string): IntentDecision {
  return { verdict, reason, notProblem: kind };
}

function isContent(word: string): boolean {
  return !(
    GRATITUDE.has(word) ||
    PRAISE.has(word) ||
    GREETING.has(word) ||
    ACKNOWLEDGEMENT.has(word) ||
    POLITE.has(word) ||
    STOP.has(word)
  );
}

function findCall(tokens: readonly Token[]): string | null {
  for (const t of tokens) for (const call of CALLS) if (matchesEntry(t.word, call)) return t.word;
  return null;
}

/** A word-list entry matches a word it begins, or exactly the word after «=» («=ям» is not «ямщик»). */
function matchesEntry(word: string, entry: string): boolean {
  return entry.startsWith('=') ? word === entry.slice(1) : word.startsWith(entry);
}

/** «advert: call+link» when the selling signals make an advert; null otherwise. */
function advertReason(s: Signals, words: number): string | null {
  const kinds = [s.call ? 'call' : '', s.links > 0 ? 'link' : '', s.price ? 'price' : '', s.phone ? 'phone' : ''].filter(Boolean);
  if (s.call) return `advert: ${kinds.join('+')} (${s.call})`;
  if (kinds.length >= 2) return `advert: ${kinds.join('+')}`;
  if (s.links > 0 && words === 0) return 'advert: link only';
  return null;
}

/** The first problem marker in the message, quoted, or null. */
function findMarker(tokens: readonly Token[], text: string): string | null {
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]?.word ?? '';
    const next = tokens[i + 1]?.word ?? '';
    if ((word === 'нет' || word === 'не') && next && !isPoliteness(next)) return `${word} ${next}`;
    if (word === 'без' && SERVICE_AFTER_WITHOUT.test(next)) return `без ${next}`;
    if (word === 'примите' && (next === 'меры' || next === 'в')) return `примите ${next}`;
    if (word === 'но' && tokens.slice(0, i).some((t) => GRATITUDE.has(t.word))) return 'спасибо, но';
    if (word === 'no' && next) return `no ${next}`;
    if (word === 'not' && next) return `not ${next}`;
    if (ORDINAL.test(word) && DURATION.test(next)) return `${word} ${next}`;
    if (word === 'уже' && DURATION.test(next)) return `уже ${next}`;
    if (PROBLEM_STEMS.some((s) => matchesEntry(word, s))) return word;
    // An address (a street word, or a name with a house number) with a complaint verb nearby.
    if (STREET_WORD.test(word) || /^\d+[а-я]?$/.test(next)) {
      const verb = tokens.slice(i, i + 6).find((t) => COMPLAINT_VERB.test(t.word));
      if (verb) return `address+verb: ${word} … ${verb.word}`;
    }
    if (word.length >= 16) {
      const glued = gluedMarker(word);
      if (glued) return glued;
    }
  }
  // A question wants an answer: «…?» with a word that is neither a greeting nor politeness.
  if (text.includes('?') && tokens.some((t) => isContent(t.word))) return 'question';
  return null;
}

function isPoliteness(word: string): boolean {
  // «не за что», «нет, спасибо», «уже не нужно»: a refusal or a reply, not a complaint.
  return GRATITUDE.has(word) || POLITE.has(word) || ['за', 'что', 'нужно', 'надо'].includes(word);
}

/** Words written without spaces («нетводынаЛенина5»): a leading negation or a problem word inside. */
function gluedMarker(word: string): string | null {
  if (/^(?:нет|не|без)[а-я]{3}/.test(word)) return `glued: ${word}`;
  const inside = PROBLEM_STEMS.some((s) => !s.startsWith('=') && s.length >= 4 && word.includes(s));
  return inside ? `glued: ${word}` : null;
}
