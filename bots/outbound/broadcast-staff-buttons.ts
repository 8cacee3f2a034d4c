import type { BroadcastApproval, BroadcastNotStarted, BroadcastProgress } from '../../models/outbound.js';
import { ru } from '../texts/ru.js';
import type { BroadcastOp, Button, Buttons, ButtonTone } from './buttons.js';

/**
 * The buttons of the staff's broadcasts, for every messenger: the audience of a /broadcast draft, its
 * preview, the approval, and the controls under the progress message. («Отписаться» under a broadcast
 * itself is `broadcastButtons` of buttons.ts.)
 */

const PER_ROW = 2;

const op = (label: string, broadcastId: number, what: BroadcastOp, tone: ButtonTone = 'secondary'): Button => ({
  label,
  action: { type: 'broadcast', broadcastId, op: what },
  tone,
});

const cancel = (broadcastId: number) => op(ru.broadcastStaff.cancelButton, broadcastId, 'cancel', 'negative');

/**
 * «Все подписчики», then one button per district (two to a row), «Жителям по проблеме», the «Экстренная»
 * toggle (its label says whether the draft is an emergency one), then «Отменить».
 */
export function audienceButtons(
  broadcastId: number,
  districts: readonly { id: string; name: string }[],
  priority: 'normal' | 'emergency' = 'normal',
): Buttons {
  const rows: Buttons = [
    [
      {
        label: ru.broadcastStaff.everyoneButton,
        action: { type: 'broadcast_segment', broadcastId, district: null },
        tone: 'primary',
      },
    ],
  ];
  for (let i = 0; i < districts.length; i += PER_ROW)
    rows.push(
      districts.slice(i, i + PER_ROW).map((d) => ({
        label: d.name,
        action: { type: 'broadcast_segment', broadcastId, district: d.id },
        tone: 'secondary',
      })),
    );
  rows.push([op(ru.broadcastStaff.problemButton, broadcastId, 'problems')]);
  const emergency = priority === 'emergency';
  rows.push([
    op(
      ru.broadcastStaff.emergencyButton(emergency),
      broadcastId,
      emergency ? 'normal' : 'emergency',
      emergency ? 'negative' : 'secondary',
    ),
  ]);
  rows.push([cancel(broadcastId)]);
  return rows;
}

/** «Жителям по проблеме»: one button per problem (its number, label and cases), then «Отменить». */
export function problemButtons(broadcastId: number, problems: readonly { id: number; title: string; cases: number }[]): Buttons {
  return [
    ...problems.map((p): Button[] => [
      {
        label: ru.broadcastStaff.problemChoice(p),
        action: { type: 'broadcast_problem', broadcastId, problemId: p.id },
        tone: 'secondary',
      },
    ]),
    [cancel(broadcastId)],
  ];
}

/**
 * Under the preview: «Запустить» (or «Отправить на согласование» while a needed approval is missing — the
 * same press, which asks the approvers) and «Отменить»; only «Отменить» when nobody would get it.
 */
export function previewButtons(
  broadcastId: number,
  p: { recipients: number; needsApproval: boolean; approved: boolean },
): Buttons {
  if (p.recipients === 0) return [[cancel(broadcastId)]];
  const label = p.needsApproval && !p.approved ? ru.broadcastStaff.toApprovalButton : ru.broadcastStaff.startButton;
  return [[op(label, broadcastId, 'start', 'positive'), cancel(broadcastId)]];
}

/** Under the progress message, by status: «Пауза» / «Продолжить» and «Отменить»; none once it ended. */
export function progressButtons(p: Pick<BroadcastProgress, 'id' | 'status'>): Buttons {
  switch (p.status) {
    case 'running':
      return [[op(ru.broadcastStaff.pauseButton, p.id, 'pause'), cancel(p.id)]];
    case 'paused':
      return [[op(ru.broadcastStaff.resumeButton, p.id, 'resume', 'positive'), cancel(p.id)]];
    case 'scheduled':
      return [[cancel(p.id)]];
    default:
      return [];
  }
}

/** To the approvers: «Одобрить»; to the author once approved: «Запустить» / «Отменить». */
export function approvalButtons(a: Pick<BroadcastApproval, 'step' | 'broadcastId'>): Buttons {
  return a.step === 'requested'
    ? [[op(ru.broadcastStaff.approveButton, a.broadcastId, 'approve', 'positive')]]
    : [[op(ru.broadcastStaff.startButton, a.broadcastId, 'start', 'positive'), cancel(a.broadcastId)]];
}

/**
 * Under «рассылка не запущена» (a scheduled one back to draft): «Отправить на согласование» (the preview's
 * start, which asks the approvers) and «Отменить» when an approval is missing; only «Отменить» when nobody
 * would get it.
 */
export function notStartedButtons(n: Pick<BroadcastNotStarted, 'broadcastId' | 'why' | 'recipients'>): Buttons {
  return n.why === 'approval'
    ? previewButtons(n.broadcastId, { recipients: n.recipients, needsApproval: true, approved: false })
    : [[cancel(n.broadcastId)]];
}
