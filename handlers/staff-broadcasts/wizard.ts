import type { BroadcastChannel } from '../../models/broadcast.js';
import {
  awaitBroadcastText,
  findOfficialByAccount,
  type OfficialRow,
  takeBroadcastWait,
} from '../../models/people-repository.js';
import type { StaffAccount } from '../../models/staff-account.js';
import {
  type BroadcastCaller,
  type BroadcastOutcome,
  type BroadcastReport,
  type BroadcastsApi,
  type BroadcastView,
  broadcastInputSchema,
  broadcastSettings,
  mayAuthor,
  type Refusal,
} from '../broadcasts/index.js';
import type { HandlerDeps } from '../deps.js';
import { reachableApprovers } from './approval.js';

export type WizardDeps = Pick<HandlerDeps, 'db' | 'jobs' | 'domain' | 'clock' | 'calendar'>;

/** A district of the domain file, as the audience buttons show it. */
export interface DistrictChoice {
  id: string;
  name: string;
}

/** Where the pressed message is: it becomes the progress message. */
export interface PressedMessage {
  channel: BroadcastChannel;
  chatId: string;
  messageId: string;
}

/** «Запустить» pressed: started (the report), asked the approvers, or why not. */
export type StartOutcome =
  | BroadcastOutcome<BroadcastReport>
  | { status: 'approval_requested'; broadcastId: number; threshold: number; approvers: number };

const TITLE_MAX = 80;

/** Not a person bound to this bot (or deactivated): as a role that may not. */
export const notStaff: Refusal = { status: 'forbidden', code: 'NOT_STAFF', message: 'not a member of staff' };

/**
 * A message as a broadcast: the first line is the title (cut to 80 characters) and the rest the text;
 * a one-line message is both (the title names it in lists and reports).
 */
export function splitTitle(message: string): { title: string; text: string } {
  const trimmed = message.trim();
  const [first = '', ...rest] = trimmed.split('\n');
  const head = first.trim();
  const title = head.length > TITLE_MAX ? `${head.slice(0, TITLE_MAX - 1).trimEnd()}…` : head;
  const body = rest.join('\n').trim();
  return { title, text: body === '' ? trimmed : body };
}

export type PersonCaller = Extract<BroadcastCaller, { kind: 'person' }>;

/** The active person behind a messenger account, as a caller of the broadcasts' API; null for anyone else. */
export async function callerOf(deps: WizardDeps, account: StaffAccount): Promise<PersonCaller | null> {
  const official = await findOfficialByAccount(deps.db, account);
  return official?.active ? { kind: 'person', official } : null;
}

/** /broadcast: the person's next text becomes a draft (durably: a new draft kind on their row). */
export async function beginBroadcast(deps: WizardDeps, account: StaffAccount): Promise<'waiting' | 'forbidden'> {
  const caller = await callerOf(deps, account);
  if (!caller || !mayAuthor(caller, broadcastSettings(deps.domain))) return 'forbidden';
  await awaitBroadcastText(deps.db, caller.official.id);
  return 'waiting';
}

/**
 * A text after /broadcast: the draft, to every subscriber until an audience is chosen. Null when nothing
 * waits for a text (it is something else: an answer, a citizen's message). A text refused for its content
 * (empty, too long) leaves the wait on, so the next text tries again.
 */
export async function composeBroadcast(
  deps: WizardDeps,
  api: BroadcastsApi,
  account: StaffAccount,
  message: string,
): Promise<BroadcastOutcome<BroadcastView> | null> {
  const official: OfficialRow | undefined = await takeBroadcastWait(deps.db, account);
  if (!official) return null;
  const caller: BroadcastCaller = { kind: 'person', official };
  const parsed = broadcastInputSchema.safeParse({ ...splitTitle(message), segment: { kind: 'subscribers' } });
  const outcome: BroadcastOutcome<BroadcastView> = parsed.success
    ? await api.create(caller, parsed.data)
    : { status: 'invalid', code: 'VALIDATION_FAILED', message: parsed.error.issues[0]?.message ?? 'invalid', field: 'text' };
  if (outcome.status === 'invalid') await awaitBroadcastText(deps.db, official.id);
  return outcome;
}

/**
 * «Запустить». The pressed message is stored as the progress message before the start, so the sender,
 * queued by the start, edits it from its first report (never a second message). Above the approval
 * threshold without an approval: the approvers are asked (the `broadcast-approval` job).
 */
export async function startFromBot(
  deps: WizardDeps,
  api: BroadcastsApi,
  account: StaffAccount,
  id: number,
  pressed: PressedMessage | null,
): Promise<StartOutcome> {
  const caller = await callerOf(deps, account);
  if (!caller) return notStaff;
  const before = await api.get(caller, id);
  if (before.status !== 'ok') return before;
  if (pressed && before.value.status === 'draft') await api.setProgressMessage(id, pressed);
  const started = await api.start(caller, id);
  if (started.status === 'conflict' && started.code === 'APPROVAL_REQUIRED') {
    await deps.jobs.send('broadcast-approval', { broadcastId: id, step: 'requested' });
    return {
      status: 'approval_requested',
      broadcastId: id,
      threshold: broadcastSettings(deps.domain).approval.aboveRecipients,
      approvers: (await reachableApprovers(deps, caller.official.id)).length,
    };
  }
  if (started.status !== 'ok') return started;
  return api.get(caller, id);
}

/**
 * «Одобрить» by a second person; the author is then told (the `broadcast-approval` job). Enqueued after
 * the approval's own transaction: were it lost, the author's «Запустить» under the preview still works.
 */
export async function approveFromBot(
  deps: WizardDeps,
  api: BroadcastsApi,
  account: StaffAccount,
  id: number,
): Promise<BroadcastOutcome<BroadcastView>> {
  const caller = await callerOf(deps, account);
  if (!caller) return notStaff;
  const approved = await api.approve(caller, id);
  if (approved.status === 'ok') await deps.jobs.send('broadcast-approval', { broadcastId: id, step: 'approved' });
  return approved;
}

/** «Пауза», «Продолжить», «Отменить»: the broadcast as it is after it. */
export async function controlFromBot(
  deps: WizardDeps,
  api: BroadcastsApi,
  account: StaffAccount,
  id: number,
  op: 'pause' | 'resume' | 'cancel',
): Promise<BroadcastOutcome<BroadcastReport>> {
  const caller = await callerOf(deps, account);
  if (!caller) return notStaff;
  const done = await api[op](caller, id);
  if (done.status !== 'ok') return done;
  return api.get(caller, id);
}

/** A broadcast as it is now (to redraw a message whose buttons no longer fit). */
export async function reportFor(
  deps: WizardDeps,
  api: BroadcastsApi,
  account: StaffAccount,
  id: number,
): Promise<BroadcastOutcome<BroadcastReport>> {
  const caller = await callerOf(deps, account);
  return caller ? api.get(caller, id) : notStaff;
}
