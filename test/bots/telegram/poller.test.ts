import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { TelegramPoller } from '../../../bots/telegram/poller.js';
import { createLogger } from '../../../src/logger.js';
import { BOT_INFO as botInfo } from '../../helpers/telegram.js';

function update(id: number): Update {
  return {
    update_id: id,
    message: { message_id: id, date: 0, chat: { id: 5, type: 'private', first_name: 'A' }, text: `m${id}` },
  } as Update;
}

/** A fake Bot API: serves the queue from `offset` like Telegram, and records every getUpdates offset. */
function fakeBot(pending: Update[]) {
  const bot = new Bot('1:test', { botInfo });
  const offsets: number[] = [];
  bot.api.config.use(async (_prev, method, payload) => {
    if (method === 'getUpdates') {
      const offset = (payload as { offset?: number }).offset ?? 0;
      offsets.push(offset);
      await new Promise((r) => setTimeout(r, 5));
      return { ok: true, result: pending.filter((u) => u.update_id >= offset) as never };
    }
    return { ok: true, result: true as never };
  });
  return { bot, offsets };
}

describe('TelegramPoller', () => {
  it('when handling fails, then the offset does not move past the update, and it is handled again later', async () => {
    const { bot, offsets } = fakeBot([update(10), update(11)]);
    const handled: number[] = [];
    let failuresLeft = 1;
    bot.on('message', (ctx) => {
      if (ctx.update.update_id === 11 && failuresLeft-- > 0) throw new Error('database down');
    });
    bot.use(() => {});
    const originalHandle = bot.handleUpdate.bind(bot);
    bot.handleUpdate = async (u, w) => {
      await originalHandle(u, w);
      handled.push(u.update_id);
    };
    const poller = new TelegramPoller(bot, createLogger({ level: 'silent' }), { idleDelayMs: 5 });
    poller.start();
    const deadline = Date.now() + 5_000;
    while (handled.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await poller.stop();

    expect(handled).toEqual([10, 11]);
    // 10 is stored, 11 fails: the next poll asks from 11 again (11 stays unacknowledged), then from 12.
    expect(offsets[0]).toBe(0);
    expect(offsets[1]).toBe(11);
    expect(offsets.at(-1)).toBe(12);
  });

  it('when stopped, then no further getUpdates is sent', async () => {
    const { bot, offsets } = fakeBot([]);
    const poller = new TelegramPoller(bot, createLogger({ level: 'silent' }), { idleDelayMs: 5 });
    poller.start();
    await new Promise((r) => setTimeout(r, 50));
    await poller.stop();
    const count = offsets.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(offsets.length).toBe(count);
    expect(count).toBeGreaterThan(0);
  });
});
