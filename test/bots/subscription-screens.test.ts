import { describe, expect, it } from 'vitest';
import { subscriptionScreens } from '../../bots/conversation/subscriptions.js';
import type { Buttons } from '../../bots/outbound/buttons.js';
import { ru } from '../../bots/texts/ru.js';
import { VK_INLINE_KEYBOARD } from '../../bots/vk/subscriptions.js';
import { loadDomainConfig } from '../../config/domain.js';
import { type SubscriptionDomain, viewOf } from '../../handlers/subscriptions/index.js';

const BARNAUL = loadDomainConfig('config/barnaul.yaml');
const labels = (buttons: Buttons | undefined) => (buttons ?? []).map((row) => row.map((b) => b.label));
const count = (buttons: Buttons | undefined) => (buttons ?? []).flat().length;

describe('the /subscribe screen (bots/conversation/subscriptions.ts)', () => {
  it('when a messenger has no keyboard limit, then one message: districts two to a row, «Весь город», topics, «Готово»; ✓ on the chosen ones', () => {
    const view = viewOf(BARNAUL, {
      choice: { districts: ['central'], topics: ['outages', 'snow'] },
      active: false,
      optedOut: false,
    });
    const [screen, ...more] = subscriptionScreens(view);
    expect(more).toEqual([]);
    expect(screen?.text).toContain('Районы: Центральный район.');
    expect(screen?.text).toContain('Темы: Отключения воды, тепла и света, Уборка снега и наледи.');
    expect(screen?.text).toContain('Подписка ещё не оформлена');
    expect(labels(screen?.buttons)).toEqual([
      ['✓ Центральный район', 'Железнодорожный район'],
      ['Индустриальный район', 'Ленинский район'],
      ['Октябрьский район'],
      ['Весь город'],
      ['✓ Отключения воды, тепла и света', 'Отопительный сезон'],
      ['✓ Уборка снега и наледи', 'Ремонт дорог и перекрытия'],
      ['Общественный транспорт', 'Благоустройство и дворы'],
      ['ЧС и предупреждения', 'Городские события'],
      ['Готово'],
    ]);
  });

  it('when the subscription is active, then «Отписаться от всех» stands beside «Готово» and nothing chosen reads «весь город», «все темы»', () => {
    const view = viewOf(BARNAUL, { choice: { districts: [], topics: [] }, active: true, optedOut: false });
    const [screen] = subscriptionScreens(view);
    expect(screen?.text).toContain('Районы: весь город.');
    expect(screen?.text).toContain('Темы: все темы.');
    expect(labels(screen?.buttons).at(-1)).toEqual(['Готово', 'Отписаться от всех']);
    expect(labels(screen?.buttons)[3]).toEqual(['✓ Весь город']);
  });

  it("when VK's inline keyboards limit a message to 10 buttons in 6 rows, then the districts and the topics come in two messages, the controls under the last", () => {
    const view = viewOf(BARNAUL, { choice: { districts: [], topics: [] }, active: true, optedOut: false });
    const screens = subscriptionScreens(view, VK_INLINE_KEYBOARD);
    expect(screens.map((s) => [s.text.split('\n')[0], count(s.buttons), s.buttons?.length])).toEqual([
      [ru.subscriptions.screen(view).split('\n')[0], 6, 4],
      [ru.subscriptions.topicsTitle, 10, 5],
    ]);
    expect(labels(screens[1]?.buttons).at(-1)).toEqual(['Готово', 'Отписаться от всех']);
  });

  it('when a VK citizen pressed a topic, then only the topics come again, with the summary and the controls', () => {
    const view = viewOf(BARNAUL, { choice: { districts: [], topics: ['roads'] }, active: false, optedOut: false });
    const [screen, ...more] = subscriptionScreens(view, VK_INLINE_KEYBOARD, 'topic');
    expect(more).toEqual([]);
    expect(screen?.text).toBe(ru.subscriptions.screen(view));
    expect(labels(screen?.buttons).flat()).toContain('✓ Ремонт дорог и перекрытия');
    expect(labels(screen?.buttons).flat()).not.toContain('Центральный район');
    expect(labels(screen?.buttons).at(-1)).toEqual(['Готово']);
  });

  it('when a city has more topics than one VK keyboard holds, then they continue in further messages, each within the limit', () => {
    const topics = Array.from({ length: 15 }, (_, i) => ({ id: `topic-${i + 1}`, name: `Тема ${i + 1}` }));
    const domain: SubscriptionDomain = {
      districts: BARNAUL.districts,
      broadcasts: BARNAUL.broadcasts ? { ...BARNAUL.broadcasts, topics } : undefined,
    };
    const view = viewOf(domain, { choice: { districts: [], topics: [] }, active: false, optedOut: false });
    const screens = subscriptionScreens(view, VK_INLINE_KEYBOARD);
    for (const s of screens) {
      expect(count(s.buttons)).toBeLessThanOrEqual(10);
      expect(s.buttons?.length ?? 0).toBeLessThanOrEqual(6);
    }
    expect(screens.map((s) => s.text.split('\n')[0])).toEqual([
      ru.subscriptions.screen(view).split('\n')[0],
      ru.subscriptions.topicsTitle,
      ru.subscriptions.more,
    ]);
    expect(screens.flatMap((s) => labels(s.buttons).flat()).filter((l) => l.startsWith('Тема'))).toHaveLength(15);
    expect(labels(screens.at(-1)?.buttons).at(-1)).toEqual(['Готово']);
  });
});
