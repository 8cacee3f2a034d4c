// Targeted broadcasts (regulation 2.2.3): compose, preview, approve, start / pause / resume / cancel,
// the paced sender and its reports. docs/architecture/broadcasts.md. Citizens' subscriptions are the
// subscriptions feature (handlers/subscriptions).

import type { BroadcastChannel } from '../../models/broadcast.js';
import type { RecipientLine } from '../../models/broadcast-repository.js';
import { setProgressMessage } from '../../models/broadcast-repository.js';
import type { HandlerDeps } from '../deps.js';
import type { BroadcastCaller } from './caller.js';
import { createBroadcast, listAllBroadcasts, previewBroadcast, updateBroadcast } from './compose.js';
import type { BroadcastPatch, ParsedBroadcastInput } from './input.js';
import { approveBroadcast, cancelBroadcast, pauseBroadcast, resumeBroadcast, startBroadcast } from './lifecycle.js';
import type { BroadcastOutcome } from './outcome.js';
import { getBroadcast, recipientPages } from './report.js';
import type { BroadcastPreview, BroadcastReport, BroadcastView } from './view.js';

export { type SegmentAudience, segmentAudience } from './audience.js';
export { actorOfCaller, type BroadcastCaller, mayApprove, mayAuthor, mayRead } from './caller.js';
export { emptyReason } from './compose.js';
export {
  allowedTextLength,
  type BroadcastInput,
  type BroadcastPatch,
  broadcastInputSchema,
  broadcastPatchSchema,
  type ParsedBroadcastInput,
} from './input.js';
export { runJobOf } from './jobs.js';
export { type BroadcastListItem, broadcastList, broadcastPeople, broadcastReasons, type ReasonCount } from './listing.js';
export { type BroadcastNotifier, silentNotifier } from './notifier.js';
export { OUTAGE_AFTER, OutageTracker, outageWaitSeconds } from './outage.js';
export type { BroadcastOutcome, Refusal } from './outcome.js';
export { type BroadcastNotifierDeps, createBroadcastNotifier } from './progress.js';
export { broadcastReport } from './report.js';
export { type RunDeps, type RunOutcome, runBroadcast } from './run.js';
export { BROADCAST_SPLIT_LIMIT, BROADCAST_TEXT_LIMIT, broadcastSettings, DEFAULT_BROADCAST_SETTINGS } from './settings.js';
export { resumeBroadcasts, sweepBroadcasts } from './sweep.js';
export type { BroadcastPreview, BroadcastReport, BroadcastView, StatusTotals } from './view.js';

/** What the API routes and the staff bots call; every call checks the caller's role first. */
export interface BroadcastsApi {
  create(caller: BroadcastCaller, input: ParsedBroadcastInput): Promise<BroadcastOutcome<BroadcastView>>;
  update(caller: BroadcastCaller, id: number, patch: BroadcastPatch): Promise<BroadcastOutcome<BroadcastView>>;
  list(caller: BroadcastCaller): Promise<BroadcastOutcome<BroadcastView[]>>;
  preview(caller: BroadcastCaller, id: number): Promise<BroadcastOutcome<BroadcastPreview>>;
  approve(caller: BroadcastCaller, id: number): Promise<BroadcastOutcome<BroadcastView>>;
  start(caller: BroadcastCaller, id: number): Promise<BroadcastOutcome<BroadcastView>>;
  pause(caller: BroadcastCaller, id: number): Promise<BroadcastOutcome<BroadcastView>>;
  resume(caller: BroadcastCaller, id: number): Promise<BroadcastOutcome<BroadcastView>>;
  cancel(caller: BroadcastCaller, id: number): Promise<BroadcastOutcome<BroadcastView>>;
  get(caller: BroadcastCaller, id: number): Promise<BroadcastOutcome<BroadcastReport>>;
  recipients(caller: BroadcastCaller, id: number): Promise<BroadcastOutcome<AsyncIterable<RecipientLine[]>>>;
  /** The author's progress message in a messenger, to be edited in place while it sends. */
  setProgressMessage(id: number, message: { channel: BroadcastChannel; chatId: string; messageId: string }): Promise<void>;
}

/**
 * Binds the broadcasts' use cases; `deps` is called on every call (the database or queue may not be up
 * yet). `senders` names the messengers this instance can send broadcasts on (the preview warns of others).
 */
export function bindBroadcasts(deps: () => HandlerDeps, senders?: () => readonly BroadcastChannel[]): BroadcastsApi {
  return {
    create: (caller, input) => createBroadcast(deps(), caller, input),
    update: (caller, id, patch) => updateBroadcast(deps(), caller, id, patch),
    list: (caller) => listAllBroadcasts(deps(), caller),
    preview: (caller, id) => previewBroadcast({ ...deps(), ...(senders ? { senders: senders() } : {}) }, caller, id),
    approve: (caller, id) => approveBroadcast(deps(), caller, id),
    start: (caller, id) => startBroadcast(deps(), caller, id),
    pause: (caller, id) => pauseBroadcast(deps(), caller, id),
    resume: (caller, id) => resumeBroadcast(deps(), caller, id),
    cancel: (caller, id) => cancelBroadcast(deps(), caller, id),
    get: (caller, id) => getBroadcast(deps(), caller, id),
    recipients: (caller, id) => recipientPages(deps(), caller, id),
    setProgressMessage: (id, message) => setProgressMessage(deps().db, id, message),
  };
}
