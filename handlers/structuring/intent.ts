import { type AdvertSignals, askByRules, type RuleAsk } from './intent-ask.js';
import { complainsToTheCity, complaintBesideThanks, sureAdvert } from './intent-sure.js';
import {
  ACKNOWLEDGEMENT,
  ADVERT_TALK,
  ASKS_MORE,
  CALLS,
  COMPLAINT_VERB,
  DURATION,
  findDone,
  GREETING,
  isContent,
  isGratitude,
  LINK,
  matchesEntry,
  OFFER_PHRASE,
  OFFERS,
  ORDINAL,
  PHONE,
  PLAIN_CALLS,
  POLITE,
  PRESENCE,
  PRICE,
  PROBLEM_STEMS,
  SERVICE_AFTER_WITHOUT,
  STREET_WORD,
  TOPIC_STEMS,
  thanks,
} from './intent-words.js';
import type { PhraseSet } from './phrases.js';
import { type Token, wordsOf } from './text.js';

/**
 * Intent before discard: is a message a problem, or only thanks, a greeting, an acknowledgement or an
 * advert? A message opens no case only when nothing in it looks like a problem, so gratitude next to a
 * complaint is a complaint, and when the rules are unsure the message opens a case (0 problems lost).
 *
 * The rules, in order:
 * 1. problem: a strong problem marker (negation «нет/не/без …», «сломан/течёт/яма/мусор…», «опять», a
 *    request «прошу/помогите», a question word, «спасибо, но …»);
 * 2. advert: an offer that is sure of itself — a selling call («недорого, звоните, купите, подпишись,
 *    промокод, грузоперевозки…», a structuring.notProblem.spam phrase) with a second call, a link, a
 *    price or a phone — with no word to the city or of a complaint («наконец», «УК», «просрочка»), when
 *    the intent model does not lean to a problem; else nothing but an advert (intent-sure.ts: a selling
 *    or promotion call such as «купите», «голосуйте», «от производителя» with a price, a link, a phone or
 *    a promotion, and no complaint content at all), whatever the intent model says. Both beat a category
 *    keyword («Уборка снега трактором, недорого, тел …», «Детские площадки от производителя, каталог на
 *    сайте»);
 * 3. problem: a category keyword, or a weak marker (a duration «третий день», a question mark, an address
 *    with a complaint verb, words glued without spaces);
 * 4. advert: a single selling call, or two of link / price / phone, or a bare link;
 * 5. thanks for work done: gratitude, a verb of work done («починили, убрали, дали») and nothing that
 *    asks for more («но», «а», «ещё», «бы», «только»…) — it beats a guess of the model, which sees the
 *    topic of the work («горячую воду дали раньше срока» looks like hot water);
 * 6. problem: the model's best category at least MODEL_PROBLEM and above its not_a_problem score;
 * 7. thanks: a thanks phrase and at most THANKS_CONTENT words besides greetings and politeness (or the
 *    model sure of not_a_problem); greeting, a check that someone is there («Алло, есть кто?») or an
 *    acknowledgement: nothing at all besides them, or at most 12 words the model is MODEL_NOT_A_PROBLEM
 *    sure are not a problem;
 * 8. nothing but courtesy («Пожалуйста)», «Хорошо, ладно») is an acknowledgement;
 * 9. anything else opens a case ("unclear"), also a message with no words (a photo without a caption).
 *
 * A message that opens a case is then asked about in a private chat («Это обращение?», see `ask`) when
 * the rules see what it is despite a problem word (intent-ask.ts: thanks for work done, an offer, a
 * question about the service), or when the intent model leans to not-a-problem (ASK_LEANS) — but not
 * when the rules see a complaint beside thanks («Спасибо, но яму так и не заделали», intent-sure.ts).
 * Asking loses nothing: no answer in time opens the case.
 */

export type IntentVerdict = 'problem' | 'unclear' | 'thanks' | 'greeting' | 'acknowledgement' | 'advert';

