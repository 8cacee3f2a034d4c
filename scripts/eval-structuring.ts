/**
 * Scores the structuring pipeline as the app runs it (keyword rules, the default model, triage,
 * not-a-problem, the gazetteer) on the project's own labelled Barnaul messages:
 *
 *   npm run eval:structuring [-- [--json] [path/to/set.jsonl ...]]
 *
 * Default set: test/fixtures/structuring/eval-barnaul.jsonl (see docs/structuring-eval.md). Several sets
 * are scored as one pool (e.g. every set the models never saw), so a goal is measured on more messages
 * than one set holds.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EVAL_AT, evaluateStructuring, parseEvalSet, type StructuringEvaluation } from '../handlers/structuring/index.js';
import { loadEvalStructurer } from '../src/structuring/eval-structurer.js';

const DOMAIN_FILE = fileURLToPath(new URL('../config/barnaul.yaml', import.meta.url));
const DEFAULT_SET = fileURLToPath(new URL('../test/fixtures/structuring/eval-barnaul.jsonl', import.meta.url));

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const cut = (text: string) => (text.length > 60 ? `${text.slice(0, 60)}…` : text).replace(/\s+/g, ' ');

function format(e: StructuringEvaluation, set: string, model: string): string {
  const d = e.districts;
  const lines = [
    `Structuring on ${set}: ${e.messages} messages (${e.problems} problems, ${e.notProblems} not a problem), model ${model}`,
    '',
    `strict accuracy (problems)     ${pct(e.strictAccuracy)}`,
    `strict macro-F1 (problems)     ${e.strictMacroF1.toFixed(3)}`,
    `triage share (problems)        ${pct(e.triageShare)}`,
    `accuracy, triage top taken     ${pct(e.triageTopAccuracy)}`,
    `districts                      ${d.correct}/${d.labelled} right, ${d.wrong.length} wrong, ${d.missed} not found, ${d.unlabelledGuesses.length} unlabelled guesses`,
    `problems discarded             ${e.discardedProblems.length}`,
    `not-a-problem opening a case   ${e.openedNotProblems.length} (asked in a private chat: ${e.askedNotProblems.length} more)`,
    `problems asked «Это обращение?» ${e.askedProblems.length} (private chats; the case opens on «Да» or after the wait)`,
    '',
    'per label (lowest F1 first)     F1     P      R     n',
    ...e.perLabel.map(
      (s) =>
        `  ${s.label.padEnd(28)} ${s.f1.toFixed(2).padStart(5)}  ${s.precision.toFixed(2)}  ${s.recall.toFixed(2)}  ${String(s.support).padStart(3)}`,
    ),
  ];
  if (e.discardedProblems.length > 0) {
    lines.push('', 'problems discarded as not a problem:');
    for (const p of e.discardedProblems) lines.push(`  [${p.category} → ${p.as}] ${cut(p.text)}`);
  }
  if (e.openedNotProblems.length > 0) {
    lines.push('', 'not-a-problem messages that would open a case:');
    for (const p of e.openedNotProblems) lines.push(`  [${p.kind}] ${cut(p.text)}`);
  }
  if (d.wrong.length > 0) {
    lines.push('', 'wrong districts:');
    for (const w of d.wrong) lines.push(`  [${w.expected} → ${w.found}] ${cut(w.text)}`);
  }
  if (d.unlabelledGuesses.length > 0) {
    lines.push('', 'unlabelled guesses:');
    for (const g of d.unlabelledGuesses) lines.push(`  [→ ${g.found}] ${cut(g.text)}`);
  }
  return lines.join('\n');
}

async function main(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--json');
  const paths = args.filter((a) => !a.startsWith('-'));
  if (unknown.length > 0) {
    console.error('usage: npm run eval:structuring [-- [--json] [path/to/set.jsonl ...]]');
    return 2;
  }
  const setPaths = paths.length > 0 ? paths : [DEFAULT_SET];
  const setPath = setPaths.join(' + ');
  const { domain, structurer, modelVersion } = await loadEvalStructurer(DOMAIN_FILE);
  const cases = setPaths.flatMap((path) =>
    parseEvalSet(
      readFileSync(path, 'utf8'),
      domain.categories.map((c) => c.id),
      path,
    ),
  );
  const evaluation = evaluateStructuring(structurer, cases, EVAL_AT);
  console.log(
    json
      ? JSON.stringify({ set: setPath, model: modelVersion, ...evaluation }, null, 2)
      : format(evaluation, setPath, modelVersion),
  );
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`eval:structuring: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
