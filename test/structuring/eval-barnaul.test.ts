import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVAL_AT, evaluateStructuring, parseEvalSet, type StructuringEvaluation } from '../../handlers/structuring/evaluate.js';
import { loadEvalStructurer } from '../../src/structuring/eval-structurer.js';

/*
 * Eight sets of Barnaul-style messages, each written independently of the model's own training examples
 * (see docs/structuring-eval.md for how, and which were seen while the rules were tuned):
 *   1 eval-barnaul.jsonl    337: every category ≥ 10, 36 not-a-problem — the development set;
 *   2 eval-barnaul-2.jsonl  361: every category 11, 42 not-a-problem;
 *   3 eval-barnaul-3.jsonl  120: hard not-a-problem cases and problems that look like them;
 *   4 eval-barnaul-4.jsonl  259: a realistic day, 102 not-a-problem — written after the model and rules
 *                                were final (first round), never tuned on;
 *   5 eval-barnaul-5.jsonl  244: a realistic week, 96 not-a-problem — written after the second round,
 *                                never tuned on (its `other` misses were read: not a fair check for `other`);
 *   6 eval-barnaul-6.jsonl  346: every category ≥ 9 (`other` 14), 67 not-a-problem — written blind from the
 *                                category list after the third round, measured once with that round's model;
 *   7 eval-barnaul-7.jsonl  357: every category ≥ 10 (`other` 14), 50 not-a-problem — written blind from the
 *                                category list after the fourth round, measured once with the model below;
 *   8 eval-barnaul-8.jsonl  440: every category 11–12, 94 not-a-problem (31 thanks, 21 greetings, 26 adverts,
 *                                16 questions about the service) — written blind from the domain file alone
 *                                while the sixth round was built, measured once after it.
 * All eight are development data now (their misses were read). Measured with `npm run eval:structuring --
 * <set>` (models default-2026-12-06 of the sixth round, unchanged since; seventh round: ambiguous place
 * names count only in a place's context, place-context.ts; nothing but an advert is spam by the rules
 * alone and thanks with a complaint beside them are not asked, intent-sure.ts).
 * «opened»: not-a-problem that opens a case without asking; «asked»: a private chat asks «Это обращение?»
 * first (the not-a-problem it catches / the problems it costs one tap) — see ASK_LEANS in intent.ts:
 *        strict acc  macro-F1  triage  top-taken  districts right/labelled, not found, guesses  discarded  opened     asked nap / problems
 *   1    0.837       0.884     0.113   0.910      52/53, 1, 0                                  0          0 of 36    3 / 9 of 301
 *   2    0.875       0.909     0.078   0.925      50/63, 13, 0                                 0          0 of 42    4 / 4 of 319
 *   3    0.925       0.943     0.075   0.975      —                                            0          0 of 80    33 / 2 of 40
 *   4    0.879       0.907     0.070   0.917      34/48, 14, 0                                 0          1 of 102   46 / 2 of 157
 *   5    0.858       0.896     0.088   0.899      46/63, 17, 0                                 0          1 of 96    36 / 1 of 148
 *   6    0.824       0.880     0.129   0.889      45/62, 17, 0                                 0          1 of 67    29 / 3 of 279
 *   7    0.837       0.879     0.094   0.889      47/67, 20, 0                                 0          2 of 50    21 / 3 of 307
 *   8    0.850       0.883     0.084   0.890      182/247, 65, 0                               0          8 of 94    38 / 4 of 346
 *   9    0.873       0.899     0.069   0.922      138/177, 39, 0                               0          10 of 104  41 / 5 of 332
 * (Before «Это обращение?», not-a-problem opening a case was 4, 3, 33, 46 and 35. An asked message
 * opens a case when nobody answers, and a public thread cannot ask: so «opened» is the floor, reached
 * only when citizens answer, and «opened + asked» the ceiling.)
 * Floors: today's figures, rates −0.02 (the triage share of set 6 capped at the goal, 0.15), counts as
 * today. Raise them when a change improves the figures.
 */
interface Floor {
  file: string;
  strictAccuracy: number;
  strictMacroF1: number;
  triageTopAccuracy: number;
  maxTriageShare: number;
  /** The lowest per-label F1 allowed (sets with at least 10 problems per category). */
  minLabelF1: number | null;
  districtsRight: number;
  maxMissedDistricts: number;
  maxUnlabelledGuesses: number;
  maxDiscardedProblems: number;
  maxOpenedNotProblems: number;
  /** Problems a private chat confirms with «Это обращение?» (one more tap; nothing lost). */
  maxAskedProblems: number;
}

