import { describe, expect, it } from 'vitest';
import { isStaffAction, officialText, STAFF_COMMANDS, staffCommand, staffPress } from '../../bots/conversation/staff.js';
import type { Button, ButtonAction } from '../../bots/outbound/buttons.js';
import { ru } from '../../bots/texts/ru.js';
import type { BroadcastOutcome, BroadcastPreview, BroadcastReport, BroadcastView } from '../../handlers/broadcasts/index.js';
import { type StaffBroadcastsApi, splitTitle } from '../../handlers/staff-broadcasts/index.js';
import type { StaffAccount } from '../../models/staff-account.js';

const CITY = { name: 'Барнаул', timezone: 'Asia/Barnaul', locale: 'ru-RU' };
const ME: StaffAccount = { channel: 'telegram', userId: '7001' };
const AT = { channel: 'telegram' as const, chatId: '7001', messageId: '55' };
const DISTRICTS = [
  { id: 'central', name: 'Центральный район' },
  { id: 'industrial', name: 'Индустриальный район' },
];

const zero = { pending: 0, sending: 0, sent: 0, blocked: 0, failed: 0, skipped: 0 };
const view = (over: Partial<BroadcastView> = {}): BroadcastView => ({
  id: 9,
  title: 'Отключение воды',
  text: 'Завтра с 9 до 18 нет холодной воды.',
  photoUrl: null,
  allowSplit: false,
  segment: { kind: 'subscribers' },
  priority: 'normal',
  status: 'draft',
  author: 'official:1',
  approvedBy: null,
  approvedAt: null,
  scheduledAt: null,
  createdAt: new Date('2026-05-05T03:00:00Z'),
  startedAt: null,
  finishedAt: null,
  recipientsTotal: null,
  ...over,
});
const report = (over: Partial<BroadcastReport> = {}): BroadcastReport => ({
  ...view({ status: 'running', startedAt: new Date('2026-05-05T03:01:00Z'), recipientsTotal: 3 }),
  totals: { ...zero, pending: 3 },
  byChannel: { telegram: { ...zero, pending: 3 } },
  ratePerMinute: 0,
  etaSeconds: null,
  ...over,
});
const preview = (over: Partial<BroadcastPreview> = {}): BroadcastPreview => ({
  broadcastId: 9,
  recipients: 3,
  byChannel: { telegram: 2, max: 1 },
  excluded: { optedOut: 1, noPrivateChat: 0 },
  needsApproval: false,
  approvalThreshold: 1000,
  approved: false,
  unsendable: [],
  ...over,
});
const ok = <T>(value: T): BroadcastOutcome<T> => ({ status: 'ok', value });

/** A StaffBroadcastsApi that answers as told and records the calls. */
function fake(over: Partial<StaffBroadcastsApi> = {}) {
  const calls: string[] = [];
  const api: StaffBroadcastsApi = {
    districts: () => DISTRICTS,
    begin: async () => {
      calls.push('begin');
      return 'waiting';
    },
    compose: async (_a, text) => {
      calls.push(`compose:${text}`);
      return ok(view());
    },
    choose: async (_a, id, district) => {
      calls.push(`choose:${id}:${district}`);
      return ok({
        broadcast: view({ segment: { kind: 'subscribers', ...(district ? { districts: [district] } : {}) } }),
        preview: preview(),
      });
    },
    start: async (_a, id, pressed) => {
      calls.push(`start:${id}:${pressed?.messageId ?? 'none'}`);
      return ok(report());
    },
    approve: async (_a, id) => {
      calls.push(`approve:${id}`);
      return ok(view({ approvedBy: 'official:2' }));
    },
    control: async (_a, id, op) => {
      calls.push(`${op}:${id}`);
      return ok(report({ status: op === 'pause' ? 'paused' : op === 'resume' ? 'running' : 'cancelled' }));
    },
    report: async () => ok(report()),
    setProgressMessage: async () => {},
    ...over,
  };
  return { deps: { city: CITY, staffBroadcasts: api }, calls };
}

const labels = (buttons: Button[][] | undefined) => (buttons ?? []).map((row) => row.map((b) => b.label));
const actions = (buttons: Button[][] | undefined) =>
  (buttons ?? []).flat().map((b) => ('action' in b ? b.action : null)) as (ButtonAction | null)[];
const press = (deps: ReturnType<typeof fake>['deps'], action: ButtonAction, at = AT) => {
  if (!isStaffAction(action)) throw new Error('not a staff action');
  return staffPress(deps, ME, action, '@me', at);
};

