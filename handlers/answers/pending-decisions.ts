import { type Actor, parseActor } from '../../models/actor.js';
import { decisionOf, heldAnswerPage, officialNames, pendingExtensionPage } from '../../models/decision-query.js';
import type { HandlerDeps } from '../deps.js';

/**
 * What waits for the operators (the console's «Решения»): answers the quality gate held
 * (reviewHeldAnswer decides them) and pending extension requests (decideExtension), each page
 * oldest first, with the name of the person who wrote or asked — one query for a page's names.
 */
export async function pendingDecisions(
  deps: Pick<HandlerDeps, 'db'>,
  input: {
    limit: number;
    department?: string | undefined;
    answersAfter?: number | undefined;
    extensionsAfter?: number | undefined;
  },
) {
  const [answers, extensions] = await Promise.all([
    heldAnswerPage(deps.db, { limit: input.limit + 1, afterId: input.answersAfter, department: input.department }),
    pendingExtensionPage(deps.db, { limit: input.limit + 1, afterId: input.extensionsAfter, department: input.department }),
  ]);
  const heldShown = answers.slice(0, input.limit);
  const extShown = extensions.slice(0, input.limit);
  const names = await namesOf(deps, [...heldShown.map((a) => a.author), ...extShown.map((e) => e.requestedBy)]);
  return {
    answers: heldShown.map((a) => ({ ...a, authorName: names(a.author) })),
    answersNext: answers.length > input.limit ? (heldShown.at(-1)?.id ?? null) : null,
    extensions: extShown.map((e) => ({ ...e, requestedByName: names(e.requestedBy) })),
    extensionsNext: extensions.length > input.limit ? (extShown.at(-1)?.id ?? null) : null,
  };
}

/** Who already decided a held answer or an extension request, and when (the second decider is told). */
export async function decisionTaken(deps: Pick<HandlerDeps, 'db'>, what: { kind: 'answer' | 'extension'; id: number }) {
  const row = await decisionOf(deps.db, what);
  if (!row) return undefined;
  const names = await namesOf(deps, row.by ? [row.by] : []);
  return { state: row.state, at: row.at, byName: row.by ? names(row.by) : null };
}

/** A name per stored actor: the person's for `official:`/`operator:`, null for others. */
async function namesOf(deps: Pick<HandlerDeps, 'db'>, stored: readonly string[]): Promise<(text: string) => string | null> {
  const personOf = (a: Actor | null) => (a?.type === 'official' || a?.type === 'operator' ? a.officialId : null);
  const ids = [...new Set(stored.map((s) => personOf(parseActor(s))).filter((id): id is number => id !== null))];
  const names = await officialNames(deps.db, ids);
  return (text) => {
    const id = personOf(parseActor(text));
    return id === null ? null : (names.get(id) ?? null);
  };
}
