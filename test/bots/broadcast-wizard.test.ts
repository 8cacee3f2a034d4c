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

const PROBLEMS = [
  { id: 31, title: 'Нет холодной воды — Индустриальный район', cases: 42 },
  { id: 17, title: 'Ямы на дорогах — Центральный район', cases: 12 },
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
  notStartedReason: null,
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
    problems: async () => {
      calls.push('problems');
      return ok(PROBLEMS);
    },
    chooseProblem: async (_a, id, problemId) => {
      calls.push(`problem:${id}:${problemId}`);
      return ok({
        broadcast: view({ segment: { kind: 'problem', problemId } }),
        preview: preview({ recipients: 2, byChannel: { telegram: 1, vk: 1 }, excluded: { optedOut: 0, noPrivateChat: 3 } }),
        problem: 'Нет холодной воды — Индустриальный район',
      });
    },
    setPriority: async (_a, id, priority) => {
      calls.push(`priority:${id}:${priority}`);
      return ok(view({ priority }));
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
    expect(labels(reply?.buttons)).toEqual([
      ['Все подписчики'],
      ['Центральный район', 'Индустриальный район'],
      ['Жителям по проблеме'],
      ['🚨 Экстренная'],
      ['Отменить'],
    ]);
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
    // A one-line message is its title (80 characters) and its text: 4,000 less the title's line is left for the text.
    expect((await officialText(tooLong.deps, ME, 'x'.repeat(5000), undefined))?.text).toBe(ru.broadcastStaff.textTooLong(3919));
    expect((await officialText(tooLong.deps, ME, `Вода\n${'x'.repeat(5000)}`, undefined))?.text).toBe(
      ru.broadcastStaff.textTooLong(3995),
    );
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

  it('when «Жителям по проблеме» is pressed, then the largest open problems are offered; a problem chosen gives its citizens’ preview', async () => {
    const { deps, calls } = fake();
    const offered = await press(deps, { type: 'broadcast', broadcastId: 9, op: 'problems' });
    expect(calls).toEqual(['problems']);
    expect(offered?.reply?.text).toBe(ru.broadcastStaff.chooseProblem);
    expect(labels(offered?.reply?.buttons)).toEqual([
      ['№ 31 · Нет холодной воды — Индустриальный район (42)'],
      ['№ 17 · Ямы на дорогах — Центральный район (12)'],
      ['Отменить'],
    ]);
    expect(actions(offered?.reply?.buttons)[0]).toEqual({ type: 'broadcast_problem', broadcastId: 9, problemId: 31 });

    const chosen = await press(deps, { type: 'broadcast_problem', broadcastId: 9, problemId: 31 });
    expect(calls).toEqual(['problems', 'problem:9:31']);
    expect(chosen?.reply?.text).toContain(
      'Рассылка «Отключение воды» — жители, чьи обращения связаны с проблемой «Нет холодной воды — Индустриальный район».',
    );
    expect(chosen?.reply?.text).toContain('Получателей: 2 (Telegram 1, VK 1).');
    expect(chosen?.reply?.text).toContain('не писали боту в личные сообщения — 3');
    expect(labels(chosen?.reply?.buttons)).toEqual([['Запустить', 'Отменить']]);

    const none = fake({ problems: async () => ok([]) });
    expect((await press(none.deps, { type: 'broadcast', broadcastId: 9, op: 'problems' }))?.reply).toEqual({
      text: ru.broadcastStaff.noProblems,
    });
    const nobody = fake({
      chooseProblem: async () =>
        ok({ broadcast: view(), preview: preview({ recipients: 0, byChannel: {} }), problem: 'Нет воды' }),
    });
    const empty = await press(nobody.deps, { type: 'broadcast_problem', broadcastId: 9, problemId: 31 });
    expect(empty?.reply?.text).toContain(`Никто её не получит: ${ru.broadcastStaff.nobodyInProblem}`);
    const startEmpty = fake({
      start: async () => ({ status: 'empty', code: 'EMPTY_SEGMENT', message: 'nobody' }),
      report: async () => ok(report({ status: 'draft', segment: { kind: 'problem', problemId: 31 } })),
    });
    expect((await press(startEmpty.deps, { type: 'broadcast', broadcastId: 9, op: 'start' }))?.reply?.text).toBe(
      ru.broadcastStaff.emptyProblem,
    );
    const gone = fake({
      chooseProblem: async () => ({
        status: 'invalid',
        code: 'UNKNOWN_ID',
        message: 'unknown problem 31',
        field: 'segment.problemId',
      }),
    });
    expect((await press(gone.deps, { type: 'broadcast_problem', broadcastId: 9, problemId: 31 }))?.notice).toBe(
      ru.broadcastStaff.unknownProblem,
    );
    const stranger = fake({ problems: async () => ({ status: 'forbidden', code: 'NOT_STAFF', message: 'not staff' }) });
    expect((await press(stranger.deps, { type: 'broadcast', broadcastId: 9, op: 'problems' }))?.notice).toBe(
      ru.broadcastStaff.notAllowed,
    );
  });

  it('when «Экстренная» is pressed, then the draft becomes an emergency one and the audience message says so, with the toggle to undo it', async () => {
    const { deps, calls } = fake();
    const on = await press(deps, { type: 'broadcast', broadcastId: 9, op: 'emergency' });
    expect(calls).toEqual(['priority:9:emergency']);
    expect(on?.notice).toBe(ru.broadcastStaff.emergencyOn);
    expect(on?.edit?.text).toBe(ru.broadcastStaff.chooseAudience('Отключение воды', 'emergency'));
    expect(on?.edit?.text).toContain('экстренная рассылка');
    expect(labels(on?.edit?.buttons).slice(-2)).toEqual([['✅ Экстренная'], ['Отменить']]);
    expect(actions(on?.edit?.buttons).at(-2)).toEqual({ type: 'broadcast', broadcastId: 9, op: 'normal' });

    const off = await press(deps, { type: 'broadcast', broadcastId: 9, op: 'normal' });
    expect(calls.at(-1)).toBe('priority:9:normal');
    expect(off?.notice).toBe(ru.broadcastStaff.emergencyOff);
    expect(labels(off?.edit?.buttons).at(-2)).toEqual(['🚨 Экстренная']);

    // The preview of an emergency one says it goes at once, quiet hours or not.
    const urgent = fake({ choose: async () => ok({ broadcast: view({ priority: 'emergency' }), preview: preview() }) });
    const previewed = await press(urgent.deps, { type: 'broadcast_segment', broadcastId: 9, district: null });
    expect(previewed?.reply?.text).toContain('Экстренная: уйдёт сразу, в том числе в тихие часы');

    // The mark above the title takes room: a text that only just fits is refused as an emergency.
    const tooLong = fake({
      setPriority: async () => ({ status: 'invalid', code: 'TEXT_TOO_LONG', message: 'too long', field: 'text' }),
    });
    expect((await press(tooLong.deps, { type: 'broadcast', broadcastId: 9, op: 'emergency' }))?.notice).toBe(
      ru.broadcastStaff.tooLongForEmergency(4000 - 'Отключение воды'.length - 1 - '‼️ Экстренное сообщение'.length - 1),
    );
    const started = fake({ setPriority: async () => ({ status: 'conflict', code: 'NOT_A_DRAFT', message: 'running' }) });
    expect((await press(started.deps, { type: 'broadcast', broadcastId: 9, op: 'emergency' }))?.notice).toBe(
      ru.broadcastStaff.notADraft,
    );
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