export interface IntentDecision {
  verdict: IntentVerdict;
  /** Why, for operators: «thanks_only», «advert: link+price», «marker: не горит», «unclear: no words». */
  reason: string;
  /** What intake does with it: thanks (positive feedback), spam (no case, ask for details), null (a case). */
  notProblem: 'thanks' | 'spam' | null;
  /**
   * A case by the rules, but it may well be thanks or chatter: no category keyword decided and the intent
   * model gives not-a-problem at least ASK_LEANS (without an intent model: no rule decides). A private chat
   * asks the citizen «Это обращение?» before a case opens (what it would be if not: thanks or spam); a
   * public thread cannot ask and opens the case. null when nothing needs asking.
   */
  ask: 'thanks' | 'spam' | null;
}

export interface IntentEvidence {
  text: string;
  /** The category keyword found in the text, if any. */
  keyword: string | null;
  prediction: { label: string; confidence: number; top: readonly { label: string; confidence: number }[] } | null;
  /** The intent model's probability that the text is not a problem (null without one). */
  notProblemScore?: number | null;
  /**
   * Whether some words hold one of the season's urgent phrases (assess.ts); absent or null when the
   * message is not urgent. Something urgent is not held back by a question, unless the urgent words are
   * what was fixed («свет дали через два часа после аварии») or what an offer offers.
   */
  urgentIn?: ((tokens: readonly Token[]) => boolean) | null;
  /** Whether the text names a place (a district, settlement or street the gazetteer knows): an address. */
  place?: boolean;
}

/** Thresholds, chosen on the default model: flat (unknown) texts score ≈0.1 for every category. */
export const MODEL_PROBLEM = 0.35;
export const THANKS_CONTENT = 3;
const MODEL_NOT_A_PROBLEM = 0.8;
/**
 * How sure the (calibrated) model must be that a message with no complaint word and no category
 * keyword is not a problem, to beat a weak marker (a question, a topic word, a duration, an address).
 */
export const MODEL_NOT_A_PROBLEM_SURE = 0.9;
/** How sure the intent model must be to beat a category keyword too (an advert or thanks naming a topic). */
export const INTENT_BEATS_KEYWORD = 0.95;
/** Below this intent-model score no rule discards a message (rules and model must agree). */
export const INTENT_LEANS = 0.5;
/**
 * From this intent-model score a message the rules call a problem (without a category keyword) is
 * confirmed with the citizen in a private chat. Chosen on evaluation sets 1–3 (docs/structuring-eval.md):
 * with ASK_LEANS_UNCLEAR it asks 11 of 301, 7 of 319 and 5 of 40 of their problems, and leaves 0, 0 and 6
 * non-problems opening a case without asking.
 */
export const ASK_LEANS = 0.3;
/**
 * The same for a message no rule decides («unclear»): a lower lean is enough, a near-zero one is not
 * («gas smell возле школы, срочно проверьте» scores 0.03 and opens a case at once). Chosen on sets 1–3
 * with ASK_LEANS: 0.05 and 0.1 ask the same there; 0.1 asks less.
 */
export const ASK_LEANS_UNCLEAR = 0.1;
const NOT_A_PROBLEM = 'not_a_problem';

interface Signals extends AdvertSignals {
  links: number;
  phone: boolean;
  price: boolean;
  call: string | null;
  /** How many words are selling calls. */
  calls: number;
}

/** What the rules read from a message once: its words (links cut out), advert signals, thanks. */
interface Facts {
  tokens: Token[];
  signals: Signals;
  /** A complaint about adverts («расклеили рекламу …»): a quoted offer is not itself an advert. */
  aboutAdverts: boolean;
  thanked: boolean;
  asksMore: boolean;
}

