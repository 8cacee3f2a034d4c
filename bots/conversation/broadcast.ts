import { allowedTextLength, type BroadcastReport, type BroadcastView, type Refusal } from '../../handlers/broadcasts/index.js';
import { type PressedMessage, type StaffBroadcastsApi, splitTitle } from '../../handlers/staff-broadcasts/index.js';
import type { BroadcastProgress } from '../../models/outbound.js';
import type { StaffAccount } from '../../models/staff-account.js';
import { audienceButtons, previewButtons, problemButtons, progressButtons } from '../outbound/broadcast-staff-buttons.js';
import type { ButtonAction, Buttons } from '../outbound/buttons.js';
import { ru } from '../texts/ru.js';

/**
 * The staff's /broadcast as a conversation, the same in Telegram and MAX: /broadcast → «Пришлите текст» →
 * the next text is a draft → the audience (every subscriber, a district, or «Жителям по проблеме» and one
 * of the largest open problems; «Экстренная» toggles the priority) → the preview with «Запустить»
 * → the preview message becomes the progress message, with «Пауза» / «Продолжить» / «Отменить»; above the
 * approval threshold the approvers get «Одобрить». The staff conversation (staff.ts) calls these; each
 * messenger delivers the answer its own way. docs/architecture/broadcasts.md#рассылка-из-бота-сотрудника
 */

export interface BroadcastWizardDeps {
  staffBroadcasts?: StaffBroadcastsApi | undefined;
}

/** A message of the wizard: text and buttons. */
export interface WizardReply {
  text: string;
  buttons?: Buttons;
}

/** What a press comes to (the fields of staff.ts's PressOutcome). */
export interface WizardPress {
  /** A short notice on the button. */
  notice?: string;
  /** A new message in the chat. */
  reply?: WizardReply;
  /** Replaces the pressed message's text and buttons (sent as a new message where it cannot be edited). */
  edit?: WizardReply;
  /** Replaces the pressed message's buttons only, its text kept. */
  buttons?: Buttons;
  /** The edited message is this broadcast's progress message: when it had to go as a new one, store that one. */
  progressOf?: number;
}

export type BroadcastAction = Extract<ButtonAction, { type: 'broadcast' | 'broadcast_segment' | 'broadcast_problem' }>;

export const isBroadcastAction = (action: ButtonAction): action is BroadcastAction =>
  action.type === 'broadcast' || action.type === 'broadcast_segment' || action.type === 'broadcast_problem';

/** /broadcast: asks for the text (its wait is stored on the person, so it survives a restart). Null when not wired here. */
export async function broadcastCommand(deps: BroadcastWizardDeps, account: StaffAccount): Promise<WizardReply | null> {
  if (!deps.staffBroadcasts) return null;
  return {
    text: (await deps.staffBroadcasts.begin(account)) === 'waiting' ? ru.broadcastStaff.askText : ru.broadcastStaff.notAllowed,
  };
}

/**
 * A private text: after /broadcast it is the draft, answered with the audience buttons; null when
 * nothing waits for it (an official's answer, a citizen's message go on). `photos`: how many came with it.
 */
export async function broadcastText(
  deps: BroadcastWizardDeps,
  account: StaffAccount,
  text: string,
  photos = 0,
): Promise<WizardReply | null> {
  const api = deps.staffBroadcasts;
  if (!api) return null;
  const outcome = await api.compose(account, text);
  if (!outcome) return null;
  if (outcome.status !== 'ok') {
    if (outcome.status === 'forbidden') return { text: ru.broadcastStaff.notAllowed };
    return {
      text:
        outcome.code === 'TEXT_TOO_LONG'
          ? ru.broadcastStaff.textTooLong(allowedTextLength({ title: splitTitle(text).title, priority: 'normal' }))
          : ru.broadcastStaff.textRefused,
    };
  }
  const b = outcome.value;
  const note = photos > 0 ? `\n\n${ru.broadcastStaff.photoNotAttached}` : '';
  const question = audienceQuestion(api, b);
  return { ...question, text: `${question.text}${note}` };
}

/** The draft's audience question: its title and priority, the audience buttons with the «Экстренная» toggle. */
function audienceQuestion(api: StaffBroadcastsApi, b: Pick<BroadcastView, 'id' | 'title' | 'priority'>): WizardReply {
  return {
    text: ru.broadcastStaff.chooseAudience(b.title, b.priority),
    buttons: audienceButtons(b.id, api.districts(), b.priority),
  };
}

