import { normalizeText, stem, stripMarkup } from '../../lib/classifier/tokenize.js';

export interface Token {
  /** Lower-case surface form, ё → е. */
  word: string;
  stem: string;
}

/** Every word and number of a text, in order (no stop words removed: «на», «в», «ул» matter here). */
export function wordsOf(text: string): Token[] {
  const words = normalizeText(text).match(/[a-zа-я0-9]+/gi) ?? [];
  return words.map((word) => ({ word, stem: /^\d+$/.test(word) ? word : stem(word) }));
}

/** How a word of wordsOf() was written: what only the original text shows. */
export interface WordShape {
  /** Begins with a capital and is not all capitals: «Поток», not «поток» or «ПОТОК» (all capitals say nothing). */
  capital: boolean;
  /** Begins with a capital, all capitals included («ПОТОК»). */
  initial: boolean;
  /** The text's first word, or the first after «.», «!», «?», «…» or a line break. */
  sentenceStart: boolean;
  /** The text's first word, or one after punctuation (a hyphen inside a word such as «из-за» is none). */
  afterBreak: boolean;
  /** A full stop right after it: an abbreviation («с. Лебяжье», «п. Южный») or a sentence's end. */
  dotted: boolean;
}

/**
 * The shape of each of the text's `count` words (wordsOf(text).length), in order; null when the words
 * of the original text cannot be lined up with them (then nothing may be read from the writing).
 */
export function shapesOf(text: string, count: number): WordShape[] | null {
  const clean = stripMarkup(text);
  const shapes: WordShape[] = [];
  let end = 0;
  for (const m of clean.matchAll(/[a-zа-яё0-9]+/gi)) {
    const gap = clean.slice(end, m.index);
    const first = shapes.length === 0;
    shapes.push({
      capital: /^[A-ZА-ЯЁ]/.test(m[0]) && /[a-zа-яё]/.test(m[0]),
      initial: /^[A-ZА-ЯЁ]/.test(m[0]),
      sentenceStart: first || /[.!?…\n]/.test(gap),
      afterBreak: first || (gap !== '-' && /[^\s]/.test(gap)),
      dotted: clean[m.index + m[0].length] === '.',
    });
    end = m.index + m[0].length;
  }
  return shapes.length === count ? shapes : null;
}

/** The words of a fixed phrase (a place name, a keyword) for matching against wordsOf(). */
export function phraseOf(phrase: string): Token[] {
  return wordsOf(phrase);
}

/** Stems of a fixed phrase, e.g. to tell its word forms apart from each other. */
export function stemsOf(phrase: string): string[] {
  return wordsOf(phrase).map((t) => t.stem);
}

