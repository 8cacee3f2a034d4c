// The staff bot's side of broadcasts (the /broadcast wizard of bots/conversation/broadcast.ts): who the
// person behind a messenger account is, the wizard's durable step, and the approval requests.
// docs/architecture/broadcasts.md#рассылка-из-бота-сотрудника

import type { StaffAccount } from '../../models/staff-account.js';
import type { BroadcastOutcome, BroadcastReport, BroadcastsApi, BroadcastView } from '../broadcasts/index.js';
import type { HandlerDeps } from '../deps.js';
import { type Chosen, chooseAudience, chooseProblem, largestProblems, type ProblemChoice, setPriority } from './audience.js';
import {
  approveFromBot,
  beginBroadcast,
  composeBroadcast,
  controlFromBot,
  type DistrictChoice,
  type PressedMessage,
  reportFor,
  type StartOutcome,
  startFromBot,
} from './wizard.js';

export { type ApprovalNoticeDeps, type ApprovalNoticeOutcome, notifyBroadcastApproval } from './approval.js';
export type { Chosen, ProblemChoice } from './audience.js';
export { type DistrictChoice, type PressedMessage, type StartOutcome, splitTitle } from './wizard.js';

/** What the staff bots call, by the messenger account that pressed or wrote. */
export interface StaffBroadcastsApi {
  /** The city's districts (the audience buttons). */
  districts(): readonly DistrictChoice[];
  /** /broadcast: the next text of this person becomes a draft; refused for a role that may not prepare broadcasts. */
  begin(account: StaffAccount): Promise<'waiting' | 'forbidden'>;
  /** A private text: the draft when /broadcast waits for it; null when nothing waits (the text is something else). */
  compose(account: StaffAccount, text: string): Promise<BroadcastOutcome<BroadcastView> | null>;
  /** The audience chosen (a district, or null: every subscriber), then the preview. */
  choose(account: StaffAccount, id: number, district: string | null): Promise<BroadcastOutcome<Chosen>>;
  /** «Жителям по проблеме»: the largest problems not yet resolved (at most five), to choose from. */
  problems(account: StaffAccount): Promise<BroadcastOutcome<ProblemChoice[]>>;
  /** The audience chosen: the citizens of a problem's cases (with the problem's label), then the preview. */
  chooseProblem(account: StaffAccount, id: number, problemId: number): Promise<BroadcastOutcome<Chosen>>;
  /** «Экстренная» toggled: the draft's priority (an emergency ignores the quiet hours and goes first). */
  setPriority(account: StaffAccount, id: number, priority: 'normal' | 'emergency'): Promise<BroadcastOutcome<BroadcastView>>;
  /** «Запустить»: the pressed message becomes the progress message. */
  start(account: StaffAccount, id: number, pressed: PressedMessage | null): Promise<StartOutcome>;
  approve(account: StaffAccount, id: number): Promise<BroadcastOutcome<BroadcastView>>;
  control(account: StaffAccount, id: number, op: 'pause' | 'resume' | 'cancel'): Promise<BroadcastOutcome<BroadcastReport>>;
  report(account: StaffAccount, id: number): Promise<BroadcastOutcome<BroadcastReport>>;
  /** The progress message when it had to be sent anew (the pressed one could not be edited). */
  setProgressMessage(id: number, message: PressedMessage): Promise<void>;
}

/** Binds the wizard on the broadcasts' API; `deps` is called on every call (the database may not be up yet). */
export function bindStaffBroadcasts(deps: () => HandlerDeps, api: BroadcastsApi): StaffBroadcastsApi {
  return {
    districts: () => deps().domain.districts.map((d) => ({ id: d.id, name: d.name })),
    begin: (account) => beginBroadcast(deps(), account),
    compose: (account, text) => composeBroadcast(deps(), api, account, text),
    choose: (account, id, district) => chooseAudience(deps(), api, account, id, district),
    problems: (account) => largestProblems(deps(), account),
    chooseProblem: (account, id, problemId) => chooseProblem(deps(), api, account, id, problemId),
    setPriority: (account, id, priority) => setPriority(deps(), api, account, id, priority),
    start: (account, id, pressed) => startFromBot(deps(), api, account, id, pressed),
    approve: (account, id) => approveFromBot(deps(), api, account, id),
    control: (account, id, op) => controlFromBot(deps(), api, account, id, op),
    report: (account, id) => reportFor(deps(), api, account, id),
    setProgressMessage: (id, message) => api.setProgressMessage(id, message),
  };
}