function factsOf(text: string, thanksPhrases: PhraseSet, spamPhrases: PhraseSet): Facts {
  const links = text.match(LINK) ?? [];
  const tokens = wordsOf(text.replace(LINK, ' '));
  const callWords = tokens.filter((t) => CALLS.some((c) => matchesEntry(t.word, c))).map((t) => t.word);
  const plainCalls = callWords.filter((w) => PLAIN_CALLS.some((c) => matchesEntry(w, c))).length;
  const offerWords = tokens.filter((t) => OFFERS.some((c) => matchesEntry(t.word, c))).map((t) => t.word);
  const offerPhrase = text.match(OFFER_PHRASE)?.[0] ?? null;
  const signals: Signals = {
    links: links.length,
    phone: PHONE.test(text),
    price: PRICE.test(text),
    call: spamPhrases.firstIn(tokens) ?? callWords[0] ?? null,
    calls: callWords.length,
    plainCalls,
    offer: offerPhrase ?? offerWords[0] ?? null,
    offers: offerWords.length + (offerPhrase ? 1 : 0),
  };
  return {
    tokens,
    signals,
    aboutAdverts: tokens.some((t) => ADVERT_TALK.some((s) => t.word.startsWith(s))),
    thanked: thanks(tokens, thanksPhrases),
    asksMore: tokens.some((t) => ASKS_MORE.has(t.word)),
  };
}

/** Builds the judge once from the domain file's structuring.notProblem phrases. */
export function createIntentJudge(phrases: { thanks: PhraseSet; spam: PhraseSet }): (e: IntentEvidence) => IntentDecision {
  return (evidence) => judgeIntent(evidence, phrases);
}

function judgeIntent(evidence: IntentEvidence, phrases: { thanks: PhraseSet; spam: PhraseSet }): IntentDecision {
  const facts = factsOf(evidence.text, phrases.thanks, phrases.spam);
  const decision = judgeByRules(evidence, phrases, facts);
  if (decision.notProblem !== null) return decision;
  const urgentIn = evidence.urgentIn ?? null;
  const urgent = urgentIn?.(facts.tokens) ?? false;
  const byRules: RuleAsk | null = askByRules({
    text: evidence.text,
    ...facts,
    keyword: evidence.keyword,
    categoryConfidence: evidence.prediction?.top.find((t) => t.label !== NOT_A_PROBLEM)?.confidence ?? 0,
    notProblemScore: evidence.notProblemScore ?? null,
    urgentIn,
    thanksPhrases: phrases.thanks,
  });
  if (byRules) return { ...decision, reason: `${decision.reason}; ask: ${byRules.why}`, ask: byRules.kind };
  if (urgent || decision.reason.startsWith('keyword:')) return decision;
  // Thanks with a complaint beside them («Спасибо, но яму так и не заделали»): the rules know it is a
  // complaint, so the intent model's lean (pulled by the thanks) asks nothing.
  if (facts.thanked && complaintBesideThanks(facts.tokens)) return decision;
  const score = evidence.notProblemScore ?? null;
  // With the intent model, its lean decides (an unclear «gas smell …, срочно» at 0.03 is not asked);
  // without it, only what no rule decides is asked.
  const leans =
    score === null ? decision.verdict === 'unclear' : score >= (decision.verdict === 'unclear' ? ASK_LEANS_UNCLEAR : ASK_LEANS);
  if (!leans) return decision;
  return { ...decision, ask: thanks(wordsOf(evidence.text), phrases.thanks) ? 'thanks' : 'spam' };
}

