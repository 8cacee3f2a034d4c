import type { DomainConfig } from '../../config/domain.js';
import { normalizeText } from '../../lib/classifier/tokenize.js';
import { findSequence, phraseOf, sameWord, stemsOf, type Token, wordsOf } from './text.js';

/** Words that say "a street follows" (abbreviations included: the tokenizer drops the dots). */
const STREET_MARKERS = new Set([
  'ул',
  'улица',
  'улиц',
  'пр',
  'пр-т',
  'проспект',
  'просп',
  'пер',
  'переулок',
  'переулк',
  'тракт',
  'бульвар',
  'бул',
  'б-р',
  'проезд',
  'шоссе',
  'пл',
  'площад',
  'т',
]);
const STREET_PREFIX = /^(ул\.?|улица|пр-т|пр\.|проспект|пер\.?|переулок|б-р|бульвар|проезд|пл\.|площадь)\s+/i;
/** Street words in full, in any of their forms («на улице», «по проспекту»). */
const STREET_WORDS = phraseOf('улица проспект переулок тракт бульвар проезд шоссе площадь набережная');
const isStreetWord = (t: Token | undefined) => !!t && (STREET_MARKERS.has(t.word) || STREET_WORDS.some((w) => sameWord(t, w)));
type Gender = 'm' | 'n' | 'f';
/** Street words by gender, abbreviations included: an adjective of that gender before one names the street. */
const STREET_WORDS_BY_GENDER: Readonly<Record<Gender, readonly Token[]>> = {
  m: phraseOf('проспект пр т переулок пер тракт проезд бульвар бул'),
  n: phraseOf('шоссе'),
  f: phraseOf('улица ул площадь пл набережная наб аллея'),
};
const GENDER_OF_ENDING: Readonly<Record<string, Gender>> = { ый: 'm', ий: 'm', ой: 'm', ое: 'n', ее: 'n', ая: 'f', яя: 'f' };
/** A one-word place name with a stem this short is usually also a common word («поток», «затон»). */
const SHORT_STEM = 5;
/** Prepositions that put a place name in its place: «в Южном», «на Куете», «из Лесного». */
const PREPOSITIONS = new Set([
  'в',
  'во',
  'на',
  'из',
  'с',
  'со',
  'у',
  'под',
  'около',
  'возле',
  'до',
  'от',
  'к',
  'ко',
  'по',
  'за',
  'через',
]);
/** Abbreviations of «посёлок», «микрорайон», …, compared as written (the tokenizer drops the dots). */
const PLACE_ABBREVIATIONS = new Set(['р', 'пос', 'п', 'пгт', 'с', 'дер', 'ст', 'мкр', 'мкрн', 'кв', 'тос']);
/** Words that say "a place follows" (or precedes: «Южный поселок»), in any of their forms. */
const PLACE_WORDS = phraseOf('район поселок село деревня станция микрорайон квартал');
/** Objects an adjective place name may describe instead: «Центральный рынок», «лесной массив». */
const OBJECT_NOUNS = phraseOf(
  'массив рынок парк сквер сад лес пляж озеро пруд кладбище мост вокзал стадион магазин центр комплекс рощ бор',
);
/** Nominative endings of an adjective → the endings of its own gender's case forms. */
const ADJECTIVE_FORMS: Readonly<Record<string, readonly string[]>> = {
  ый: ['ый', 'ого', 'ому', 'ым', 'ом'],
  ий: ['ий', 'его', 'ему', 'им', 'ем', 'ого', 'ому', 'ом'],
  ой: ['ой', 'ого', 'ому', 'ым', 'ом'],
  ое: ['ое', 'ого', 'ому', 'ым', 'ом'],
  ее: ['ее', 'его', 'ему', 'им', 'ем'],
  ая: ['ая', 'ой', 'ую', 'ою'],
  яя: ['яя', 'ей', 'юю', 'ею'],
};

type EntryKind = 'district' | 'settlement' | 'microdistrict' | 'street' | 'shared street' | 'landmark';

interface Entry {
  district: string;
  kind: EntryKind;
  label: string;
  words: Token[];
  /** A one-word name that is also a common word: it counts only in context (see inContext). */
  needsContext: boolean;
  /** For an adjective-like name («Южный»), the forms of its own gender; null for any other name. */
  forms: string[] | null;
  gender: Gender | null;
}

export interface Gazetteer {
  entries: Entry[];
}

export interface DistrictMatch {
  district: string | null;
  /** Why: which place names matched, or why no district was chosen (ambiguous / nothing found). */
  reason: string;
}

/**
 * Builds the matcher from the domain file: each district's name in every case, its settlements,
 * microdistricts, streets that lie wholly in it and landmarks, all stemmed so «Власиха» also
 * matches «на Власихе» and «Индустриальный район» matches «в Индустриальном районе».
 */
