import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelPort } from '../../bots/outbound/channel-port.js';
import { createTelegramApi } from '../../bots/telegram/create-bot.js';
import { TelegramAdapter } from '../../bots/telegram/outbound.js';
import { ru } from '../../bots/texts/ru.js';
import { type DomainConfig, domainConfigSchema } from '../../config/domain.js';
import { notifyBroadcastApproval } from '../../handlers/staff-broadcasts/index.js';
import { findBroadcast } from '../../models/broadcast-repository.js';
import type { App } from '../../src/app.js';
import type { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { startTelegramApp, testDomain, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { seedOfficial } from '../helpers/rows.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';

/** What the emulator keeps of each message the bot sent (edits update it in place). */
interface BotRecord {
  messageId: number;
  message: {
    chat_id?: number | string;
    text?: string;
    reply_markup?: { inline_keyboard?: { text: string; callback_data: string }[][] };
  };
}

/** Barnaul with broadcasts to more than 3 recipients needing a second person's approval. */
function domain(): DomainConfig {
  const d = testDomain();
  const broadcasts = d.broadcasts;
  if (!broadcasts) throw new Error('the domain file has no broadcasts section');
  return domainConfigSchema.parse({
    ...d,
    broadcasts: { ...broadcasts, approval: { ...broadcasts.approval, aboveRecipients: 3 } },
  });
}

describe('Telegram: the staff’s /broadcast wizard (emulator, real bot code)', () => {
  let testDb: TestDatabase;
  let emulator: TelegramEmulator;
  let app: App;
  let stop: () => Promise<void>;
  /** The head of the МЦУ: writes broadcasts (and may approve others'). */
  const AUTHOR = 7301;
  /** A coordinator: approves. */
  const APPROVER = 7302;
  const CITIZEN = 7399;
  const db = () => testDb.handle.db;

  beforeAll(async () => {
    ({ testDb, emulator, app, stop } = await startTelegramApp({ database: 'tg_broadcast_wizard', domain: domain() }));
    await seedOfficial(db(), { role: 'head', department: 'mcu', name: 'Соколова И. В.', telegram: String(AUTHOR) });
    await seedOfficial(db(), { role: 'coordinator', department: 'mcu', name: 'Орлов Д. С.', telegram: String(APPROVER) });
    // Four subscribers on Telegram: two in Индустриальный, two in Центральный.
    for (const [chat, district] of [
      [7311, 'industrial'],
      [7312, 'industrial'],
      [7313, 'central'],
      [7314, 'central'],
    ] as const) {
      const c = await db()
        .insertInto('citizen')
        .values({ channel: 'telegram', external_id: String(chat), display_name: `Житель ${chat}`, consent: 'given' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db()
        .insertInto('subscription')
        .values({ citizen_id: c.id, channel: 'telegram', chat_id: String(chat), districts: [district] })
        .execute();
    }
  });
  afterAll(() => stop?.());

  const client = (userId: number) =>
    emulator.server.getClient(emulator.token, { userId, chatId: userId, firstName: 'Сотрудник' });
  const records = (chat: number) =>
    (emulator.server as unknown as { storage: { botMessages: BotRecord[] } }).storage.botMessages.filter(
      (r) => String(r.message.chat_id) === String(chat),
    );
  /** The bot's latest message to `chat` with a button whose data matches. */
  const withButton = (chat: number, data: RegExp) =>
    records(chat).findLast((r) => (r.message.reply_markup?.inline_keyboard ?? []).flat().some((b) => data.test(b.callback_data)));
  const buttonsOf = (r: BotRecord | undefined) => (r?.message.reply_markup?.inline_keyboard ?? []).flat();
  /** Presses a button under the bot's message `under` (the callback carries that message, as Telegram's does). */
  const press = async (user: number, data: string, under: BotRecord | undefined) => {
    const c = client(user);
    await c.sendCallback(c.makeCallbackQuery(data, { message: { message_id: under?.messageId, text: under?.message.text } }));
  };
  const say = async (user: number, text: string, expect: RegExp) => {
    const seen = botMessagesTo(emulator.server, user).length;
    const c = client(user);
    await (text.startsWith('/') ? c.sendCommand(c.makeCommand(text)) : c.sendMessage(c.makeMessage(text)));
    return waitForBotMessage(emulator.server, user, expect, seen);
  };
  /** /broadcast and a text: the new draft's id (from its audience buttons). */
  const draft = async (text: string) => {
    await say(AUTHOR, '/broadcast', /Пришлите текст рассылки/);
    await say(AUTHOR, text, /сохранён\. Кому отправить\?/);
    const audience = withButton(AUTHOR, /^bcs:\d+:\*$/);
    const data = buttonsOf(audience).find((b) => b.callback_data.startsWith('bcs:'))?.callback_data ?? '';
    return { id: Number(data.split(':')[1]), audience };
  };

  it('when a citizen types /broadcast, then they are told politely that broadcasts are МЦУ’s', async () => {
    expect(await say(CITIZEN, '/broadcast', /Рассылки жителям готовят/)).toBe(ru.broadcastStaff.notAllowed);
  });

  it('when the head writes /broadcast → text → a district → «Запустить», then the preview counts the district and becomes the progress message', async () => {
    const { id, audience } = await draft('Отключение воды\nЗавтра с 9 до 18 в Индустриальном районе не будет холодной воды.');
    expect(buttonsOf(audience).map((b) => b.text)).toEqual([
      'Все подписчики',
      ...testDomain().districts.map((d) => d.name),
      'Жителям по проблеме',
      '🚨 Экстренная',
      'Отменить',
    ]);
    let seen = botMessagesTo(emulator.server, AUTHOR).length;
    await press(AUTHOR, `bcs:${id}:industrial`, audience);
    const preview = await waitForBotMessage(emulator.server, AUTHOR, /Получателей: 2 \(Telegram 2\)/, seen);
    expect(preview).toContain('подписчики района «Индустриальный район»');
    const previewed = withButton(AUTHOR, new RegExp(`^bc:${id}:start$`));
    expect(buttonsOf(previewed).map((b) => b.text)).toEqual(['Запустить', 'Отменить']);

    seen = botMessagesTo(emulator.server, AUTHOR).length;
    await press(AUTHOR, `bc:${id}:start`, previewed);
    // The preview itself is now the progress message (edited in place: no new message).
    const progress = await waitFor(() => {
      const r = records(AUTHOR).find((m) => m.messageId === previewed?.messageId);
      return r?.message.text?.startsWith('Рассылка «Отключение воды»:') ? r : undefined;
    });
    expect(progress.message.text).toMatch(/%\nОтправлено \d+ из 2\n/);
    expect(botMessagesTo(emulator.server, AUTHOR).length).toBe(seen);
    const row = await findBroadcast(db(), id);
    expect(row?.status).toMatch(/^(running|done)$/);
    expect(row?.progressMessage).toEqual({
      channel: 'telegram',
      chatId: String(AUTHOR),
      messageId: String(previewed?.messageId),
    });
    const frozen = await db().selectFrom('broadcast_recipient').select('chat_id').where('broadcast_id', '=', id).execute();
    expect(frozen.map((r) => r.chat_id).sort()).toEqual(['7311', '7312']);

    // Pressing «Запустить» again: refused, the progress message stays the one stored.
    await press(AUTHOR, `bc:${id}:start`, previewed);
    await waitFor(async () =>
      (await findBroadcast(db(), id))?.progressMessage?.messageId === String(previewed?.messageId) ? true : undefined,
    );
  });

  it('when the audience is above the threshold, then the approver is asked, the author’s own «Одобрить» is refused, the approver’s is taken, and the author starts it', async () => {
    const { id, audience } = await draft('Плановые работы\nВ субботу плановые работы на сетях во всём городе.');
    let seen = botMessagesTo(emulator.server, AUTHOR).length;
    await press(AUTHOR, `bcs:${id}:*`, audience);
    const preview = await waitForBotMessage(emulator.server, AUTHOR, /Получателей: 4/, seen);
    expect(preview).toContain('перед запуском рассылку должен одобрить второй сотрудник');
    const previewed = withButton(AUTHOR, new RegExp(`^bc:${id}:start$`));
    expect(buttonsOf(previewed).map((b) => b.text)).toEqual(['Отправить на согласование', 'Отменить']);

    seen = botMessagesTo(emulator.server, AUTHOR).length;
    await press(AUTHOR, `bc:${id}:start`, previewed);
    await waitForBotMessage(emulator.server, AUTHOR, /Запрос отправлен 1 сотруднику/, seen);
    // The preview keeps only «Отменить»: a second press cannot ask again.
    await waitFor(() => {
      const r = records(AUTHOR).find((m) => m.messageId === previewed?.messageId);
      return buttonsOf(r).length === 1 ? true : undefined;
    });
    expect((await findBroadcast(db(), id))?.status).toBe('draft');

    // The `broadcast-approval` job's work, through a channel port on the emulator (the worker runs it in the app).
    const outbound = createChannelPort(
      { telegram: new TelegramAdapter(createTelegramApi({ token: emulator.token, apiRoot: emulator.apiRoot })) },
      app.domain.city,
    );
    const jobDeps = { db: db(), clock: app.clock, domain: app.domain, log: app.log, outbound };
    expect(await notifyBroadcastApproval(jobDeps, { broadcastId: id, step: 'requested' })).toEqual({ status: 'sent', people: 1 });
    const asked = await waitForBotMessage(emulator.server, APPROVER, /Нужно согласовать рассылку «Плановые работы»/);
    expect(asked).toContain('Автор: Соколова И. В.');
    const request = withButton(APPROVER, new RegExp(`^bc:${id}:approve$`));

    // The author's own «Одобрить» (the same button, pressed by them): refused politely.
    seen = botMessagesTo(emulator.server, AUTHOR).length;
    await press(AUTHOR, `bc:${id}:approve`, previewed);
    await waitForBotMessage(emulator.server, AUTHOR, /Свою рассылку одобрить нельзя/, seen);
    expect((await findBroadcast(db(), id))?.approvedAt).toBeNull();

    await press(APPROVER, `bc:${id}:approve`, request);
    await waitFor(() => {
      const r = records(APPROVER).find((m) => m.messageId === request?.messageId);
      return r?.message.text === ru.broadcastStaff.approvedByYou('Плановые работы') ? true : undefined;
    });
    expect((await findBroadcast(db(), id))?.approvedBy).toMatch(/^official:\d+$/);

    expect(await notifyBroadcastApproval(jobDeps, { broadcastId: id, step: 'approved' })).toEqual({ status: 'sent', people: 1 });
    await waitForBotMessage(emulator.server, AUTHOR, /одобрил\(а\) Орлов Д\. С\.\. Можно запускать/);
    const approved = withButton(AUTHOR, new RegExp(`^bc:${id}:start$`));
    await press(AUTHOR, `bc:${id}:start`, approved);
    await waitFor(async () => ((await findBroadcast(db(), id))?.status !== 'draft' ? true : undefined));
    expect((await findBroadcast(db(), id))?.progressMessage?.messageId).toBe(String(approved?.messageId));
  });

  it('when the author cancels a draft from its audience buttons, then nothing is sent and the message says so', async () => {
    const { id, audience } = await draft('Не та рассылка');
    await press(AUTHOR, `bc:${id}:cancel`, audience);
    await waitFor(() => {
      const r = records(AUTHOR).find((m) => m.messageId === audience?.messageId);
      return r?.message.text === ru.broadcastStaff.draftCancelled('Не та рассылка') ? true : undefined;
    });
    expect((await findBroadcast(db(), id))?.status).toBe('cancelled');
    const recipients = await db().selectFrom('broadcast_recipient').select('chat_id').where('broadcast_id', '=', id).execute();
    expect(recipients).toEqual([]);
  });
});