const FLOORS: Floor[] = [
  {
    file: 'eval-barnaul.jsonl',
    strictAccuracy: 0.814,
    strictMacroF1: 0.862,
    triageTopAccuracy: 0.887,
    maxTriageShare: 0.136,
    minLabelF1: 0.6,
    districtsRight: 52,
    maxMissedDistricts: 1,
    maxUnlabelledGuesses: 0,
    maxDiscardedProblems: 0,
    maxOpenedNotProblems: 0,
    maxAskedProblems: 10,
  },
  {
    file: 'eval-barnaul-2.jsonl',
    strictAccuracy: 0.845,
    strictMacroF1: 0.884,
    triageTopAccuracy: 0.905,
    maxTriageShare: 0.108,
    minLabelF1: 0.6,
    districtsRight: 50,
    maxMissedDistricts: 13,
    maxUnlabelledGuesses: 0,
    maxDiscardedProblems: 0,
    maxOpenedNotProblems: 0,
    maxAskedProblems: 5,
  },
  {
    file: 'eval-barnaul-3.jsonl',
    strictAccuracy: 0.905,
    strictMacroF1: 0.923,
    triageTopAccuracy: 0.93,
    maxTriageShare: 0.095,
    minLabelF1: null,
    districtsRight: 0,
    maxMissedDistricts: 0,
    maxUnlabelledGuesses: 0,
    maxDiscardedProblems: 0,
    maxOpenedNotProblems: 1,
    maxAskedProblems: 2,
  },
  {
    file: 'eval-barnaul-4.jsonl',
    strictAccuracy: 0.859,
    strictMacroF1: 0.887,
    triageTopAccuracy: 0.897,
    maxTriageShare: 0.09,
    minLabelF1: 0.6,
    districtsRight: 34,
    maxMissedDistricts: 14,
    maxUnlabelledGuesses: 0,
    maxDiscardedProblems: 0,
    maxOpenedNotProblems: 1,
    maxAskedProblems: 2,
  },
  {
    file: 'eval-barnaul-5.jsonl',
    strictAccuracy: 0.845,
    strictMacroF1: 0.88,
    triageTopAccuracy: 0.879,
    maxTriageShare: 0.101,
    minLabelF1: 0.6,
    districtsRight: 46,
    maxMissedDistricts: 17,
    maxUnlabelledGuesses: 0,
    maxDiscardedProblems: 0,
    maxOpenedNotProblems: 1,
    maxAskedProblems: 2,
  },
  {
    file: 'eval-barnaul-6.jsonl',
    strictAccuracy: 0.797,
    strictMacroF1: 0.855,
    triageTopAccuracy: 0.869,
    maxTriageShare: 0.15,
    minLabelF1: 0.6,
    districtsRight: 45,
    maxMissedDistricts: 17,
    maxUnlabelledGuesses: 0,
    maxDiscardedProblems: 0,
    maxOpenedNotProblems: 1,
    maxAskedProblems: 4,
  },
  {
    file: 'eval-barnaul-7.jsonl',
    strictAccuracy: 0.804,
    strictMacroF1: 0.853,
    triageTopAccuracy: 0.869,
    maxTriageShare: 0.131,
    minLabelF1: 0.6,
    districtsRight: 47,
    maxMissedDistricts: 20,
    maxUnlabelledGuesses: 0,
    maxDiscardedProblems: 0,
    maxOpenedNotProblems: 2,
    maxAskedProblems: 3,
  },
  {
    file: 'eval-barnaul-8.jsonl',
    strictAccuracy: 0.827,
    strictMacroF1: 0.861,
    triageTopAccuracy: 0.87,
    maxTriageShare: 0.107,
    minLabelF1: 0.6,
    districtsRight: 182,
    maxMissedDistricts: 65,
    maxUnlabelledGuesses: 0,
    maxDiscardedProblems: 0,
    maxOpenedNotProblems: 8,
    maxAskedProblems: 5,
  },
  {
    file: 'eval-barnaul-9.jsonl',
    strictAccuracy: 0.845,
    strictMacroF1: 0.879,
    triageTopAccuracy: 0.9,
    maxTriageShare: 0.089,
    minLabelF1: 0.6,
    districtsRight: 138,
    maxMissedDistricts: 39,
    maxUnlabelledGuesses: 0,
    maxDiscardedProblems: 0,
    maxOpenedNotProblems: 10,
    maxAskedProblems: 5,
  },
];