/** Index of each occurrence of `needle` (a phrase's words, in order) in `tokens`. */
export function findSequence(tokens: readonly Token[], needle: readonly Token[]): number[] {
  const hits: number[] = [];
  if (needle.length === 0) return hits;
  outer: for (let i = 0; i + needle.length <= tokens.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      const token = tokens[i + j];
      const word = needle[j];
      if (!token || !word || !sameWord(token, word)) continue outer;
    }
    hits.push(i);
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Same word, other form
// ---------------------------------------------------------------------------------------------

/**
 * Inflectional endings of Russian nouns, adjectives, participles and verbs (after ё → е). A word
 * form is a base plus one of these (or nothing), or plus a verb ending and a reflexive «ся»/«сь».
 * Derivational suffixes (-ок, -ник, -ость, -ение…) are deliberately absent: they make another word.
 */
const ENDINGS: ReadonlySet<string> = new Set([
  '',
  // nouns
  ...['а', 'я', 'у', 'ю', 'ы', 'и', 'е', 'о', 'ь', 'й', 'ом', 'ем', 'ой', 'ей', 'ою', 'ею', 'ью'],
  ...['ам', 'ям', 'ами', 'ями', 'ах', 'ях', 'ов', 'ев', 'ий', 'ия', 'ие', 'ии', 'ию', 'ием'],
  // adjectives and participles (long and short forms)
  ...['ый', 'ая', 'яя', 'ое', 'ее', 'ые', 'ого', 'его', 'ому', 'ему', 'ым', 'им', 'ых', 'их'],
  ...['ую', 'юю', 'ыми', 'ими'],
  // verbs: infinitive, past, present/future, imperative
  ...['ть', 'ти', 'ить', 'ать', 'ять', 'еть', 'ыть', 'л', 'ла', 'ло', 'ли', 'ил', 'ила', 'ило', 'или'],
  ...['ал', 'ала', 'ало', 'али', 'ял', 'яла', 'яло', 'яли', 'ел', 'ела', 'ело', 'ели'],
  ...['ет', 'ит', 'ат', 'ят', 'ут', 'ют', 'ешь', 'ишь', 'ете', 'ите', 'йте'],
]);

/** The shortest base two forms of one word may share; shorter only when their stems agree too. */
const MIN_BASE = 3;

/** Verb endings a reflexive «ся»/«сь» may follow («паркуются», «обрушилась», «подписывайтесь»). */
const BEFORE_REFLEXIVE: ReadonlySet<string> = new Set([
  ...['ть', 'ти', 'л', 'ла', 'ло', 'ли', 'ил', 'ила', 'ило', 'или', 'ал', 'ала', 'ало', 'али'],
  ...['ял', 'яла', 'яло', 'яли', 'ел', 'ела', 'ело', 'ели', 'ить', 'ать', 'ять', 'еть', 'ыть'],
  ...['ет', 'ит', 'ат', 'ят', 'ут', 'ют', 'ешь', 'ишь', 'ете', 'ите', 'ем', 'им', 'ю', 'у', 'й', 'йте'],
]);

/**
 * A participle of the verb: its suffix (упа-вш-ее, оборва-нн-ые, убра-н, посыпа-н-ы, разби-т-ый)
 * and then an adjective's or a short form's ending. Counted only when the stemmer, which strips
 * participle suffixes, gives both forms one stem: «упало» / «упавшее», «не убран» / «не убранный».
 */
const PARTICIPLE =
  /^[иаяе]?(вш|ющ|ущ|ащ|ящ|нн|н|т)(ый|ий|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ых|их|ую|юю|ыми|ими|ой|ей|ом|ем|а|о|ы|)$/;

function isEnding(rest: string, sameStem: boolean): boolean {
  if (ENDINGS.has(rest)) return true;
  if (sameStem && PARTICIPLE.test(rest)) return true;
  const reflexive = /^(.*)(ся|сь)$/.exec(rest);
  return reflexive !== null && BEFORE_REFLEXIVE.has(reflexive[1] ?? '');
}

/**
 * The word and its form without the fleeting vowel: «городок» → «городк» (as in «городке»),
 * «ларек» → «ларьк» (as in «ларька»), «сосулек» → «сосульк» (as in «сосулька»).
 */
function variants(word: string): string[] {
  const m = /^(.*[бвгджзклмнпрстфхцчшщ])([ое])([бвгджзклмнпрстфхцчшщ])$/.exec(word);
  if (!m) return [word];
  const [, head, vowel, last] = m as unknown as [string, string, string, string];
  return vowel === 'е' ? [word, head + last, `${head}ь${last}`] : [word, head + last];
}

/**
 * Whether a token of the text is a form of a phrase's word: both continue one base with an
 * inflectional ending (ENDINGS, or nothing; a participle's suffix and ending when the stemmer
 * gives both the same stem). The base has at least MIN_BASE letters, or two when the stemmer
 * gives both the same stem («ям» / «яма»). So «наледи» is «наледь» (налед + и / ь),
 * but «налево» is not (нале + во), nor «затопило» «Затон» (зато + пило / н). The stemmer alone is
 * not trusted: it cuts «запах» to «зап» (like «запись») and «батарея» to «батаре» but «батареи» to
 * «батар». Numbers and words shorter than the base must be equal.
 */
export function sameWord(token: Token, word: Token): boolean {
  if (token.word === word.word) return true;
  // Cheap rejections first: this runs for every token against every phrase word. A fleeting
  // vowel never drops the first letter, and no ending (with a participle suffix) is this long.
  if (token.word[0] !== word.word[0] || Math.abs(token.word.length - word.word.length) > 7) return false;
  if (/^\d/.test(token.word) || /^\d/.test(word.word)) return false;
  const sameStem = token.stem === word.stem;
  const minBase = sameStem ? 2 : MIN_BASE;
  for (const a of variants(token.word)) {
    for (const b of variants(word.word)) {
      let common = 0;
      while (common < a.length && common < b.length && a[common] === b[common]) common++;
      // Any split at or before the common prefix: «затопит» / «затопило» share «затопи», but the
      // forms are «затоп-ит» / «затоп-ило».
      for (let base = common; base >= minBase; base--) {
        if (isEnding(a.slice(base), sameStem) && isEnding(b.slice(base), sameStem)) return true;
      }
    }
  }
  return false;
}
