import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMaxApi } from '../../bots/max/api.js';
import { MaxAdapter } from '../../bots/max/outbound.js';
import { createChannelPort } from '../../bots/outbound/channel-port.js';
import { ru } from '../../bots/texts/ru.js';
import { type DomainConfig, domainConfigSchema } from '../../config/domain.js';
import { notifyBroadcastApproval } from '../../handlers/staff-broadcasts/index.js';
import { findBroadcast } from '../../models/broadcast-repository.js';
import type { App } from '../../src/app.js';
import { MAX_WEBHOOK_SECRET, startMaxApp, testDomain, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { type MaxApiFake, type MaxPerson, type MaxSent, maxMessage, maxUpdates } from '../helpers/max-fake.js';
import { seedOfficial } from '../helpers/rows.js';

/** Barnaul with broadcasts to more than 2 recipients needing a second person's approval. */
function domain(): DomainConfig {
  const d = testDomain();
  const broadcasts = d.broadcasts;
  if (!broadcasts) throw new Error('the domain file has no broadcasts section');
  return domainConfigSchema.parse({
    ...d,
    broadcasts: { ...broadcasts, approval: { ...broadcasts.approval, aboveRecipients: 2 } },
  });
}

/** An МЦУ operator writing broadcasts in MAX, and a curator approving them there. */
const AUTHOR: MaxPerson = { userId: 5_570_101, firstName: 'Олег', username: 'oleg_mcu' };
const AUTHOR_DIALOG = 8_200_101;
const APPROVER: MaxPerson = { userId: 5_570_102, firstName: 'Вера', lastName: 'Кураторова' };
const APPROVER_DIALOG = 8_200_102;

describe('MAX: the staff’s /broadcast wizard (webhook, MAX Bot API fake)', () => {
  let testDb: TestDatabase;
  let max: MaxApiFake;
  let app: App;
  let stop: () => Promise<void>;
  let url: string;
  const db = () => testDb.handle.db;

  beforeAll(async () => {
    ({ testDb, max, app, stop } = await startMaxApp({ database: 'max_broadcast_wizard', domain: domain() }));
    url = `${app.info.httpUrl}/max/webhook`;
    await seedOfficial(db(), {
      role: 'operator',
      department: 'mcu',
      name: 'Олег Смирнов',
      accounts: [{ channel: 'max', userId: String(AUTHOR.userId), chatId: String(AUTHOR_DIALOG) }],
    });
    await seedOfficial(db(), {
      role: 'curator',
      department: 'mcu',
      name: 'Вера Кураторова',
      accounts: [{ channel: 'max', userId: String(APPROVER.userId), chatId: String(APPROVER_DIALOG) }],
    });
    // Three subscribers in MAX dialogs: two in Ленинский, one in Центральный.
    for (const [chat, district] of [
      [8_200_301, 'leninsky'],
      [8_200_302, 'leninsky'],
      [8_200_303, 'central'],
    ] as const) {
      const c = await db()
        .insertInto('citizen')
        .values({ channel: 'max', external_id: String(chat - 3_000_000), display_name: `Житель ${chat}`, consent: 'given' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db()
        .insertInto('subscription')
        .values({ citizen_id: c.id, channel: 'max', chat_id: String(chat), districts: [district] })
        .execute();
    }
  });
  afterAll(() => stop?.());

  const post = async (update: unknown) => {
    const res = await max.deliver(update, { url, secret: MAX_WEBHOOK_SECRET });
    expect(res.status).toBe(200);
  };
  const sentTo = (chat: number, pattern: RegExp, skip = 0): Promise<MaxSent> =>
    waitFor(() => max.sent.slice(skip).find((m) => m.chatId === chat && pattern.test(m.text)));
  const say = async (who: MaxPerson, chat: number, text: string, expect: RegExp) => {
    const seen = max.sent.length;
    await post(maxUpdates.messageCreated({ from: who, chatId: chat, text, botId: max.bot.userId }));
    return sentTo(chat, expect, seen);
  };
  const payloadOf = (m: MaxSent, label: string) => {
    const button = (m.keyboard ?? []).flat().find((b) => b.text === label);
    if (!button?.payload) throw new Error(`no «${label}» under «${m.text.slice(0, 60)}»`);
    return button.payload;
  };
  /** A press of `payload` under the bot's message `m` (as MAX sends it: the message with its keyboard). */
  const press = (who: MaxPerson, m: MaxSent, payload: string) =>
    post(
      maxUpdates.callback({
        from: who,
        chatId: m.chatId ?? 0,
        payload,
        under: maxMessage({
          sender: { user_id: max.bot.userId, name: max.bot.firstName, is_bot: true },
          chatId: m.chatId ?? 0,
          recipientUserId: who.userId,
          text: m.text,
          attachments: m.keyboard ? [{ type: 'inline_keyboard', payload: { buttons: m.keyboard } }] : [],
          mid: m.mid,
        }),
      }),
    );
  /** /broadcast and a text: the draft's id and the message with its audience buttons. */
  const draft = async (text: string) => {
    await say(AUTHOR, AUTHOR_DIALOG, '/broadcast', /Пришлите текст рассылки/);
    const audience = await say(AUTHOR, AUTHOR_DIALOG, text, /сохранён\. Кому отправить\?/);
    return { id: Number(payloadOf(audience, ru.broadcastStaff.everyoneButton).split(':')[1]), audience };
  };

  it('when the operator writes /broadcast → text → a district → «Запустить», then the preview is edited into the progress message', async () => {
    const { id, audience } = await draft('Отключение света\nВ среду с 10 до 14 в Ленинском районе не будет света.');
    expect((audience.keyboard ?? []).flat().map((b) => b.text)).toContain('Ленинский район');
    let seen = max.sent.length;
    await press(AUTHOR, audience, `bcs:${id}:leninsky`);
    const preview = await sentTo(AUTHOR_DIALOG, /Получателей: 2 \(MAX 2\)/, seen);
    expect((preview.keyboard ?? []).flat().map((b) => b.text)).toEqual(['Запустить', 'Отменить']);

    seen = max.sent.length;
    await press(AUTHOR, preview, payloadOf(preview, 'Запустить'));
    const edit = await waitFor(() =>
      max.edits.find((e) => e.mid === preview.mid && String(e.body.text).startsWith('Рассылка «Отключение света»:')),
    );
    expect(String(edit.body.text)).toMatch(/%\nОтправлено \d+ из 2\n/);
    const row = await findBroadcast(db(), id);
    expect(row?.status).toMatch(/^(running|done)$/);
    expect(row?.progressMessage).toEqual({ channel: 'max', chatId: String(AUTHOR_DIALOG), messageId: preview.mid });
    const frozen = await db().selectFrom('broadcast_recipient').select('chat_id').where('broadcast_id', '=', id).execute();
    expect(frozen.map((r) => r.chat_id).sort()).toEqual(['8200301', '8200302']);
    // No second message to the author: the progress lives in the preview.
    expect(max.sent.slice(seen).filter((m) => m.chatId === AUTHOR_DIALOG && m.text.startsWith('Рассылка «'))).toEqual([]);
  });

  it('when the whole city is above the threshold, then the curator approves (the author cannot) and the author starts it', async () => {
    const { id, audience } = await draft('Плановые работы\nВ субботу работы на сетях во всём городе.');
    let seen = max.sent.length;
    await press(AUTHOR, audience, `bcs:${id}:*`);
    const preview = await sentTo(AUTHOR_DIALOG, /Получателей: 3/, seen);
    seen = max.sent.length;
    await press(AUTHOR, preview, payloadOf(preview, 'Отправить на согласование'));
    await sentTo(AUTHOR_DIALOG, /Запрос отправлен 1 сотруднику/, seen);

    // An operator may not approve; the `broadcast-approval` job's work asks the curator.
    seen = max.sent.length;
    await press(AUTHOR, preview, `bc:${id}:approve`);
    await waitFor(() => (max.answers.at(-1)?.body.notification === ru.broadcastStaff.approverRole ? true : undefined));
    const outbound = createChannelPort(
      { max: new MaxAdapter(createMaxApi({ token: max.token, baseUrl: max.baseUrl })) },
      app.domain.city,
    );
    const jobDeps = { db: db(), clock: app.clock, domain: app.domain, log: app.log, outbound };
    expect(await notifyBroadcastApproval(jobDeps, { broadcastId: id, step: 'requested' })).toEqual({ status: 'sent', people: 1 });
    const request = await sentTo(APPROVER_DIALOG, /Нужно согласовать рассылку «Плановые работы»/);
    expect(request.text).toContain('Автор: Олег Смирнов');

    await press(APPROVER, request, payloadOf(request, 'Одобрить'));
    await waitFor(() =>
      max.edits.find((e) => e.mid === request.mid && e.body.text === ru.broadcastStaff.approvedByYou('Плановые работы')),
    );
    expect(await notifyBroadcastApproval(jobDeps, { broadcastId: id, step: 'approved' })).toEqual({ status: 'sent', people: 1 });
    const approved = await sentTo(AUTHOR_DIALOG, /одобрил\(а\) Вера Кураторова/);
    await press(AUTHOR, approved, payloadOf(approved, 'Запустить'));
    await waitFor(async () => ((await findBroadcast(db(), id))?.status !== 'draft' ? true : undefined));
    expect((await findBroadcast(db(), id))?.progressMessage?.messageId).toBe(approved.mid);
  });

  it('when the curator authors one and presses «Одобрить» on it, then self-approval is refused politely', async () => {
    await say(APPROVER, APPROVER_DIALOG, '/broadcast', /Пришлите текст рассылки/);
    const audience = await say(APPROVER, APPROVER_DIALOG, 'Своя рассылка', /сохранён/);
    const id = Number(payloadOf(audience, ru.broadcastStaff.everyoneButton).split(':')[1]);
    const seen = max.sent.length;
    await press(APPROVER, audience, `bc:${id}:approve`);
    await sentTo(APPROVER_DIALOG, /Свою рассылку одобрить нельзя/, seen);
    expect((await findBroadcast(db(), id))?.approvedAt).toBeNull();
  });

  it('when the author cancels the draft under its preview, then the preview says so and nothing is frozen', async () => {
    const { id, audience } = await draft('Ошибочная рассылка');
    const seen = max.sent.length;
    await press(AUTHOR, audience, `bcs:${id}:central`);
    const preview = await sentTo(AUTHOR_DIALOG, /Получателей: 1/, seen);
    await press(AUTHOR, preview, payloadOf(preview, 'Отменить'));
    await waitFor(() =>
      max.edits.find((e) => e.mid === preview.mid && e.body.text === ru.broadcastStaff.draftCancelled('Ошибочная рассылка')),
    );
    expect((await findBroadcast(db(), id))?.status).toBe('cancelled');
  });
});
