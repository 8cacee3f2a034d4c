import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import type { MaxApiPort } from '../../../bots/max/api.js';
import { MaxError } from '../../../bots/max/api.js';
import { MaxAdapter } from '../../../bots/max/outbound.js';
import { audienceButtons, previewButtons, problemButtons } from '../../../bots/outbound/broadcast-staff-buttons.js';
import type { Button, ButtonAction } from '../../../bots/outbound/buttons.js';
import { createChannelPort, type MessengerAdapter } from '../../../bots/outbound/channel-port.js';
import { type Rendered, render } from '../../../bots/outbound/render.js';
import { TelegramAdapter } from '../../../bots/telegram/outbound.js';
import type { VkApiPort } from '../../../bots/vk/api.js';
import { VkAdapter } from '../../../bots/vk/outbound.js';
import type { BroadcastProgress, OutboundMessage, Recipient } from '../../../models/outbound.js';

const CITY = { name: 'Барнаул', timezone: 'Asia/Barnaul', locale: 'ru-RU' };
const TG: Recipient = { channel: 'telegram', chatId: '42' };

const pressOf = (b: Button): [string, ButtonAction | string] => [b.label, 'url' in b ? b.url : b.action];
const shown = (message: OutboundMessage) => {
  const r = render(message, TG, CITY);
  return { text: r.text, buttons: r.buttons.map((row) => row.map(pressOf)) };
};

const zero = { pending: 0, sending: 0, sent: 0, blocked: 0, failed: 0, skipped: 0 };
const progress = (over: Partial<BroadcastProgress> = {}): BroadcastProgress => ({
  id: 42,
  title: 'Отключение воды',
  status: 'running',
  totals: { ...zero, pending: 470, sending: 10, sent: 500, blocked: 15, failed: 3, skipped: 2 },
  byChannel: {
    telegram: { ...zero, pending: 300, sent: 400, blocked: 10 },
    vk: { ...zero, pending: 170, sending: 10, sent: 100, blocked: 5, failed: 3, skipped: 2 },
  },
  ratePerMinute: 600,
  etaSeconds: 48,
  startedAt: new Date('2026-05-05T03:00:00Z'),
  finishedAt: null,
  ...over,
});

