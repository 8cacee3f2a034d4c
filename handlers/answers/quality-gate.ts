import { normalizeText } from '../../lib/classifier/tokenize.js';

/** Why an answer looks like an «отписка»: a formal reply with no concrete action, date or responsible person. */
export type QualityProblem = 'too_short' | 'stock_phrase' | 'no_specifics';

export interface QualityVerdict {
  ok: boolean;
  problems: QualityProblem[];
  /** The stock phrases found, for the warning shown to the official. */
  stockPhrases: string[];
}

export interface QualityRules {
  minLength: number;
  stockPhrases: readonly string[];
}

export const DEFAULT_QUALITY_RULES: QualityRules = {
  minLength: 60,
  stockPhrases: [
    'принята к сведению',
    'принято к сведению',
    'будет рассмотрено в установленном порядке',
    'рассмотрено в установленном порядке',
    'в рамках компетенции',
    'направлено по принадлежности',
    'в порядке очередности',
    'по мере финансирования',
    'при наличии финансирования',
    'ваше обращение рассмотрено',
    'информация принята',
  ],
};

// JavaScript's \b knows only Latin letters; these guards mark the edges of Russian words.
const B = '(?<![а-яa-z0-9])';
const E = '(?![а-я])';
// A date or a term: «до 15.12», «15 декабря», «в понедельник», «завтра», «в течение 3 дней», «к концу недели».
const DATE = new RegExp(
  [
    `${B}\\d{1,2}[./]\\d{1,2}([./]\\d{2,4})?${E}`,
    `${B}\\d{1,2}\\s+(январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр)`,
    `${B}(сегодня|завтра|послезавтра|понедельник|вторник|сред[ау]|четверг|пятниц|суббот|воскресень)`,
    `в течение\\s+\\d+`,
    `${B}до\\s+конца${E}`,
    `к концу (недели|месяца)`,
    `${B}\\d{1,2}:\\d{2}${E}`,
  ].join('|'),
);
// A concrete action done or scheduled («в установленном порядке» is not one).
const ACTION = new RegExp(
  `${B}(выполнен|выполнил|устранен|устранил|отремонтир|заменен|заменил|вывез|убран[аоы]?${E}|очищен|восстановлен|установлен[аоы]?${E}|заасфальтир|запланирован|включен|подключен|откачан|направлен[аы]? бригад|выехал|проведен|произведен|организован|заделан)`,
);
// A responsible person, unit or a way to reach them.
const RESPONSIBLE = new RegExp(
  [
    `(\\+7|${B}8)[\\s(-]*\\d{3,4}[\\s)-]*\\d{2,3}[\\s-]*\\d{2}[\\s-]*\\d{2}`,
    `${B}[а-я]+(ов|ев|ин)[а]?\\s+[а-я]\\.\\s*[а-я]\\.`,
    `${B}ответственн`,
    `${B}мастер`,
    `${B}бригад`,
    `${B}(муп|ооо|ао|пао)${E}`,
    `${B}комитет`,
    `${B}подрядчик`,
    `${B}управляющ(ая|ей) компани`,
    `${B}региональн(ым|ый) оператор`,
  ].join('|'),
);

/**
 * Checks a reply before it goes to a citizen. Not a verdict on the official: a warning they can act
 * on (and, per config, a reason to hold the answer for an operator's approval).
 */
export function checkAnswer(text: string, rules: QualityRules = DEFAULT_QUALITY_RULES): QualityVerdict {
  const normalized = normalizeText(text);
  const problems: QualityProblem[] = [];
  if (normalized.length < rules.minLength) problems.push('too_short');
  const stockPhrases = rules.stockPhrases.filter((p) => normalized.includes(p));
  if (stockPhrases.length > 0) problems.push('stock_phrase');
  if (!DATE.test(normalized) && !ACTION.test(normalized) && !RESPONSIBLE.test(normalized)) problems.push('no_specifics');
  return { ok: problems.length === 0, problems, stockPhrases };
}
