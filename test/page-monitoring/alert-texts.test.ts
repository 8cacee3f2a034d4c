import { describe, expect, it } from 'vitest';
import { ru } from '../../bots/texts/ru.js';

/** The operators' alerts about official pages, as the МЦУ reads them. */
describe('official pages: the operators’ alert texts', () => {
  const city = { timezone: 'Asia/Barnaul', locale: 'ru-RU' };
  const page = { pageId: 7, platform: 'vk', url: 'https://vk.com/park_info', title: 'Парк культуры', department: 'landscaping' };
  const text = (
    kind: 'page_unreadable' | 'page_silent' | 'page_comments_closed' | 'page_comments_unanswered',
    details: Record<string, unknown>,
  ) => ru.operatorAlert({ kind, details: { ...page, ...details }, case: null, problem: null }, city);

  it('when a page alert is sent, then it names the page, what happened and the owner', () => {
    expect(text('page_unreadable', { reason: 'частное сообщество', gone: true })).toBe(
      '🚫 Официальная страница недоступна: «Парк культуры» https://vk.com/park_info\nПричина: частное сообщество\nВладелец: landscaping',
    );
    expect(text('page_silent', { lastPostAt: '2026-05-01T03:00:00.000Z' })).toContain('Последняя публикация: 01.05 10:00');
    expect(text('page_silent', { lastPostAt: null })).toContain('Публикаций нет');
    expect(text('page_comments_closed', {})).toContain('закрыты комментарии');
    expect(text('page_comments_unanswered', { count: 2, termHours: 8 })).toContain('дольше 8 рабочих ч');
  });
});