export function buildGazetteer(domain: DomainConfig): Gazetteer {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  const addFor = (district: string, kind: EntryKind, label: string, text = label) => {
    const words = phraseOf(text);
    // The six case forms stem alike: keep one entry per distinct stem sequence. A street is kept
    // apart from a place of the same stem («ул. Лазурная», «Лазурный»): they match differently.
    const key = `${district}|${kind.endsWith('street')}|${stemsOf(text).join(' ')}`;
    if (words.length === 0 || seen.has(key)) return;
    seen.add(key);
    const [only] = words.length === 1 ? words : [];
    const adjective = only ? /^(.*[^аеиоуыэюя])(ый|ий|ой|ое|ее|ая|яя)$/.exec(only.word) : null;
    const forms = adjective ? (ADJECTIVE_FORMS[adjective[2] ?? '']?.map((e) => `${adjective[1]}${e}`) ?? null) : null;
    const needsContext = kind !== 'street' && kind !== 'shared street' && !!only && (only.stem.length <= SHORT_STEM || !!forms);
    const gender = adjective ? (GENDER_OF_ENDING[adjective[2] ?? ''] ?? null) : null;
    entries.push({ district, kind, label, words, needsContext, forms, gender });
  };
  for (const street of domain.structuring?.sharedStreets ?? []) {
    for (const district of street.districts)
      addFor(district, 'shared street', street.name, street.name.replace(STREET_PREFIX, ''));
  }
  for (const d of domain.districts) {
    const add = (kind: EntryKind, label: string, text = label) => addFor(d.id, kind, label, text);
    for (const form of new Set(Object.values(d.forms))) add('district', form);
    // "Индустриальный" alone (without «район») is also common: «в Индустриальном».
    add('district', d.name, d.name.replace(/\s*район$/i, ''));
    for (const s of d.settlements) add('settlement', s);
    for (const m of d.microdistricts) add('microdistrict', m);
    for (const s of d.streets) add('street', s, s.replace(STREET_PREFIX, ''));
    for (const l of d.landmarks ?? []) add('landmark', l);
  }
  return { entries };
}

/**
 * Finds the district a text is about. Never guesses: if the names found point to different
 * districts the answer is null with the reason "ambiguous", and if none is found, "not found".
 * A street counts only next to a street word («ул.», «пр-т», …) or a house number, since many
 * street names are also surnames.
 */
export function findDistrict(gazetteer: Gazetteer, text: string): DistrictMatch {
  const tokens = wordsOf(text);
  // The first word stands alone when punctuation, «и»/«или» or nothing follows: «Южный: …», «Затон и Власиха…».
  const opensAlone = /^[^a-zа-я0-9]*[a-zа-я0-9]+(\s*[^\sa-zа-я0-9]|\s+(и|или)\s|\s*$)/.test(normalizeText(text));
  const strong = new Map<string, string[]>();
  const weak = new Map<string, string[]>();
  for (const entry of gazetteer.entries) {
    // A street shared by several districts is weak evidence: it only narrows nothing on its own.
    const found = entry.kind === 'shared street' ? weak : strong;
    const isStreet = entry.kind === 'street' || entry.kind === 'shared street';
    // «Павловский тракт», «Змеиногорский тракт»: the street word is part of the name itself.
    const selfMarked =
      isStreet &&
      entry.label
        .split(/\s+/)
        .slice(1)
        .some((w) => STREET_MARKERS.has(w.toLowerCase().replace(/\.$/, '')));
    const length = entry.words.length;
    const hits = findSequence(tokens, entry.words).filter(
      (at) =>
        (!isStreet || selfMarked || looksLikeStreet(tokens, at, length)) &&
        (!entry.forms || entry.forms.includes(tokens[at]?.word ?? '')) &&
        (!entry.needsContext || inContext(tokens, at, length, entry.gender, opensAlone)),
    );
    if (hits.length === 0) continue;
    const labels = found.get(entry.district) ?? [];
    if (!labels.includes(`${entry.kind}: ${entry.label}`)) labels.push(`${entry.kind}: ${entry.label}`);
    found.set(entry.district, labels);
  }
  const found = strong.size > 0 ? strong : weak;
  if (found.size === 0)
    return { district: null, reason: 'not found: no district, settlement, microdistrict or known street in the text' };
  if (found.size > 1) {
    const parts = [...found].map(([district, labels]) => `${district} (${labels.join(', ')})`);
    return { district: null, reason: `ambiguous: ${parts.join('; ')}` };
  }
  const [district, labels] = [...found][0] as [string, string[]];
  return { district, reason: labels.join(', ') };
}

/**
 * A place name that is also a common word (one word with a stem of at most SHORT_STEM letters, or
 * an adjective: «Затон», «Поток», «Куета», «Южный», «Центральный») counts only where a place is
 * expected: it opens the message standing alone («Южный: нет света», «Затон и Власиха…», not «Поток
 * машин…»), or a preposition («в», «на», «из», …) or a place word («район», «посёлок», «мкр», …)
 * stands right before it, or a place word right after it. A street word or a house number is not
 * such a context, and for an adjective a street word of its gender right after it rules it out:
 * then it names a street («Ленинский пр., 64», «на Невском проспекте»), not the place.
 */
function inContext(tokens: readonly Token[], at: number, length: number, gender: Gender | null, opensAlone: boolean): boolean {
  const before = tokens[at - 1];
  const after = tokens[at + length];
  if (gender && after && STREET_WORDS_BY_GENDER[gender].some((w) => sameWord(after, w))) return false;
  const isPlaceWord = (t: Token | undefined) => !!t && PLACE_WORDS.some((w) => sameWord(t, w));
  if (isPlaceWord(after)) return true;
  // «посёлок Южный, парк …», «пос. Лесной»: a place word before it names the place whatever follows.
  if (before && (PLACE_ABBREVIATIONS.has(before.word) || isPlaceWord(before))) return true;
  // An adjective before the name of an object describes that object: «в лесном массиве», «на
  // Центральном рынке», «в Южном парке» name no place (never a guess).
  if (gender && after && OBJECT_NOUNS.some((w) => sameWord(after, w))) return false;
  if (!before) return opensAlone;
  return PREPOSITIONS.has(before.word);
}

function looksLikeStreet(tokens: readonly Token[], at: number, length: number): boolean {
  const after = tokens[at + length]?.word ?? '';
  return (
    isStreetWord(tokens[at - 1]) ||
    isStreetWord(tokens[at - 2]) ||
    /^\d+[а-я]?$/.test(after) ||
    (after === 'д' && /^\d/.test(tokens[at + length + 1]?.word ?? ''))
  );
}