describe('the staff broadcasts’ messages: progress, summary, approval', () => {
  it('when a broadcast is running, then its progress shows a bar, sent of total, the refusals, the rate and the time left, with «Пауза» / «Отменить»', () => {
    const { text, buttons } = shown({ kind: 'broadcast_progress', progress: progress() });
    expect(text).toBe(
      [
        'Рассылка «Отключение воды»: идёт',
        '▓▓▓▓▓░░░░░ 52 %',
        'Отправлено 500 из 1\u00a0000',
        'Заблокировали бота: 15 · ошибки: 3 · пропущено: 2',
        'Скорость: 600 в минуту · осталось ≈ 48 с',
      ].join('\n'),
    );
    expect(buttons).toEqual([
      [
        ['Пауза', { type: 'broadcast', broadcastId: 42, op: 'pause' }],
        ['Отменить', { type: 'broadcast', broadcastId: 42, op: 'cancel' }],
      ],
    ]);
  });

  it('when it is paused or has ended, then the buttons follow: «Продолжить» / «Отменить», then none, and no time left', () => {
    const paused = shown({ kind: 'broadcast_progress', progress: progress({ status: 'paused', etaSeconds: null }) });
    expect(paused.text).toContain('на паузе');
    expect(paused.text).not.toContain('осталось');
    expect(paused.buttons).toEqual([
      [
        ['Продолжить', { type: 'broadcast', broadcastId: 42, op: 'resume' }],
        ['Отменить', { type: 'broadcast', broadcastId: 42, op: 'cancel' }],
      ],
    ]);
    const done = shown({
      kind: 'broadcast_progress',
      progress: progress({ status: 'done', totals: { ...zero, sent: 990, blocked: 10 }, etaSeconds: null }),
    });
    expect(done.text).toContain('▓▓▓▓▓▓▓▓▓▓ 100 %');
    expect(done.buttons).toEqual([]);
  });

  it('when it ended, then the summary gives totals by status and channel, the duration, the average rate and where the CSV is', () => {
    const { text, buttons } = shown({
      kind: 'broadcast_summary',
      progress: progress({
        status: 'done',
        totals: { ...zero, sent: 900, blocked: 60, failed: 25, skipped: 15 },
        byChannel: {
          telegram: { ...zero, sent: 600, blocked: 20 },
          vk: { ...zero, sent: 300, blocked: 40, failed: 25, skipped: 15 },
        },
        finishedAt: new Date('2026-05-05T03:12:30Z'),
      }),
    });
    expect(text).toBe(
      [
        'Рассылка «Отключение воды» завершена.',
        'Получателей: 1\u00a0000 — доставлено 900, заблокировали бота 60, ошибки 25, пропущено 15.',
        'По каналам: Telegram — 600 из 620; VK — 300 из 380.',
        'Длительность: 12 мин 30 с, в среднем 72 в минуту.',
        'Кто получил и кто нет (с причинами): GET /api/v1/broadcasts/42/recipients.csv',
      ].join('\n'),
    );
    expect(buttons).toEqual([]);
    expect(shown({ kind: 'broadcast_summary', progress: progress({ status: 'cancelled' }) }).text).toMatch(
      /^Рассылка «Отключение воды» отменена\./,
    );
  });

  it('when an approval is asked or given, then the approver gets «Одобрить» and the author «Запустить» / «Отменить»', () => {
    const base = {
      broadcastId: 42,
      title: 'Отключение воды',
      text: 'Завтра с 9 до 18 нет воды.',
      recipients: 1500,
      threshold: 1000,
    };
    const asked = shown({ kind: 'broadcast_approval', approval: { ...base, step: 'requested', by: 'Иванова А. П.' } });
    expect(asked.text).toContain('Нужно согласовать рассылку «Отключение воды»: получателей — 1\u00a0500 (больше 1\u00a0000).');
    expect(asked.text).toContain('Автор: Иванова А. П.');
    expect(asked.text).toContain('Завтра с 9 до 18 нет воды.');
    expect(asked.buttons).toEqual([[['Одобрить', { type: 'broadcast', broadcastId: 42, op: 'approve' }]]]);
    const given = shown({ kind: 'broadcast_approval', approval: { ...base, step: 'approved', by: 'Петров П. П.' } });
    expect(given.text).toContain('одобрил(а) Петров П. П.');
    expect(given.buttons).toEqual([
      [
        ['Запустить', { type: 'broadcast', broadcastId: 42, op: 'start' }],
        ['Отменить', { type: 'broadcast', broadcastId: 42, op: 'cancel' }],
      ],
    ]);
  });

  it('when the wizard asks for the audience, then «Все подписчики» comes first, the districts two to a row, «Жителям по проблеме» and the «Экстренная» toggle', () => {
    const rows = audienceButtons(7, [
      { id: 'central', name: 'Центральный район' },
      { id: 'industrial', name: 'Индустриальный район' },
      { id: 'lenin', name: 'Ленинский район' },
    ]).map((row) => row.map(pressOf));
    expect(rows).toEqual([
      [['Все подписчики', { type: 'broadcast_segment', broadcastId: 7, district: null }]],
      [
        ['Центральный район', { type: 'broadcast_segment', broadcastId: 7, district: 'central' }],
        ['Индустриальный район', { type: 'broadcast_segment', broadcastId: 7, district: 'industrial' }],
      ],
      [['Ленинский район', { type: 'broadcast_segment', broadcastId: 7, district: 'lenin' }]],
      [['Жителям по проблеме', { type: 'broadcast', broadcastId: 7, op: 'problems' }]],
      [['🚨 Экстренная', { type: 'broadcast', broadcastId: 7, op: 'emergency' }]],
      [['Отменить', { type: 'broadcast', broadcastId: 7, op: 'cancel' }]],
    ]);
    // An emergency draft: the toggle shows it is on, and turns it off.
    expect(audienceButtons(7, [], 'emergency').map((row) => row.map(pressOf))[2]).toEqual([
      ['✅ Экстренная', { type: 'broadcast', broadcastId: 7, op: 'normal' }],
    ]);
  });

  it('when problems are offered, then one button each (number, label, cases; at most 60 characters), then «Отменить»', () => {
    const rows = problemButtons(7, [
      { id: 31, title: 'Нет холодной воды — Индустриальный район', cases: 1234 },
      { id: 5, title: `Очень длинное название проблемы ${'а'.repeat(80)}`, cases: 2 },
    ]).map((row) => row.map(pressOf));
    expect(rows[0]).toEqual([
      [
        `№ 31 · Нет холодной воды — Индустриальный район (${(1234).toLocaleString('ru-RU')})`,
        { type: 'broadcast_problem', broadcastId: 7, problemId: 31 },
      ],
    ]);
    expect(rows[1]?.[0]?.[0]).toHaveLength(61);
    expect(rows[2]).toEqual([['Отменить', { type: 'broadcast', broadcastId: 7, op: 'cancel' }]]);
  });

  it('when a scheduled broadcast did not start, then its author reads why, with «Отправить на согласование» or only «Отменить»', () => {
    const base = { broadcastId: 42, title: 'Отключение воды', recipients: 1500, threshold: 1000 };
    const approval = shown({ kind: 'broadcast_not_started', notice: { ...base, why: 'approval' } });
    const n = (x: number) => x.toLocaleString('ru-RU');
    expect(approval.text).toContain(
      `по расписанию не запущена: получателей стало ${n(1500)} — больше ${n(1000)}, а согласования нет`,
    );
    expect(approval.buttons).toEqual([
      [
        ['Отправить на согласование', { type: 'broadcast', broadcastId: 42, op: 'start' }],
        ['Отменить', { type: 'broadcast', broadcastId: 42, op: 'cancel' }],
      ],
    ]);
    const empty = shown({ kind: 'broadcast_not_started', notice: { ...base, recipients: 0, why: 'empty' } });
    expect(empty.text).toContain('сейчас её некому отправить');
    expect(empty.buttons).toEqual([[['Отменить', { type: 'broadcast', broadcastId: 42, op: 'cancel' }]]]);
  });

  it('when the preview needs an approval or reaches nobody, then its first button says so or is gone', () => {
    const labels = (p: Parameters<typeof previewButtons>[1]) => previewButtons(7, p).map((row) => row.map((b) => b.label));
    expect(labels({ recipients: 10, needsApproval: false, approved: false })).toEqual([['Запустить', 'Отменить']]);
    expect(labels({ recipients: 2000, needsApproval: true, approved: false })).toEqual([
      ['Отправить на согласование', 'Отменить'],
    ]);
    expect(labels({ recipients: 2000, needsApproval: true, approved: true })).toEqual([['Запустить', 'Отменить']]);
    expect(labels({ recipients: 0, needsApproval: false, approved: false })).toEqual([['Отменить']]);
  });
});