function judgeByRules(evidence: IntentEvidence, phrases: { thanks: PhraseSet; spam: PhraseSet }, facts: Facts): IntentDecision {
  const { text, keyword, prediction } = evidence;
  const { tokens, signals, aboutAdverts, thanked, asksMore } = facts;

  const marker = findMarker(tokens, text);
  if (marker?.strong) return problem(keyword ? `keyword: ${keyword}` : `marker: ${marker.text}`);
  // No rule discards what the intent model leans to call a problem (when there is one): rules and model
  // must agree before a message opens no case — except an advert and nothing else (intent-sure.ts).
  const intentScore = evidence.notProblemScore ?? null;
  // (Nothing but greetings and politeness has nothing to lose.)
  const mayDiscard = intentScore === null || intentScore >= INTENT_LEANS || tokens.every((t) => !isContent(t.word));
  // Words to the city or of a complaint («наконец», «УК», «просрочка», «отключили») make no advert.
  const advert = aboutAdverts || !mayDiscard || complainsToTheCity(tokens) ? null : advertReason(signals, tokens.length);
  if (advert?.sure) return { verdict: 'advert', reason: advert.reason, notProblem: 'spam', ask: null };
  // Nothing but an advert is spam by the rules alone, also when the intent model leans to a problem.
  const offer = sureAdvert({
    text,
    tokens,
    marked: marker !== null,
    place: evidence.place ?? false,
    urgent: evidence.urgentIn?.(tokens) ?? false,
    spamPhrase: phrases.spam.firstIn(tokens),
  });
  if (offer) return { verdict: 'advert', reason: offer, notProblem: 'spam', ask: null };

  const content = tokens.filter((t) => isContent(t.word)).length;
  const throughout = thanked && !asksMore && tokens.length <= 40 ? thanksThroughout(text, phrases.thanks) : null;
  if (throughout && mayDiscard && (!marker || marker.topic))
    return notProblem('thanks', 'thanks', throughout.done ? `thanks_for_work_done: ${throughout.done}` : 'thanks_only');
  const napScore = intentScore ?? (prediction?.label === NOT_A_PROBLEM ? prediction.confidence : 0);
  if (keyword && !(intentScore !== null && napScore >= INTENT_BEATS_KEYWORD && !asksMore)) return problem(`keyword: ${keyword}`);
  // The model sure it is not a problem beats a weak marker (a question mark, a topic word): «Это бот?»,
  // «Бурение скважин, подбор насосов». Not thanks with something else in them («Спасибо за тепло, в
  // квартире +16»), nor anything that asks for more. Its kind: thanks when thankful, else spam.
  const who = intentScore !== null ? 'intent model' : 'model';
  if (napScore >= MODEL_NOT_A_PROBLEM_SURE && !asksMore && !aboutAdverts && (!thanked || throughout)) {
    const why = `${who}: not_a_problem ${napScore.toFixed(2)}`;
    if (thanked) return notProblem('thanks', 'thanks', `thanks_only: ${who} not_a_problem ${napScore.toFixed(2)}`);
    if (advert || signals.links + Number(signals.phone) + Number(signals.price) > 0)
      return notProblem('advert', 'spam', `advert: ${why}`);
    return notProblem('greeting', 'spam', why);
  }
  if (marker) return problem(`marker: ${marker.text}`);

  const best = prediction?.top.find((t) => t.label !== NOT_A_PROBLEM) ?? null;
  const nap = prediction?.top.find((t) => t.label === NOT_A_PROBLEM)?.confidence ?? 0;
  // Courtesy alone names no problem, whatever the model guesses from «Пожалуйста)».
  if (best && content > 0 && best.confidence >= MODEL_PROBLEM && best.confidence > nap)
    return problem(`model: ${best.label} ${best.confidence.toFixed(2)}`);
  if (advert) return { verdict: 'advert', reason: advert.reason, notProblem: 'spam', ask: null };
  if (!mayDiscard) return unclear(`unclear: the intent model leans to a problem (${napScore.toFixed(2)})`);

  if (tokens.length === 0) return unclear('unclear: no words (emoji, or a photo without a caption)');
  if (signals.phone && tokens.every((t) => /^\d+$/.test(t.word))) return unclear('unclear: a phone number only');
  const napSure = prediction?.label === NOT_A_PROBLEM ? prediction.confidence : 0;
  if (thanked && content <= THANKS_CONTENT) return notProblem('thanks', 'thanks', 'thanks_only');
  if (content === 0 && tokens.some((t) => GREETING.has(t.word) || PRESENCE.has(t.word)))
    return notProblem('greeting', 'spam', 'greeting_only');
  if (content === 0 && tokens.some((t) => ACKNOWLEDGEMENT.has(t.word)))
    return notProblem('acknowledgement', 'spam', 'acknowledgement_only');
  if (content === 0 && tokens.some((t) => POLITE.has(t.word))) return notProblem('acknowledgement', 'spam', 'courtesy_only');
  if (napSure >= MODEL_NOT_A_PROBLEM && tokens.length <= 12 && (!thanked || throughout))
    return notProblem('greeting', 'spam', `model: not_a_problem ${napSure.toFixed(2)}`);
  return unclear(thanked ? `unclear: thanks with ${content} other words` : 'unclear: no rule decides');
}

