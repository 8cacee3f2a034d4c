import { describe, expect, it } from 'vitest';
import { createBroadcastPort, messengerLimits, PUBLISHED_LIMITS } from '../../../bots/outbound/broadcast-port.js';
import { renderBroadcast } from '../../../bots/outbound/render.js';
import { splitText } from '../../../bots/split-text.js';
import { encodeCallback } from '../../../bots/telegram/callback-data.js';
import { chatGap } from '../../../bots/telegram/pacing.js';
import { encodeVkPayload } from '../../../bots/vk/payload.js';
import { domainConfigSchema, loadDomainConfig } from '../../../config/domain.js';
import { broadcastMessageText } from '../../../models/broadcast.js';
import { content } from './run.js';

describe('a broadcast as the messengers show it', () => {
  it('when a broadcast is rendered, then the title is on its own line, the text after it, «Отписаться» carries the broadcast', () => {
    const rendered = renderBroadcast(content({ photoUrl: 'https://mcu.example/a.jpg' }));
    expect(rendered.text).toBe('Отключение воды\nВ Индустриальном районе 12 мая с 9:00 до 18:00 не будет холодной воды.');
    expect(rendered.photoUrl).toBe('https://mcu.example/a.jpg');
    expect(rendered.buttons).toEqual([
      [{ label: 'Отписаться', action: { type: 'unsubscribe', broadcastId: 41 }, tone: 'secondary' }],
    ]);
    const button = rendered.buttons[0]?.[0];
    if (!button || !('action' in button)) throw new Error('no «Отписаться» button');
    expect(encodeCallback(button.action)).toBe('unsub:41');
    expect(encodeVkPayload(button.action)).toBe('{"cmd":"unsub","b":41}');
  });

  it('when it is an emergency, then it is marked above the title', () => {
    expect(
      renderBroadcast(content({ priority: 'emergency' }))
        .text.split('\n')
        .slice(0, 2),
    ).toEqual(['‼️ Экстренное сообщение', 'Отключение воды']);
  });

  it('when the text is over a messenger’s limit, then it splits at a boundary under it', () => {
    const parts = splitText(renderBroadcast(content({ text: 'Слово '.repeat(1000) })).text, 4000);
    expect(parts).toHaveLength(2);
    expect(parts.every((p) => p.length <= 4000)).toBe(true);
  });

  it('when the domain file has no broadcasts section, then the published limits; a group’s gap is 3 s, a chat’s 1 s', () => {
    expect(messengerLimits(undefined)).toEqual(PUBLISHED_LIMITS);
    expect(chatGap('-1001', PUBLISHED_LIMITS.telegram)).toEqual({ key: 'tg:-1001', gapMs: 3000 });
    expect(chatGap('42', PUBLISHED_LIMITS.telegram)).toEqual({ key: 'tg:42', gapMs: 1000 });
  });

  it('when the message is rendered, then it is exactly the text whose length the API checks (broadcastMessageText)', () => {
    for (const c of [content(), content({ priority: 'emergency' }), content({ title: '  ' })])
      expect(renderBroadcast(c).text).toBe(broadcastMessageText(c));
  });

  it('when a domain file predates the VK 944 back-off and MAX’s per-chat rate, then they default to 600 s and 2 a second', () => {
    const domain = loadDomainConfig('config/barnaul.yaml');
    expect(domain.broadcasts?.vk.intentLimitBackoffSeconds).toBe(600);
    expect(domain.broadcasts?.max.messagesPerChatPerSecond).toBe(2);
    const broadcasts = domain.broadcasts;
    if (!broadcasts) throw new Error('no broadcasts section');
    const older = domainConfigSchema.parse({
      ...domain,
      broadcasts: { ...broadcasts, vk: { requestsPerSecond: 20, peersPerCall: 100 }, max: { requestsPerSecond: 30 } },
    });
    expect(older.broadcasts?.vk).toEqual({
      requestsPerSecond: 20,
      peersPerCall: 100,
      intentLimitBackoffSeconds: 600,
      randomIdScope: 'dialog',
    });
    expect(older.broadcasts?.max).toEqual({ requestsPerSecond: 30, messagesPerChatPerSecond: 2 });
    const tuned = domainConfigSchema.parse({
      ...domain,
      broadcasts: {
        ...broadcasts,
        vk: { ...broadcasts.vk, intentLimitBackoffSeconds: 1800 },
        max: { ...broadcasts.max, messagesPerChatPerSecond: 1 },
      },
    });
    expect(messengerLimits(tuned.broadcasts).vk.intentLimitBackoffSeconds).toBe(1800);
    expect(messengerLimits(tuned.broadcasts).max.messagesPerChatPerSecond).toBe(1);
  });

  it('when a channel has no sender in this instance, then its batch fails as a whole, nothing thrown', async () => {
    const port = createBroadcastPort([]);
    expect(port.channels()).toEqual([]);
    expect(await port.send('vk', content(), [{ seq: 3, chatId: '1' }])).toEqual([
      { seq: 3, status: 'failed', reason: 'no vk sender in this instance' },
    ]);
  });
});
