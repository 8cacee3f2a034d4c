import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { TelegramPoller } from '../../../bots/telegram/poller.js';
import { createLogger } from '../../../src/logger.js';
import { telegramMessageUpdate } from '../../helpers/payloads.js';
import { BOT_INFO as botInfo } from '../../helpers/telegram.js';

function update(id: number): Update {
  return telegramMessageUpdate({
    updateId: id,
    date: 0,
    chat: { id: 5, type: 'private', first_name: 'A' },
    text: `m${id}`,
  }) as unknown as Update;
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
  it('when storing fails, then the offset does not move past the batch, and it is stored on a later poll', async () => {
    const { bot, offsets } = fakeBot([update(10), update(11)]);
    const stored: number[] = [];
    let failuresLeft = 1;
    const accept = async (updates: Update[]) => {
      if (failuresLeft-- > 0) throw new Error('database down');
      stored.push(...updates.map((u) => u.update_id));
    };
    const poller = new TelegramPoller(bot.api, accept, createLogger({ level: 'silent' }), { idleDelayMs: 5 });
    poller.start();
    const deadline = Date.now() + 5_000;
    while (stored.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await poller.stop();

    expect(stored).toEqual([10, 11]);
    // The first commit fails: the next poll asks from 0 again (nothing acknowledged), then from 12.
    expect(offsets[0]).toBe(0);
    expect(offsets[1]).toBe(0);
    expect(offsets.at(-1)).toBe(12);
  });

  it('when stopped, then no further getUpdates is sent', async () => {
    const { bot, offsets } = fakeBot([]);
    const poller = new TelegramPoller(bot.api, async () => {}, createLogger({ level: 'silent' }), { idleDelayMs: 5 });
    poller.start();
    await new Promise((r) => setTimeout(r, 50));
    await poller.stop();
    const count = offsets.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(offsets.length).toBe(count);
    expect(count).toBeGreaterThan(0);
  });
});