function problem(reason: string): IntentDecision {
  return { verdict: 'problem', reason, notProblem: null, ask: null };
}

function unclear(reason: string): IntentDecision {
  return { verdict: 'unclear', reason, notProblem: null, ask: null };
}

function notProblem(verdict: IntentVerdict, kind: 'thanks' | 'spam', reason: string): IntentDecision {
  return { verdict, reason, notProblem: kind, ask: null };
}

/**
 * «advert: call+link» when the selling signals make an advert, null otherwise; `sure` when a selling
 * call comes with a second call, a link, a price or a phone (then it beats a category keyword).
 */
function advertReason(s: Signals, words: number): { reason: string; sure: boolean } | null {
  const kinds = [s.call ? 'call' : '', s.links > 0 ? 'link' : '', s.price ? 'price' : '', s.phone ? 'phone' : ''].filter(Boolean);
  if (s.call) return { reason: `advert: ${kinds.join('+')} (${s.call})`, sure: kinds.length >= 2 || s.calls >= 2 };
  if (kinds.length >= 2) return { reason: `advert: ${kinds.join('+')}`, sure: false };
  if (s.links > 0 && words === 0) return { reason: 'advert: link only', sure: false };
  return null;
}

/**
 * Thanks from beginning to end: every clause (split at , . ! ? ; and line breaks) thanks or praises,
 * says what was done, or is only courtesy — «Мусор вывезли, всё чисто, благодарность сотрудникам».
 * A clause that only names something («…, в подъезде сосульки») makes it not thanks. The first word of
 * work done is returned, if any.
 */
function thanksThroughout(text: string, thanksPhrases: PhraseSet): { done: string | null } | null {
  let done: string | null = null;
  for (const clause of text.replace(LINK, ' ').split(/[.,!?;:\n…()—–]+|\s-\s/)) {
    const tokens = wordsOf(clause);
    if (tokens.every((t) => !isContent(t.word))) continue;
    const thankful = thanks(tokens, thanksPhrases);
    const did = findDone(tokens);
    if (!thankful && !did) return null;
    done ??= did;
  }
  return { done };
}

/**
 * The first strong problem marker in the message (negation, a problem word, a request, «спасибо, но»),
 * else the first weak one (a duration, an address with a complaint verb, glued words, a question), or null.
 */
function findMarker(tokens: readonly Token[], text: string): { text: string; strong: boolean; topic: boolean } | null {
  let weak: { text: string; strong: boolean; topic: boolean } | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]?.word ?? '';
    const next = tokens[i + 1]?.word ?? '';
    const strong = strongMarker(tokens, i, word, next);
    if (strong) return { text: strong, strong: true, topic: false };
    if (!weak || weak.topic) {
      const other = weakMarker(tokens, i, word, next);
      if (other) weak = { text: other, strong: false, topic: false };
      else if (!weak && TOPIC_STEMS.some((s) => matchesEntry(word, s))) weak = { text: word, strong: false, topic: true };
    }
  }
  // A question wants an answer: «…?» with a word that is neither a greeting nor politeness.
  if ((!weak || weak.topic) && text.includes('?') && tokens.some((t) => isContent(t.word)))
    weak = { text: 'question', strong: false, topic: false };
  return weak;
}

