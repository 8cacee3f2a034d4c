/**
 * Russian text → tokens → features. Uses two small submodules of `natural` (the Russian aggressive
 * tokenizer and the Russian Porter stemmer) and never `natural` itself: its index loads ~160 MB of
 * WordNet, sentiment lexicons and database drivers and prints a banner.
 */
import { createRequire } from 'node:module';

// natural is CommonJS without typings for its submodules; createRequire keeps the import explicit and typed here.
const require = createRequire(import.meta.url);
const RussianTokenizer = require('natural/lib/natural/tokenizers/aggressive_tokenizer_ru.js') as new () => {
  tokenize(text: string): string[];
};
const russianStemmer = require('natural/lib/natural/stemmers/porter_stemmer_ru.js') as { stem(token: string): string };

const tokenizer = new RussianTokenizer();

// ---------------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------------

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ',
  quot: '"',
  amp: '&',
  lt: '<',
  gt: '>',
  apos: "'",
  laquo: '«',
  raquo: '»',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  bdquo: '„',
  ldquo: '“',
  rdquo: '”',
  shy: '',
  numero: '№',
};

function decodeEntity(entity: string, body: string): string {
  if (body.startsWith('#')) {
    const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    // An out-of-range or surrogate code point would throw in fromCodePoint: treat it as a space.
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
      ? String.fromCodePoint(code)
      : ' ';
  }
  return NAMED_ENTITIES[body.toLowerCase()] ?? (entity.length > 2 ? ' ' : entity);
}

/**
 * HTML tags and entities out, `[скрыто]` masks out; case, «ё», punctuation and line breaks kept (the
 * gazetteer reads capitals and sentence breaks from it).
 */
export function stripMarkup(raw: string): string {
  return (
    raw
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<\/?[a-z!][^>]*>/gi, ' ')
      .replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});?/gi, (entity, body: string) => decodeEntity(entity, body))
      // The SPb portal masked personal data as «[скрыто]»; the mask says nothing about the topic.
      .replace(/\[\s*скрыт[оа]?\s*\]/gi, ' ')
  );
}

/** HTML tags and entities out, `[скрыто]` masks out, lower case, ё → е, whitespace collapsed. */
export function normalizeText(raw: string): string {
  return stripMarkup(raw).toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/**
 * Function words only. «не» and «нет» stay: «нет воды» and «не горит» are the point of the message;
 * greetings and thanks stay too, they are what tells a non-problem apart.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'а в во вот все всё вы да для до его ее её ей же за и из или им их к как ко ли мне мы на над нам нас ' +
    'о об обо он она они оно от по под при про с со так там то тут у уже чем что это эта эти этот этого ' +
    'я бы был была были было быть есть еще ещё который которая которые которого либо ни но сам свой ' +
    'себя себе также тоже чтобы ведь мой моя мое наш наша наши ваш ваша ваши меня вас вам '
  )
    .trim()
    .split(/\s+/),
);

// Stemming is the slowest step; messages repeat words a lot, so a bounded cache pays off.
const STEM_CACHE_LIMIT = 200_000;
const stemCache = new Map<string, string>();

/** Porter stem of one lower-case token (cached). */
export function stem(token: string): string {
  let result = stemCache.get(token);
  if (result === undefined) {
    result = russianStemmer.stem(token);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(token, result);
  }
  return result;
}

/** Normalised, tokenised, stop words and bare numbers dropped, stemmed. */
export function tokenize(raw: string): string[] {
  const out: string[] = [];
  for (const token of tokenizer.tokenize(normalizeText(raw))) {
    // House and flat numbers («дом 28») identify a place, not a topic.
    if (STOP_WORDS.has(token) || /^\d+$/.test(token)) continue;
    out.push(stem(token));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Features
// ---------------------------------------------------------------------------------------------

/** Which features a text yields; stored in the model so prediction featurises exactly as training did. */
export interface FeatureOptions {
  /** Adjacent stem pairs, "a b". */
  bigrams: boolean;
  /** Character n-grams of each stem padded with spaces, e.g. [3, 5]; null for none. */
  charNgrams: readonly [number, number] | null;
}

/**
 * Stems, stem bigrams and character 4-grams of the stems: on the SPb benchmark split char 4-grams add
 * about +0.010 macro-F1 (0.8573 → 0.8678; with C=5 and class weights ^0.4, 0.8727), at 1.8 M non-zeros
 * instead of 0.5 M (docs/development/benchmarks.md).
 */
export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { bigrams: true, charNgrams: [4, 4] };

/** The feature strings of one text (with repeats: the vectoriser counts them). */
export function extractFeatures(raw: string, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): string[] {
  const stems = tokenize(raw);
  const features = stems.slice();
  if (options.bigrams) {
    for (let i = 1; i < stems.length; i++) features.push(`${stems[i - 1]} ${stems[i]}`);
  }
  if (options.charNgrams) {
    const [min, max] = options.charNgrams;
    for (const s of stems) {
      const padded = ` ${s} `;
      for (let n = min; n <= max; n++) {
        for (let i = 0; i + n <= padded.length; i++) features.push(`#${padded.slice(i, i + n)}`);
      }
    }
  }
  return features;
}