let structurer: Awaited<ReturnType<typeof loadEvalStructurer>>['structurer'];
let categories: string[];

beforeAll(async () => {
  const loaded = await loadEvalStructurer('config/barnaul.yaml');
  structurer = loaded.structurer;
  categories = loaded.domain.categories.map((c) => c.id);
});

describe.each(FLOORS)('structuring on the Barnaul evaluation set $file', (floor) => {
  let e: StructuringEvaluation;

  beforeAll(() => {
    const path = `test/fixtures/structuring/${floor.file}`;
    e = evaluateStructuring(structurer, parseEvalSet(readFileSync(path, 'utf8'), categories, floor.file), EVAL_AT);
  });

  it('when the default models and rules decide, then category accuracy, macro-F1 and triage stay at least at today’s level', () => {
    expect(e.strictAccuracy).toBeGreaterThanOrEqual(floor.strictAccuracy);
    expect(e.strictMacroF1).toBeGreaterThanOrEqual(floor.strictMacroF1);
    expect(e.triageTopAccuracy).toBeGreaterThanOrEqual(floor.triageTopAccuracy);
    expect(e.triageShare).toBeLessThanOrEqual(floor.maxTriageShare);
    if (floor.minLabelF1 !== null) {
      expect(e.perLabel.filter((l) => l.f1 < (floor.minLabelF1 ?? 0)).map((l) => `${l.label} ${l.f1.toFixed(2)}`)).toEqual([]);
    }
  });

  it('when places are named, then no district is wrong and no more are missed or guessed than today', () => {
    expect(e.districts.wrong).toEqual([]);
    expect(e.districts.correct).toBeGreaterThanOrEqual(floor.districtsRight);
    expect(e.districts.missed).toBeLessThanOrEqual(floor.maxMissedDistricts);
    expect(e.districts.unlabelledGuesses.length).toBeLessThanOrEqual(floor.maxUnlabelledGuesses);
  });

  it('when problems are polite and thanks or adverts arrive, then no more are misjudged than today', () => {
    expect(e.discardedProblems.length).toBeLessThanOrEqual(floor.maxDiscardedProblems);
    expect(e.openedNotProblems.length).toBeLessThanOrEqual(floor.maxOpenedNotProblems);
    expect(e.askedProblems.length).toBeLessThanOrEqual(floor.maxAskedProblems);
  });
});

describe('structuring bad input with the default models', () => {
  it.each([
    ['only emoji', '👍👍👍'],
    ['only a link', 'https://vk.example/wall-1_2'],
    ['only a phone number', '8-900-000-00-00'],
    ['mixed Russian and English', 'hello, у нас no hot water третий day'],
    ['all caps', 'ВО ДВОРЕ НЕ ВЫВОЗЯТ МУСОР!!!'],
    ['no spaces', 'нетсветавподъездеуженеделю'],
    ['4,000 characters', 'Здравствуйте! Во дворе яма, машины бьют колёса. '.repeat(90).slice(0, 4000)],
  ])('%s → a decision and a reason, never an error', (_, text) => {
    const a = structurer.assess(text, EVAL_AT);
    expect(a.intent.reason.length).toBeGreaterThan(0);
    expect(a.notProblem === null || a.notProblemReason !== null).toBe(true);
  });

  it.each([
    ['all caps', 'ВО ДВОРЕ НЕ ВЫВОЗЯТ МУСОР!!!', 'waste'],
    ['no spaces', 'нетсветавподъездеуженеделю', null],
    ['mixed Russian and English', 'hello, у нас no hot water третий day', null],
  ])('%s problem → a case is opened', (_, text, category) => {
    const a = structurer.assess(text, EVAL_AT);
    expect(a.notProblem).toBeNull();
    if (category) expect(a.category.category).toBe(category);
  });
});

describe('reading an evaluation set', () => {
  it('when a line is broken, then every bad line is reported with its number', () => {
    const text = [
      '{"text":"нет света","category":"electricity","district":null,"kind":"problem"}',
      'not json',
      '{"text":"спасибо","category":"electricity","district":null,"kind":"thanks"}',
      '{"text":"x","category":"nope","district":null,"kind":"problem"}',
    ].join('\n');
    expect(() => parseEvalSet(text, ['electricity'], 'set.jsonl')).toThrow(
      /set\.jsonl:2: not JSON[\s\S]*set\.jsonl:3:[\s\S]*set\.jsonl:4: unknown category/,
    );
  });
});