/** A wizard's or progress message's button pressed; `pressed` is where that message is (null when the messenger lost it). */
export async function broadcastPress(
  deps: BroadcastWizardDeps,
  account: StaffAccount,
  action: BroadcastAction,
  pressed: PressedMessage | null,
): Promise<WizardPress | null> {
  const api = deps.staffBroadcasts;
  if (!api) return null;
  const district = (id: string | null | undefined) => (id ? (api.districts().find((d) => d.id === id)?.name ?? id) : null);
  const id = action.broadcastId;

  if (action.type === 'broadcast_segment' || action.type === 'broadcast_problem') {
    const chosen =
      action.type === 'broadcast_segment'
        ? await api.choose(account, id, action.district)
        : await api.chooseProblem(account, id, action.problemId);
    if (chosen.status !== 'ok') {
      if (action.type === 'broadcast_problem' && chosen.code === 'UNKNOWN_ID')
        return { notice: ru.broadcastStaff.unknownProblem };
      return refused(chosen);
    }
    const { broadcast, preview } = chosen.value;
    const text = ru.broadcastStaff.preview({
      title: broadcast.title,
      text: broadcast.text,
      district: action.type === 'broadcast_segment' ? district(action.district) : null,
      problem: chosen.value.problem ?? null,
      emergency: broadcast.priority === 'emergency',
      recipients: preview.recipients,
      byChannel: preview.byChannel,
      excluded: preview.excluded,
      needsApproval: preview.needsApproval,
      approvalThreshold: preview.approvalThreshold,
      approved: preview.approved,
      unsendable: preview.unsendable,
    });
    return { reply: { text, buttons: previewButtons(id, preview) } };
  }

  switch (action.op) {
    case 'problems': {
      const problems = await api.problems(account);
      if (problems.status !== 'ok') return refused(problems);
      if (problems.value.length === 0) return { reply: { text: ru.broadcastStaff.noProblems } };
      return { reply: { text: ru.broadcastStaff.chooseProblem, buttons: problemButtons(id, problems.value) } };
    }
    case 'emergency':
    case 'normal': {
      const set = await api.setPriority(account, id, action.op);
      if (set.status !== 'ok') {
        if (set.code === 'TEXT_TOO_LONG') {
          const now = await api.report(account, id);
          const title = now.status === 'ok' ? now.value.title : '';
          return { notice: ru.broadcastStaff.tooLongForEmergency(allowedTextLength({ title, priority: 'emergency' })) };
        }
        return refused(set);
      }
      return {
        notice: set.value.priority === 'emergency' ? ru.broadcastStaff.emergencyOn : ru.broadcastStaff.emergencyOff,
        edit: audienceQuestion(api, set.value),
      };
    }
    case 'start': {
      const started = await api.start(account, id, pressed);
      if (started.status === 'approval_requested') {
        // The request went out: the preview keeps only «Отменить», so a second press does not ask again.
        return {
          reply: { text: ru.broadcastStaff.approvalRequested(started.threshold, started.approvers, id) },
          buttons: previewButtons(id, { recipients: 0, needsApproval: true, approved: false }),
        };
      }
      if (started.status === 'empty') {
        const report = await api.report(account, id);
        const segment = report.status === 'ok' ? report.value.segment : null;
        if (segment?.kind === 'problem') return { reply: { text: ru.broadcastStaff.emptyProblem } };
        const where = segment?.kind === 'subscribers' ? district(segment.districts?.[0]) : null;
        return { reply: { text: ru.broadcastStaff.emptySegment(where) } };
      }
      if (started.status !== 'ok') return refused(started);
      return { notice: ru.broadcastStaff.started, edit: progressView(started.value), progressOf: id };
    }
    case 'approve': {
      const approved = await api.approve(account, id);
      if (approved.status === 'conflict') return { notice: ru.broadcastStaff.alreadyStarted };
      if (approved.status !== 'ok') return refused(approved);
      const text = ru.broadcastStaff.approvedByYou(approved.value.title);
      return { notice: text, edit: { text, buttons: [] } };
    }
    case 'pause':
    case 'resume':
    case 'cancel': {
      const done = await api.control(account, id, action.op);
      if (done.status !== 'ok') {
        if (done.status === 'conflict' && done.code === 'WRONG_STATE') {
          const now = await api.report(account, id);
          if (now.status === 'ok') return { notice: ru.broadcastStaff.wrongState(now.value.status) };
        }
        return refused(done);
      }
      const r = done.value;
      const notice =
        action.op === 'pause'
          ? ru.broadcastStaff.paused
          : action.op === 'resume'
            ? ru.broadcastStaff.resumed
            : ru.broadcastStaff.cancelled;
      // A draft cancelled from its preview never sent anything: the preview says so and loses its buttons.
      if (r.startedAt === null) return { notice, edit: { text: ru.broadcastStaff.draftCancelled(r.title), buttons: [] } };
      return { notice, edit: progressView(r), progressOf: id };
    }
  }
}

/** The progress message's text and buttons for a report. */
function progressView(r: BroadcastReport): WizardReply {
  const progress: BroadcastProgress = {
    id: r.id,
    title: r.title,
    status: r.status,
    totals: r.totals,
    byChannel: r.byChannel,
    ratePerMinute: r.ratePerMinute,
    etaSeconds: r.etaSeconds,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  };
  return { text: ru.broadcastStaff.progress(progress), buttons: progressButtons(progress) };
}

/** The API's refusals as polite notices. */
function refused(r: Refusal): WizardPress {
  switch (r.code) {
    case 'NOT_FOUND':
      return { notice: ru.staleButton };
    case 'SELF_APPROVAL':
      return { notice: ru.broadcastStaff.selfApproval, reply: { text: ru.broadcastStaff.selfApproval } };
    case 'APPROVER_ROLE':
      return { notice: ru.broadcastStaff.approverRole };
    case 'ALREADY_STARTED':
      return { notice: ru.broadcastStaff.alreadyStarted };
    case 'NOT_A_DRAFT':
      return { notice: ru.broadcastStaff.notADraft };
    case 'UNKNOWN_ID':
      return { notice: ru.broadcastStaff.unknownDistrict };
  }
  return { notice: r.status === 'forbidden' ? ru.broadcastStaff.notAllowed : ru.staleButton };
}
