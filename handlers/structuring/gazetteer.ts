import type { DomainConfig } from '../../config/domain.js';
import {
  ADJECTIVE,
  ADJECTIVE_FORMS,
  type AmbiguousName,
  GENDER_OF_ENDING,
  inPlaceContext,
  isStreetWord,
  SHORT_STEM,
  STREET_MARKERS,
} from './place-context.js';
import { findSequence, phraseOf, shapesOf, stemsOf, type Token, wordsOf } from './text.js';

const STREET_PREFIX = /^(ул\.?|улица|пр-т|пр\.|проспект|пер\.?|переулок|б-р|бульвар|проезд|пл\.|площадь)\s+/i;
/** Words that make a place name explicit: «станция Власиха», «Центральный район». */
const PLACE_IN_NAME = /(?:^|\s)(?:район|станция|поселок|посёлок|село|микрорайон|квартал)(?:\s|$)/i;

type EntryKind = 'district' | 'settlement' | 'microdistrict' | 'street' | 'shared street' | 'landmark';

interface Entry {
  district: string;
  kind: EntryKind;
  label: string;
  words: Token[];
  /** For a one-word adjective name («Южный», «ул. Лазурная»), the forms of its own gender; else null. */
  forms: readonly string[] | null;
  /** A name that may be an ordinary word: it counts only in a place's context (place-context.ts); else null. */
  ambiguous: AmbiguousName | null;
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
    const adjective = words.length === 1 ? adjectiveOf(words[0]?.word ?? '') : null;
    const ambiguous = kind === 'street' || kind === 'shared street' ? null : ambiguity(words, text, adjective);
    entries.push({ district, kind, label, words, forms: adjective?.forms ?? null, ambiguous });
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
  const shapes = shapesOf(text, tokens.length);
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
        (!entry.ambiguous || inPlaceContext(tokens, shapes, at, length, entry.ambiguous)),
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
 * Whether a place name may be an ordinary word (see place-context.ts): one word that is an adjective
 * («Южный», «Центральный», «Октябрьский») or has a short stem («Поток», «Затон»), or several words of
 * which the first is an adjective («Научный Городок», «Солнечная поляна»). A name with a place word in it
 * («станция Власиха», «Центральный район») is explicit. null when it is not ambiguous.
 */
function ambiguity(words: readonly Token[], text: string, adjective: AmbiguousName['adjective']): AmbiguousName | null {
  if (PLACE_IN_NAME.test(text)) return null;
  if (words.length > 1) return ADJECTIVE.test(words[0]?.word ?? '') ? { adjective: null, words: words.length } : null;
  if (adjective) return { adjective, words: 1 };
  return (words[0]?.stem.length ?? 0) <= SHORT_STEM ? { adjective: null, words: 1 } : null;
}

/** An adjective's base, the forms of its own gender and the gender: «южн», «южный, южного, …», m. */
function adjectiveOf(word: string): AmbiguousName['adjective'] {
  const m = ADJECTIVE.exec(word);
  const ending = m?.[2] ?? '';
  const base = m?.[1] ?? '';
  const forms = ADJECTIVE_FORMS[ending]?.map((e) => `${base}${e}`);
  const gender = GENDER_OF_ENDING[ending];
  return forms && gender ? { base, forms, gender } : null;
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
