import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcastReport, createBroadcastNotifier } from '../../handlers/broadcasts/index.js';
import { ManualClock } from '../../lib/clock.js';
import { findBroadcast, insertBroadcast, setProgressMessage, transition } from '../../models/broadcast-repository.js';
import type { ChannelPort, DeliveryResult, OutboundMessage, Recipient } from '../../models/outbound.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedOfficial } from '../helpers/rows.js';

/** A channel port that records every send and edit, answering as told. */
function recordingPort(answer: () => DeliveryResult | Error = () => ({ status: 'sent', messageId: 'm-1' })) {
  const calls: { op: 'send' | 'edit'; to: Recipient; messageId?: string; message: OutboundMessage; ref: string }[] = [];
  const reply = async () => {
    const result = answer();
    if (result instanceof Error) throw result;
    return result;
  };
  const port: ChannelPort = {
    send: async (to, message, ref) => {
      calls.push({ op: 'send', to, message, ref });
      return reply();
    },
    edit: async (to, messageId, message, ref) => {
      calls.push({ op: 'edit', to, messageId, message, ref });
      return reply();
    },
  };
  return { port, calls };
}

describe('the author’s progress message and summary (createBroadcastNotifier, channel port fake)', () => {
  let testDb: TestDatabase;
  const clock = new ManualClock('2026-05-05T03:00:00Z');
  const lines: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } });
  const db = () => testDb.handle.db;

  /** A running broadcast of `authorId` (null: the service token's). */
  async function running(authorId: number | null, title = 'Отключение воды') {
    const b = await insertBroadcast(
      db(),
      {
        title,
        text: 'Завтра с 9 до 18 нет воды.',
        photoUrl: null,
        allowSplit: false,
        segment: { kind: 'subscribers' },
        priority: 'normal',
        authorId,
        author: authorId === null ? 'api:sandbox' : `official:${authorId}`,
        scheduledAt: null,
      },
      clock.now(),
    );
    await transition(db(), b.id, ['draft'], 'running', clock.now());
    return b.id;
  }
  const reportOf = async (id: number) => {
    const r = await broadcastReport({ db: db(), clock }, id);
    if (!r) throw new Error('no broadcast');
    return r;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('broadcast_progress', { migrate: true });
  });
  afterAll(async () => testDb.drop());

  it('when a broadcast started from the API reports progress, then one message goes to the author’s preferred messenger and is stored', async () => {
    const author = await seedOfficial(db(), {
      role: 'operator',
      accounts: [
        { channel: 'max', userId: '9001', chatId: '8001' },
        { channel: 'telegram', userId: '7001' },
      ],
    });
    const id = await running(author.id);
    const { port, calls } = recordingPort();
    const notifier = createBroadcastNotifier({ db: db(), clock, log, outbound: port });
    await notifier.progress(await reportOf(id));
    expect(calls).toMatchObject([
      { op: 'send', to: { channel: 'max', chatId: '8001' }, message: { kind: 'broadcast_progress' } },
    ]);
    expect((await findBroadcast(db(), id))?.progressMessage).toEqual({ channel: 'max', chatId: '8001', messageId: 'm-1' });

    // From then on it is edited in place, at most once per 3 s unless the status changes.
    clock.advance(1_000);
    await notifier.progress(await reportOf(id));
    expect(calls).toHaveLength(1);
    clock.advance(2_500);
    await notifier.progress(await reportOf(id));
    expect(calls.at(-1)).toMatchObject({ op: 'edit', to: { channel: 'max', chatId: '8001' }, messageId: 'm-1' });
    await transition(db(), id, ['running'], 'paused', clock.now());
    await notifier.progress(await reportOf(id));
    expect(calls).toHaveLength(3);
    expect(calls.at(-1)).toMatchObject({ op: 'edit', message: { kind: 'broadcast_progress', progress: { status: 'paused' } } });
  });

  it('when the bot’s «Запустить» stored the progress message, then that message is edited and nothing new is sent', async () => {
    const author = await seedOfficial(db(), { role: 'operator', telegram: '7002' });
    const id = await running(author.id);
    await setProgressMessage(db(), id, { channel: 'telegram', chatId: '7002', messageId: '555' });
    const { port, calls } = recordingPort(() => ({ status: 'sent', messageId: '555' }));
    await createBroadcastNotifier({ db: db(), clock, log, outbound: port }).progress(await reportOf(id));
    expect(calls).toMatchObject([{ op: 'edit', to: { channel: 'telegram', chatId: '7002' }, messageId: '555' }]);
  });

  it('when the broadcast ends, then the last progress is shown and the summary goes to the author once', async () => {
    const author = await seedOfficial(db(), { role: 'operator', telegram: '7003' });
    const id = await running(author.id);
    await setProgressMessage(db(), id, { channel: 'telegram', chatId: '7003', messageId: '556' });
    const { port, calls } = recordingPort();
    const notifier = createBroadcastNotifier({ db: db(), clock, log, outbound: port });
    await notifier.progress(await reportOf(id));
    await transition(db(), id, ['running'], 'done', clock.now());
    // The sender's finalize: progress then finished, within the same second.
    await notifier.progress(await reportOf(id));
    await notifier.finished(await reportOf(id));
    expect(calls.map((c) => `${c.op}:${c.message.kind}`)).toEqual([
      'edit:broadcast_progress',
      'edit:broadcast_progress',
      'send:broadcast_summary',
    ]);
    expect(calls.at(-1)).toMatchObject({ to: { channel: 'telegram', chatId: '7003' }, ref: `broadcast-summary:${id}` });
  });

  it('when the author is the service token, or it ended without a progress message, then no progress message is sent', async () => {
    const { port, calls } = recordingPort();
    const notifier = createBroadcastNotifier({ db: db(), clock, log, outbound: port });
    const service = await running(null);
    await notifier.progress(await reportOf(service));
    await notifier.finished(await reportOf(service));
    const author = await seedOfficial(db(), { role: 'operator', telegram: '7004' });
    const ended = await running(author.id);
    await transition(db(), ended, ['running'], 'cancelled', clock.now());
    await notifier.progress(await reportOf(ended));
    expect(calls).toEqual([]);
    await notifier.finished(await reportOf(ended));
    expect(calls).toMatchObject([{ op: 'send', message: { kind: 'broadcast_summary', progress: { status: 'cancelled' } } }]);
  });

  it('when a scheduled broadcast did not start, then its author is told why in their messenger; the service token’s has nobody to tell', async () => {
    const author = await seedOfficial(db(), { role: 'operator', telegram: '7006' });
    const id = await running(author.id);
    const { port, calls } = recordingPort();
    const notifier = createBroadcastNotifier({ db: db(), clock, log, outbound: port });
    const notice = { broadcastId: id, title: 'Отключение воды', why: 'approval' as const, recipients: 1500, threshold: 1000 };
    await notifier.notStarted(notice);
    expect(calls).toMatchObject([
      { op: 'send', to: { channel: 'telegram', chatId: '7006' }, message: { kind: 'broadcast_not_started', notice } },
    ]);
    expect(calls[0]?.ref).toMatch(new RegExp(`^broadcast-not-started:${id}:`));
    await notifier.notStarted({ ...notice, broadcastId: await running(null) });
    expect(calls).toHaveLength(1);
    // A failure is logged, never thrown.
    const failing = recordingPort(() => new Error('network down'));
    await expect(
      createBroadcastNotifier({ db: db(), clock, log, outbound: failing.port }).notStarted(notice),
    ).resolves.toBeUndefined();
  });

  it('when the messenger fails or throws, then the notifier logs it and never throws (the broadcast goes on)', async () => {
    const author = await seedOfficial(db(), { role: 'operator', telegram: '7005' });
    const id = await running(author.id);
    const before = lines.length;
    const failing = recordingPort(() => new Error('network down'));
    const notifier = createBroadcastNotifier({ db: db(), clock, log, outbound: failing.port });
    await expect(notifier.progress(await reportOf(id))).resolves.toBeUndefined();
    await expect(notifier.finished(await reportOf(id))).resolves.toBeUndefined();
    const logged = lines.slice(before).join('\n');
    expect(logged).toContain('broadcast progress not shown');
    expect(logged).toContain('broadcast summary not sent');

    // A retry-after from the messenger on the summary: logged too, not thrown.
    const slow = recordingPort(() => ({ status: 'retry', afterSeconds: 3, reason: 'Too Many Requests' }));
    await expect(
      createBroadcastNotifier({ db: db(), clock, log, outbound: slow.port }).finished(await reportOf(id)),
    ).resolves.toBeUndefined();
  });
});
