/**
 * Scores the whole structuring pipeline (keyword rules, classifier, triage, not-a-problem, gazetteer)
 * against labelled messages, as the app would decide them. Used by `npm run eval:structuring` and by
 * the regression test over test/fixtures/structuring/eval-barnaul.jsonl. No I/O here.
 */
import { NOT_A_PROBLEM, type Structurer } from './assess.js';

/** A fixed winter morning (11:00 in Barnaul): winter urgency rules apply, and runs are comparable. */
export const EVAL_AT = new Date('2026-12-10T05:00:00Z');

/** `question`: a question about the bot or the МЦУ itself («кто это читает?»), not a problem. */
export const EVAL_KINDS = ['problem', 'thanks', 'spam', 'greeting', 'question'] as const;

export interface EvalCase {
  text: string;
  /** A category id, or `not_a_problem` for thanks, greetings, spam and questions about the service. */
  category: string;
  /** The district the text makes certain, else null. */
  district: string | null;
  kind: (typeof EVAL_KINDS)[number];
}

export interface LabelScore {
  label: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface StructuringEvaluation {
  messages: number;
  problems: number;
  notProblems: number;
  /** Problems given their labelled category (triage and «not a problem» count as misses). */
  strictAccuracy: number;
  strictMacroF1: number;
  /** Per category over problem messages, lowest F1 first. */
  perLabel: LabelScore[];
  /** Share of problems left without a category for the operators. */
  triageShare: number;
  /** Accuracy if the operators took the triage queue's top suggestion every time. */
  triageTopAccuracy: number;
  districts: {
    labelled: number;
    correct: number;
    /** Labelled, and another district was found. */
    wrong: { text: string; expected: string; found: string }[];
    /** Labelled, and no district was found. */
    missed: number;
    /** Labelled null (not certain from the text), and a district was found anyway. */
    unlabelledGuesses: { text: string; found: string }[];
  };
  /** Problems that would open no case (judged thanks or spam). */
  discardedProblems: { text: string; category: string; as: 'thanks' | 'spam' }[];
  /** Thanks, greetings and spam that would open a case without asking (in any chat). */
  openedNotProblems: { text: string; kind: string }[];
  /** Thanks, greetings and spam a private chat asks about («Это обращение?»); a public thread opens them. */
  askedNotProblems: { text: string; kind: string }[];
  /** Problems a private chat asks about before the case opens (one more tap for the citizen). */
  askedProblems: { text: string; category: string }[];
}

/** Parses JSONL (one case per line, blank lines skipped); every problem is reported with its line. */
export function parseEvalSet(text: string, knownCategories: readonly string[], source = 'eval set'): EvalCase[] {
  const known = new Set([...knownCategories, NOT_A_PROBLEM]);
  const cases: EvalCase[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const at = `${source}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`${at}: not JSON`);
      return;
    }
    const c = value as Partial<EvalCase>;
    if (typeof c.text !== 'string' || c.text.trim() === '') problems.push(`${at}: "text" must be a non-empty string`);
    else if (typeof c.category !== 'string' || !known.has(c.category)) problems.push(`${at}: unknown category ${c.category}`);
    else if (c.district !== null && typeof c.district !== 'string') problems.push(`${at}: "district" must be a string or null`);
    else if (!EVAL_KINDS.includes(c.kind as EvalCase['kind'])) problems.push(`${at}: "kind" must be one of ${EVAL_KINDS}`);
    else if ((c.kind === 'problem') === (c.category === NOT_A_PROBLEM))
      problems.push(`${at}: a problem needs a category, thanks/spam/greeting need ${NOT_A_PROBLEM}`);
    else cases.push({ text: c.text, category: c.category, district: c.district ?? null, kind: c.kind as EvalCase['kind'] });
  });
  if (problems.length > 0) throw new Error(`${source}: ${problems.length} bad line(s)\n${problems.join('\n')}`);
  return cases;
}

/** Runs `assess(text, at)` on every case and scores the decisions. */
export function evaluateStructuring(structurer: Structurer, cases: readonly EvalCase[], at: Date): StructuringEvaluation {
  const problems: { gold: string; strict: string | null; top: string | null }[] = [];
  const districts: StructuringEvaluation['districts'] = {
    labelled: 0,
    correct: 0,
    wrong: [],
    missed: 0,
    unlabelledGuesses: [],
  };
  const discardedProblems: StructuringEvaluation['discardedProblems'] = [];
  const openedNotProblems: StructuringEvaluation['openedNotProblems'] = [];
  const askedNotProblems: StructuringEvaluation['askedNotProblems'] = [];
  const askedProblems: StructuringEvaluation['askedProblems'] = [];

  for (const c of cases) {
    const a = structurer.assess(c.text, at);
    if (c.kind !== 'problem') {
      if (a.notProblem === null) (a.intent.ask ? askedNotProblems : openedNotProblems).push({ text: c.text, kind: c.kind });
      continue;
    }
    if (a.intent.ask) askedProblems.push({ text: c.text, category: c.category });
    if (a.notProblem !== null) {
      discardedProblems.push({ text: c.text, category: c.category, as: a.notProblem });
      problems.push({ gold: c.category, strict: NOT_A_PROBLEM, top: NOT_A_PROBLEM });
    } else {
      problems.push({ gold: c.category, strict: a.category.category, top: a.category.category ?? a.category.auto });
    }
    const found = a.district.district;
    if (c.district !== null) {
      districts.labelled += 1;
      if (found === c.district) districts.correct += 1;
      else if (found === null) districts.missed += 1;
      else districts.wrong.push({ text: c.text, expected: c.district, found });
    } else if (found !== null) {
      districts.unlabelledGuesses.push({ text: c.text, found });
    }
  }

  const n = problems.length;
  const perLabel = scoreLabels(problems.map((p) => ({ gold: p.gold, predicted: p.strict })));
  return {
    messages: cases.length,
    problems: n,
    notProblems: cases.length - n,
    strictAccuracy: share(problems.filter((p) => p.strict === p.gold).length, n),
    strictMacroF1: share(
      perLabel.reduce((sum, s) => sum + s.f1, 0),
      perLabel.length,
    ),
    perLabel,
    triageShare: share(problems.filter((p) => p.strict === null).length, n),
    triageTopAccuracy: share(problems.filter((p) => p.top === p.gold).length, n),
    districts,
    discardedProblems,
    openedNotProblems,
    askedNotProblems,
    askedProblems,
  };
}

/** Precision, recall and F1 of every labelled category; a null prediction (triage) is a miss. */
function scoreLabels(pairs: readonly { gold: string; predicted: string | null }[]): LabelScore[] {
  const labels = [...new Set(pairs.map((p) => p.gold))];
  return labels
    .map((label) => {
      const tp = pairs.filter((p) => p.gold === label && p.predicted === label).length;
      const support = pairs.filter((p) => p.gold === label).length;
      const predicted = pairs.filter((p) => p.predicted === label).length;
      const precision = share(tp, predicted);
      const recall = share(tp, support);
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      return { label, support, precision, recall, f1 };
    })
    .sort((a, b) => a.f1 - b.f1 || a.label.localeCompare(b.label));
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
