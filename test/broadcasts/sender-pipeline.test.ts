import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import {
  bindBroadcasts,
  broadcastInputSchema,
  type RunDeps,
  runBroadcast,
  silentNotifier,
} from '../../handlers/broadcasts/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { BroadcastPort, BulkResult } from '../../models/broadcast.js';
import type { Db } from '../../models/database.js';
import { createLogger } from '../../src/logger.js';
import { waitFor } from '../helpers/app.js';
import { HOURS, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';

/**
 * The sender keeps the port busy: more rows are claimed once half of the batches in flight are done, not
 * after the last one (the idle end of every wave cost a broadcast alone ~2.5 % of Telegram's paced rate
 * in bench/broadcast), and never more than concurrency × batch rows are in flight — the bound of what a
 * crash can send twice.
 */
describe('the broadcast sender refills the batches in flight', () => {
  let testDb: TestDatabase;
  let db: Db;
  const domain = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const log = createLogger({ level: 'silent' });
  // Monday 7 December 2026, 11:00 in Barnaul: outside the quiet hours.
  const clock = new ManualClock('2026-12-07T04:00:00Z');
  const jobs = recordingQueue();

  beforeAll(async () => {
    testDb = await createTestDatabase('broadcast_pipeline', { migrate: true });
    db = testDb.handle.db;
  });
  afterAll(async () => testDb?.drop());

  it('when half of the batches in flight are done, then the next rows are claimed while the rest still send; never over concurrency × batch', async () => {
    for (let i = 0; i < 10; i++) {
      const c = await db
        .insertInto('citizen')
        .values({ channel: 'telegram', external_id: String(7_000 + i), display_name: `Житель ${i}`, consent: 'given' })
        .returning(['id', 'external_id'])
        .executeTakeFirstOrThrow();
      await db.insertInto('subscription').values({ citizen_id: c.id, channel: 'telegram', chat_id: c.external_id }).execute();
    }
    const api = bindBroadcasts(() => ({ db, jobs, clock, calendar, domain, log }));
    const caller = { kind: 'service', author: 'test' } as const;
    const draft = await api.create(
      caller,
      broadcastInputSchema.parse({ title: 'Отключение воды', text: 'Завтра не будет воды.', segment: { kind: 'subscribers' } }),
    );
    if (draft.status !== 'ok') throw new Error(JSON.stringify(draft));
    expect((await api.start(caller, draft.value.id)).status).toBe('ok');

    // A port whose sends wait until the test lets them go, one recipient a batch, four batches at a time.
    const waiting: { chatId: string; done: (r: BulkResult) => void }[] = [];
    let inFlight = 0;
    let most = 0;
    const port: BroadcastPort = {
      channels: () => ['telegram'],
      batchSize: () => 1,
      concurrency: () => 4,
      send: (_channel, _content, [r]) =>
        new Promise<BulkResult[]>((resolve) => {
          if (!r) return resolve([]);
          inFlight += 1;
          most = Math.max(most, inFlight);
          waiting.push({
            chatId: r.chatId,
            done: (result) => {
              inFlight -= 1;
              resolve([result]);
            },
          });
        }),
    };
    const release = (count: number) => {
      for (const w of waiting.splice(0, count)) w.done({ seq: 0, status: 'sent' });
    };
    const deps: RunDeps = { db, jobs, clock, domain, log, port, notifier: silentNotifier, owner: 'test', checkEveryMs: 0 };
    // The port's results carry the seq it was given; the fake answers by position, so map it back.
    const send = port.send;
    port.send = async (channel, content, recipients) =>
      (await send(channel, content, recipients)).map((r, i) => ({ ...r, seq: recipients[i]?.seq ?? r.seq }));

    const running = runBroadcast(deps, { broadcastId: draft.value.id });
    await waitFor(() => (waiting.length === 4 ? true : undefined));
    const first = waiting.map((w) => w.chatId);
    release(1);
    await waitFor(() => (inFlight === 3 ? true : undefined));
    release(1);
    // Two of the first four still sending, and two more already claimed.
    await waitFor(() => (waiting.length === 4 ? true : undefined));
    expect(waiting.slice(0, 2).map((w) => w.chatId)).toEqual(first.slice(2));
    const sending = await db
      .selectFrom('broadcast_recipient')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'sending')
      .executeTakeFirstOrThrow();
    expect(Number(sending.n)).toBe(4);
    while ((await Promise.race([running.then(() => 'over'), new Promise((r) => setTimeout(r, 5, 'on'))])) === 'on')
      release(waiting.length);
    expect(await running).toBe('done');
    expect(most).toBe(4);
    const rows = await db.selectFrom('broadcast_recipient').select(['status', 'attempts']).execute();
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });
});
