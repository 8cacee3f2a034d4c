/**
 * How many real appeals the not-a-problem rules would discard: every appeal of the SPb data set is a
 * problem, so each one judged thanks or spam is a lost appeal. Scores every 5th record (up to 9,000)
 * with the structurer the app builds (keyword rules, the default and intent models):
 *
 *   npm run eval:discards [-- path/to/appeals-spb/train.jsonl.gz]
 *
 * The default model was trained on a sample of the same file, so its category figures would be
 * optimistic here; the discards are mostly the rules' and the intent model's doing. It also counts the
 * appeals a private chat would confirm with «Это обращение?» first (nothing lost, one more tap). Needs
 * ../shared/data/appeals-spb/ (or the path given); says so and exits 0 without it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EVAL_AT } from '../handlers/structuring/index.js';
import { readRecords } from '../lib/classifier/index.js';
import { loadEvalStructurer } from '../src/structuring/eval-structurer.js';
import { DEFAULT_SPB_DATA } from './default-training-set.js';

const DOMAIN_FILE = fileURLToPath(new URL('../config/barnaul.yaml', import.meta.url));
const EVERY = 5;
const LIMIT = 9000;

async function main(): Promise<number> {
  const path = process.argv[2] ?? DEFAULT_SPB_DATA;
  if (!existsSync(path)) {
    console.log(`eval:discards: ${path} not found (the appeals-spb data set, ../shared/data/appeals-spb/); nothing measured.`);
    return 0;
  }
  const { structurer } = await loadEvalStructurer(DOMAIN_FILE);
  let seen = 0;
  let scored = 0;
  const discarded: string[] = [];
  const asked: string[] = [];
  for await (const record of readRecords(path)) {
    const text = record.fields?.text;
    if (typeof text !== 'string' || text.trim() === '' || ++seen % EVERY !== 0) continue;
    scored++;
    const a = structurer.assess(text, EVAL_AT);
    const line = `  [${a.intent.reason}] ${text.slice(0, 100).replace(/\s+/g, ' ')}`;
    if (a.notProblem) discarded.push(line);
    else if (a.intent.ask) asked.push(line);
    if (scored >= LIMIT) break;
  }
  console.log(
    `SPb appeals (every ${EVERY}th of ${path}): ${scored} scored, ${discarded.length} judged not a problem ` +
      `(${((100 * discarded.length) / Math.max(scored, 1)).toFixed(2)}%)`,
  );
  for (const line of discarded.slice(0, 20)) console.log(line);
  console.log(
    `asked «Это обращение?» first in a private chat: ${asked.length} (${((100 * asked.length) / Math.max(scored, 1)).toFixed(2)}%)`,
  );
  for (const line of asked.slice(0, Number(process.env.SHOW_ASKED ?? 20))) console.log(line);
  return 0;
}

process.exitCode = await main();
