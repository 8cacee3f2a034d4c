import type { Segment } from '../../models/broadcast.js';
import { problemTitle } from '../../models/broadcast-repository.js';
import type { StaffAccount } from '../../models/staff-account.js';
import { problems as problemList } from '../analytics/index.js';
import {
  type BroadcastOutcome,
  type BroadcastPreview,
  type BroadcastsApi,
  type BroadcastView,
  broadcastSettings,
  mayAuthor,
} from '../broadcasts/index.js';
import { callerOf, notStaff, type PersonCaller, type WizardDeps } from './wizard.js';

/**
 * The /broadcast wizard's audience step (docs/architecture/broadcasts.md#рассылка-из-бота-сотрудника): every
 * subscriber or a district's, the citizens of one of the largest open problems, and the «Экстренная»
 * toggle — each a change of the draft through the broadcasts' API, then its preview.
 */

/** A problem «Жителям по проблеме» offers: its number, its label and how many cases it has. */
export interface ProblemChoice {
  id: number;
  title: string;
  cases: number;
}

/** The audience chosen and the preview of who it reaches now; `problem`: the problem's label, for a problem's citizens. */
export type Chosen = { broadcast: BroadcastView; preview: BroadcastPreview; problem?: string };

/** The audience chosen (a district's subscribers, or all of them): the draft's segment, then its preview. */
export async function chooseAudience(
  deps: WizardDeps,
  api: BroadcastsApi,
  account: StaffAccount,
  id: number,
  district: string | null,
): Promise<BroadcastOutcome<Chosen>> {
  const caller = await callerOf(deps, account);
  if (!caller) return notStaff;
  return segmentThenPreview(api, caller, id, { kind: 'subscribers', ...(district ? { districts: [district] } : {}) });
}

/**
 * «Жителям по проблеме», then a problem: the citizens of every case linked to it (no subscription needed:
 * it is about their own appeal), then the preview. An unknown problem is the API's 400 `UNKNOWN_ID`.
 */
export async function chooseProblem(
  deps: WizardDeps,
  api: BroadcastsApi,
  account: StaffAccount,
  id: number,
  problemId: number,
): Promise<BroadcastOutcome<Chosen>> {
  const caller = await callerOf(deps, account);
  if (!caller) return notStaff;
  const chosen = await segmentThenPreview(api, caller, id, { kind: 'problem', problemId });
  if (chosen.status !== 'ok') return chosen;
  return { status: 'ok', value: { ...chosen.value, problem: (await problemTitle(deps.db, problemId)) ?? `№ ${problemId}` } };
}

async function segmentThenPreview(
  api: BroadcastsApi,
  caller: PersonCaller,
  id: number,
  segment: Segment,
): Promise<BroadcastOutcome<Chosen>> {
  const updated = await api.update(caller, id, { segment });
  if (updated.status !== 'ok') return updated;
  const preview = await api.preview(caller, id);
  return preview.status === 'ok' ? { status: 'ok', value: { broadcast: updated.value, preview: preview.value } } : preview;
}

/** Problems «Жителям по проблеме» offers. */
const PROBLEMS_OFFERED = 5;
/** A problem is «open» for a broadcast until it is resolved: open, in work, or back again. */
const UNRESOLVED = ['open', 'in_work', 'recurring'] as const;

/**
 * The largest problems not yet resolved (most cases first, at most five): the choices of «Жителям по
 * проблеме». For the roles that may prepare broadcasts only.
 */
export async function largestProblems(deps: WizardDeps, account: StaffAccount): Promise<BroadcastOutcome<ProblemChoice[]>> {
  const caller = await callerOf(deps, account);
  if (!caller) return notStaff;
  if (!mayAuthor(caller, broadcastSettings(deps.domain)))
    return { status: 'forbidden', code: 'FORBIDDEN', message: 'your role may not prepare broadcasts' };
  const found: ProblemChoice[] = [];
  for (const status of UNRESOLVED) {
    const listed = await problemList(deps, { status, sort: 'volume', windowDays: 30, limit: PROBLEMS_OFFERED });
    if (listed.status === 'ok') for (const p of listed.items) found.push({ id: p.id, title: p.title, cases: p.volume });
  }
  found.sort((a, b) => b.cases - a.cases || b.id - a.id);
  return { status: 'ok', value: found.slice(0, PROBLEMS_OFFERED) };
}

/**
 * «Экстренная» toggled on the draft: an emergency broadcast ignores the quiet hours and goes before the
 * normal ones (the API's `priority`). Refused like any change: a draft no longer, a text that no longer
 * fits with the mark above it (`TEXT_TOO_LONG`).
 */
export async function setPriority(
  deps: WizardDeps,
  api: BroadcastsApi,
  account: StaffAccount,
  id: number,
  priority: 'normal' | 'emergency',
): Promise<BroadcastOutcome<BroadcastView>> {
  const caller = await callerOf(deps, account);
  if (!caller) return notStaff;
  return api.update(caller, id, { priority });
}