describe('the channel port’s edit', () => {
  const rendered: Rendered = {
    text: 'Рассылка «Вода»: идёт',
    buttons: [[{ label: 'Пауза', action: { type: 'broadcast', broadcastId: 5, op: 'pause' }, tone: 'secondary' }]],
    photos: [],
  };
  const grammyError = (code: number, description: string) =>
    new GrammyError(`Call to 'editMessageText' failed!`, { ok: false, error_code: code, description }, 'editMessageText', {});

  it('when Telegram edits, then the text and the inline keyboard go to editMessageText; "not modified" counts as sent', async () => {
    const calls: unknown[][] = [];
    let answer: Error | null = null;
    const adapter = new TelegramAdapter({
      sendMessage: async () => ({}) as never,
      sendPhoto: async () => ({}) as never,
      editMessageText: async (...args: unknown[]) => {
        calls.push(args);
        if (answer) throw answer;
        return true as never;
      },
    });
    expect(await adapter.edit(rendered, TG, '77', 'r')).toEqual({ status: 'sent', messageId: '77' });
    expect(calls[0]?.slice(0, 3)).toEqual(['42', 77, 'Рассылка «Вода»: идёт']);
    expect(JSON.stringify(calls[0]?.[3])).toContain('"callback_data":"bc:5:pause"');
    answer = grammyError(
      400,
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same',
    );
    expect(await adapter.edit(rendered, TG, '77', 'r')).toEqual({ status: 'sent', messageId: '77' });
    answer = grammyError(400, 'Bad Request: message to edit not found');
    expect(await adapter.edit(rendered, TG, '77', 'r')).toMatchObject({ status: 'failed' });
    answer = grammyError(403, 'Forbidden: bot was blocked by the user');
    expect(await adapter.edit(rendered, TG, '77', 'r')).toMatchObject({ status: 'blocked' });
  });

  it('when MAX edits, then PUT /messages gets the text and the keyboard; a message MAX lost is a failure, not a block', async () => {
    const edits: { mid: string; message: unknown }[] = [];
    let fail: Error | null = null;
    const api = {
      edit: async (mid: string, message: unknown) => {
        if (fail) throw fail;
        edits.push({ mid, message });
      },
    } as unknown as MaxApiPort;
    const adapter = new MaxAdapter(api);
    expect(await adapter.edit(rendered, { channel: 'max', chatId: '900' }, 'mid.1', 'r')).toEqual({
      status: 'sent',
      messageId: 'mid.1',
    });
    expect(JSON.stringify(edits[0])).toContain('"payload":"bc:5:pause"');
    expect(edits[0]).toMatchObject({ mid: 'mid.1', message: { text: 'Рассылка «Вода»: идёт' } });
    fail = new MaxError(404, { code: 'not.found', message: 'Message not found' });
    expect(await adapter.edit(rendered, { channel: 'max', chatId: '900' }, 'mid.1', 'r')).toMatchObject({ status: 'failed' });
  });

  it('when the messenger cannot edit (VK, or an adapter without edit), then the port says failed and sends nothing', async () => {
    const vk = new VkAdapter({} as VkApiPort);
    expect(await vk.edit(rendered, { channel: 'vk', chatId: '1' }, '1', 'r')).toEqual({
      status: 'failed',
      reason: 'editing messages is not supported on vk',
    });
    const sends: string[] = [];
    const sendOnly: MessengerAdapter = {
      send: async (m) => {
        sends.push(m.text);
        return { status: 'sent' };
      },
    };
    const port = createChannelPort({ telegram: sendOnly }, CITY);
    const message: OutboundMessage = { kind: 'broadcast_progress', progress: progress() };
    expect(await port.edit(TG, '1', message, 'r')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/not supported on telegram/),
    });
    expect(await port.edit({ channel: 'max', chatId: '1' }, '1', message, 'r')).toMatchObject({
      status: 'failed',
      reason: 'no max sender in this instance',
    });
    expect(sends).toEqual([]);
  });
});