function strongMarker(tokens: readonly Token[], i: number, word: string, next: string): string | null {
  if ((word === 'нет' || word === 'не') && next && !isPoliteness(next)) return `${word} ${next}`;
  if (word === 'без' && SERVICE_AFTER_WITHOUT.test(next)) return `без ${next}`;
  if (word === 'примите' && (next === 'меры' || next === 'в')) return `примите ${next}`;
  if (word === 'но' && tokens.slice(0, i).some((t) => isGratitude(t.word))) return 'спасибо, но';
  if (word === 'no' && next) return `no ${next}`;
  if (word === 'not' && next) return `not ${next}`;
  if (PROBLEM_STEMS.some((s) => matchesEntry(word, s))) return word;
  return null;
}

function weakMarker(tokens: readonly Token[], i: number, word: string, next: string): string | null {
  // «третий день», «2 недели» last; «за 1 день» is how long a job takes («Натяжные потолки за 1 день»).
  if (ORDINAL.test(word) && DURATION.test(next) && tokens[i - 1]?.word !== 'за') return `${word} ${next}`;
  if (word === 'уже' && DURATION.test(next)) return `уже ${next}`;
  // An address (a street word, or a name with a house number) with a complaint verb nearby.
  if (STREET_WORD.test(word) || /^\d+[а-я]?$/.test(next)) {
    const verb = tokens.slice(i, i + 6).find((t) => COMPLAINT_VERB.test(t.word));
    if (verb) return `address+verb: ${word} … ${verb.word}`;
  }
  return word.length >= 16 ? gluedMarker(word) : null;
}

function isPoliteness(word: string): boolean {
  // «не за что», «нет, спасибо», «уже не нужно»: a refusal or a reply, not a complaint.
  return isGratitude(word) || POLITE.has(word) || ['за', 'что', 'нужно', 'надо'].includes(word);
}

/** Words written without spaces («нетводынаЛенина5»): a leading negation or a problem word inside. */
function gluedMarker(word: string): string | null {
  if (/^(?:нет|не|без)[а-я]{3}/.test(word)) return `glued: ${word}`;
  const inside = [...PROBLEM_STEMS, ...TOPIC_STEMS].some((s) => !s.startsWith('=') && s.length >= 4 && word.includes(s));
  return inside ? `glued: ${word}` : null;
}

/**
 * The text without the courtesy around a problem: leading clauses of only greetings and politeness
 * («Здравствуйте!», «Добрый день, уважаемая администрация») and trailing ones of only politeness or that
 * begin with thanks («Заранее спасибо за ответ», «Благодарю»). The model scores what is left, so
 * «Здравствуйте! … Заранее спасибо» is not pulled towards not_a_problem by its politeness. The whole
 * text when nothing (or nothing but courtesy) would be left.
 */
export function withoutCourtesy(text: string): string {
  const clauses = text.split(/(?<=[.!?;,\n…)]+)/);
  const words = clauses.map((c) => wordsOf(c).map((t) => t.word));
  const courtesy = (w: readonly string[]) => w.every((x) => !isContent(x));
  const thanks = (w: readonly string[]) => {
    const first = w[0] === 'заранее' || w[0] === 'еще' ? w[1] : w[0];
    return first !== undefined && (isGratitude(first) || first === 'заранее');
  };
  let from = 0;
  let to = clauses.length;
  while (from < to && courtesy(words[from] ?? [])) from++;
  while (to > from && (courtesy(words[to - 1] ?? []) || thanks(words[to - 1] ?? []))) to--;
  if (from === 0 && to === clauses.length) return text;
  const kept = clauses.slice(from, to).join('').trim();
  return kept === '' ? text : kept;
}