describe('the /broadcast wizard (staff conversation, any messenger)', () => {
  it('when /broadcast is typed, then the text is asked for; a role that may not gets a polite refusal', async () => {
    expect(STAFF_COMMANDS).toContain('broadcast');
    const { deps, calls } = fake();
    expect(await staffCommand(deps, ME, 'broadcast', '')).toEqual({ text: ru.broadcastStaff.askText });
    expect(calls).toEqual(['begin']);
    const refused = fake({ begin: async () => 'forbidden' });
    expect(await staffCommand(refused.deps, ME, 'broadcast', '')).toEqual({ text: ru.broadcastStaff.notAllowed });
  });

  it('when the next text comes, then it is the draft and the audience buttons follow; a text nothing waits for goes on', async () => {
    const { deps, calls } = fake();
    const reply = await officialText(deps, ME, 'Отключение воды\nЗавтра с 9 до 18 нет холодной воды.', undefined);
    expect(reply?.text).toBe('Черновик «Отключение воды» сохранён. Кому отправить?');
    expect(labels(reply?.buttons)).toEqual([['Все подписчики'], ['Центральный район', 'Индустриальный район'], ['Отменить']]);
    expect(actions(reply?.buttons)[1]).toEqual({ type: 'broadcast_segment', broadcastId: 9, district: 'central' });
    expect(calls).toEqual(['compose:Отключение воды\nЗавтра с 9 до 18 нет холодной воды.']);

    // Nothing waits: the text is someone else's business (no answers wired here, so nobody's).
    const idle = fake({ compose: async () => null });
    expect(await officialText(idle.deps, ME, 'Яма у дома', undefined)).toBeNull();
    // A reply to a message naming a case is an answer, never the broadcast's text.
    const waiting = fake();
    await officialText(waiting.deps, ME, 'Сделано', 'Обращение МЦУ-2026-000123: яма');
    expect(waiting.calls).toEqual([]);
  });

  it('when the text is too long or empty, then the author is told what to fix (the wait stays on in the handler)', async () => {
    const tooLong = fake({
      compose: async () => ({ status: 'invalid', code: 'TEXT_TOO_LONG', message: 'text is 5000 characters', field: 'text' }),
    });
    expect((await officialText(tooLong.deps, ME, 'x'.repeat(5000), undefined))?.text).toBe(ru.broadcastStaff.textTooLong(4000));
    const photo = await officialText(fake().deps, ME, 'Подпись', undefined, [{ telegramFileId: 'f' }]);
    expect(photo?.text).toContain(ru.broadcastStaff.photoNotAttached);
  });

  it('when a district is chosen, then the preview shows the recipients per channel, who is left out, and «Запустить» / «Отменить»', async () => {
    const { deps, calls } = fake();
    const outcome = await press(deps, { type: 'broadcast_segment', broadcastId: 9, district: 'industrial' });
    expect(calls).toEqual(['choose:9:industrial']);
    expect(outcome?.reply?.text).toContain('Рассылка «Отключение воды» — подписчики района «Индустриальный район».');
    expect(outcome?.reply?.text).toContain('Получателей: 3 (Telegram 2, MAX 1).');
    expect(outcome?.reply?.text).toContain('отказались от всех рассылок — 1');
    expect(labels(outcome?.reply?.buttons)).toEqual([['Запустить', 'Отменить']]);

    const big = fake({
      choose: async () => ok({ broadcast: view(), preview: preview({ recipients: 1500, needsApproval: true }) }),
    });
    const asked = await press(big.deps, { type: 'broadcast_segment', broadcastId: 9, district: null });
    expect(asked?.reply?.text).toContain('перед запуском рассылку должен одобрить второй сотрудник');
    expect(labels(asked?.reply?.buttons)).toEqual([['Отправить на согласование', 'Отменить']]);

    const nobody = fake({ choose: async () => ok({ broadcast: view(), preview: preview({ recipients: 0, byChannel: {} }) }) });
    const empty = await press(nobody.deps, { type: 'broadcast_segment', broadcastId: 9, district: 'central' });
    expect(empty?.reply?.text).toContain('Никто её не получит: в этом районе нет подписчиков');
    expect(labels(empty?.reply?.buttons)).toEqual([['Отменить']]);
  });

  it('when «Запустить» is pressed, then the pressed message is handed over and becomes the progress message', async () => {
    const { deps, calls } = fake();
    const outcome = await press(deps, { type: 'broadcast', broadcastId: 9, op: 'start' });
    expect(calls).toEqual(['start:9:55']);
    expect(outcome).toMatchObject({ notice: ru.broadcastStaff.started, progressOf: 9 });
    expect(outcome?.edit?.text).toMatch(/^Рассылка «Отключение воды»: идёт\n░░░░░░░░░░ 0 %\nОтправлено 0 из 3/);
    expect(labels(outcome?.edit?.buttons)).toEqual([['Пауза', 'Отменить']]);
  });

  it('when an approval is needed, then the author hears who was asked and the preview keeps only «Отменить»', async () => {
    const { deps } = fake({
      start: async () => ({ status: 'approval_requested', broadcastId: 9, threshold: 1000, approvers: 2 }),
    });
    const outcome = await press(deps, { type: 'broadcast', broadcastId: 9, op: 'start' });
    expect(outcome?.reply?.text).toContain('Запрос отправлен 2 сотрудникам с правом согласования');
    expect(labels(outcome?.buttons)).toEqual([['Отменить']]);
    const alone = fake({ start: async () => ({ status: 'approval_requested', broadcastId: 9, threshold: 1000, approvers: 0 }) });
    expect((await press(alone.deps, { type: 'broadcast', broadcastId: 9, op: 'start' }))?.reply?.text).toContain(
      'POST /api/v1/broadcasts/9/approve',
    );
  });

  it('when the API refuses, then the words are polite: nobody to send to (with the district), started twice, self-approval, a role', async () => {
    const empty = fake({
      start: async () => ({ status: 'empty', code: 'EMPTY_SEGMENT', message: 'no active subscriber matches' }),
      report: async () => ok(report({ status: 'draft', segment: { kind: 'subscribers', districts: ['central'] } })),
    });
    expect((await press(empty.deps, { type: 'broadcast', broadcastId: 9, op: 'start' }))?.reply?.text).toBe(
      ru.broadcastStaff.emptySegment('Центральный район'),
    );
    const twice = fake({ start: async () => ({ status: 'conflict', code: 'ALREADY_STARTED', message: 'already running' }) });
    expect(await press(twice.deps, { type: 'broadcast', broadcastId: 9, op: 'start' })).toEqual({
      notice: ru.broadcastStaff.alreadyStarted,
    });
    const self = fake({ approve: async () => ({ status: 'forbidden', code: 'SELF_APPROVAL', message: 'second person' }) });
    expect((await press(self.deps, { type: 'broadcast', broadcastId: 9, op: 'approve' }))?.notice).toBe(
      ru.broadcastStaff.selfApproval,
    );
    const role = fake({ approve: async () => ({ status: 'forbidden', code: 'APPROVER_ROLE', message: 'roles' }) });
    expect((await press(role.deps, { type: 'broadcast', broadcastId: 9, op: 'approve' }))?.notice).toBe(
      ru.broadcastStaff.approverRole,
    );
    const stranger = fake({ choose: async () => ({ status: 'forbidden', code: 'NOT_STAFF', message: 'not staff' }) });
    expect((await press(stranger.deps, { type: 'broadcast_segment', broadcastId: 9, district: null }))?.notice).toBe(
      ru.broadcastStaff.notAllowed,
    );
    const gone = fake({ control: async () => ({ status: 'not_found', code: 'NOT_FOUND', message: 'broadcast 9 not found' }) });
    expect((await press(gone.deps, { type: 'broadcast', broadcastId: 9, op: 'pause' }))?.notice).toBe(ru.staleButton);
  });

  it('when a second person approves, then their message says so and loses its button', async () => {
    const { deps, calls } = fake();
    const outcome = await press(deps, { type: 'broadcast', broadcastId: 9, op: 'approve' });
    expect(calls).toEqual(['approve:9']);
    expect(outcome?.edit).toEqual({ text: ru.broadcastStaff.approvedByYou('Отключение воды'), buttons: [] });
  });

  it('when «Пауза», «Продолжить» or «Отменить» is pressed, then the progress message is redrawn with the buttons of the new status', async () => {
    const { deps } = fake();
    const paused = await press(deps, { type: 'broadcast', broadcastId: 9, op: 'pause' });
    expect(paused).toMatchObject({ notice: ru.broadcastStaff.paused, progressOf: 9 });
    expect(labels(paused?.edit?.buttons)).toEqual([['Продолжить', 'Отменить']]);
    const cancelled = await press(deps, { type: 'broadcast', broadcastId: 9, op: 'cancel' });
    expect(cancelled?.edit?.text).toContain('отменена');
    expect(cancelled?.edit?.buttons).toEqual([]);
    // A draft cancelled from its preview never sent anything.
    const draft = fake({ control: async () => ok(report({ status: 'cancelled', startedAt: null })) });
    expect((await press(draft.deps, { type: 'broadcast', broadcastId: 9, op: 'cancel' }))?.edit).toEqual({
      text: ru.broadcastStaff.draftCancelled('Отключение воды'),
      buttons: [],
    });
    const late = fake({
      control: async () => ({ status: 'conflict', code: 'WRONG_STATE', message: 'done' }),
      report: async () => ok(report({ status: 'done' })),
    });
    expect(await press(late.deps, { type: 'broadcast', broadcastId: 9, op: 'pause' })).toEqual({
      notice: ru.broadcastStaff.wrongState('done'),
    });
  });

  it('when a message becomes a broadcast, then its first line is the title (at most 80 characters) and the rest the text', () => {
    expect(splitTitle('  Отключение воды \n\nЗавтра нет воды.\nС 9 до 18.')).toEqual({
      title: 'Отключение воды',
      text: 'Завтра нет воды.\nС 9 до 18.',
    });
    expect(splitTitle('Одна строка')).toEqual({ title: 'Одна строка', text: 'Одна строка' });
    const long = `${'а'.repeat(100)}\nтекст`;
    expect(splitTitle(long).title).toHaveLength(80);
    expect(splitTitle(long).title.endsWith('…')).toBe(true);
  });
});
