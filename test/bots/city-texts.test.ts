import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatLocal, ru } from '../../bots/texts/ru.js';
import { type DomainConfig, parseDomainConfig } from '../../config/domain.js';
import { ConfigError } from '../../config/errors.js';
import type { CaseCard } from '../../models/case-query.js';

// The texts take the city — name, time zone, locale — from the domain file: a second city is a second
// file, and nothing in the code names Barnaul.
const SHIPPED = readFileSync(fileURLToPath(new URL('../../config/barnaul.yaml', import.meta.url)), 'utf8');

function replaced(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`barnaul.yaml has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

const barnaul = parseDomainConfig(SHIPPED, 'barnaul.yaml').city;
/** A second city: its own file, another zone (UTC+2 against Barnaul's UTC+7), no genitive, no locale key. */
const kaliningrad: DomainConfig['city'] = parseDomainConfig(
  replaced(
    replaced(
      replaced(replaced(SHIPPED, 'name: Барнаул\n', 'name: Калининград\n'), '  nameGenitive: Барнаула\n', ''),
      'Asia/Barnaul',
      'Europe/Kaliningrad',
    ),
    '  locale: ru-RU\n',
    '',
  ),
  'kaliningrad.yaml',
).city;

// 10:00 UTC: 17:00 in Barnaul, 12:00 in Kaliningrad.
const AT = new Date('2026-12-10T10:00:00Z');

const card: CaseCard = {
  id: 1,
  number: 'МЦУ-2026-000123',
  text: 'Яма на дороге',
  channel: 'telegram',
  district: 'central',
  deadlineAt: AT,
  priority: 'normal',
  kind: { type: 'before', percent: 80 },
};

describe('city time in the texts (bots/texts/ru.ts)', () => {
  it('when the shipped file is read, then Barnaul keeps its zone, its locale and its greeting', () => {
    expect(barnaul).toMatchObject({ name: 'Барнаул', nameGenitive: 'Барнаула', timezone: 'Asia/Barnaul', locale: 'ru-RU' });
    expect(formatLocal(AT, barnaul)).toBe('10.12 17:00');
    expect(ru.welcome(barnaul).split('\n')[0]).toBe(
      'Здравствуйте! Это бот Муниципального центра управления (МЦУ) города Барнаула.',
    );
  });

  it('when a second city has another time zone, then the same moment is written in its local time', () => {
    expect(kaliningrad.timezone).toBe('Europe/Kaliningrad');
    expect(formatLocal(AT, kaliningrad)).toBe('10.12 12:00');
    expect(ru.reminderCard(card, barnaul)).toContain('срок: 10.12 17:00');
    expect(ru.reminderCard(card, kaliningrad)).toContain('срок: 10.12 12:00');
    // A deadline counted on the Labour Code fallback (next year's calendar missing) says so on the card.
    expect(ru.reminderCard({ ...card, deadlineProvisional: true }, barnaul)).toContain('срок: 10.12 17:00 (предварительный)');
    expect(ru.reminderCard(card, barnaul)).not.toContain('предварительный');
    const extended = {
      kind: 'deadline_extended',
      caseNumber: card.number,
      until: AT.toISOString(),
      reason: 'ждём трубу',
    } as const;
    expect(ru.citizenNotification(extended, kaliningrad)).toContain('продлён до 10.12 12:00');
    expect(ru.myCaseLine({ ...card, status: 'assigned' }, kaliningrad)).toContain('срок 10.12 12:00');
    expect(ru.extensionResult({ status: 'requested', caseNumber: card.number, until: AT }, kaliningrad)).toContain(
      'до 10.12 12:00',
    );
  });

  it('when a second city names no genitive and no locale, then the greeting uses its name and dates are ru-RU', () => {
    expect(kaliningrad.locale).toBe('ru-RU');
    expect(ru.welcome(kaliningrad).split('\n')[0]).toBe(
      'Здравствуйте! Это бот Муниципального центра управления (МЦУ) — Калининград.',
    );
  });

  it('when the city names another locale, then dates are written in it', () => {
    expect(formatLocal(AT, { timezone: 'Asia/Barnaul', locale: 'en-GB' })).toBe('10/12 17:00');
  });

  it('when the locale is not one the runtime knows, then the domain file is refused with the key named', () => {
    const text = replaced(SHIPPED, '  locale: ru-RU\n', '  locale: "not a locale"\n');
    expect(() => parseDomainConfig(text, 'test.yaml')).toThrow(ConfigError);
    try {
      parseDomainConfig(text, 'test.yaml');
    } catch (err) {
      expect((err as ConfigError).problems.join('\n')).toMatch(/city\.locale: must be a BCP 47 locale/);
    }
  });
});

describe('case card headers (bots/texts/ru.ts)', () => {
  const header = (kind: CaseCard['kind']) => ru.reminderCard({ ...card, kind }, barnaul).split('\n')[0];

  it('when the card comes with a reminder or a notice, then its first line says why', () => {
    expect(header(null)).toBe('Обращение МЦУ-2026-000123');
    expect(header({ type: 'before', percent: 80 })).toBe('🔔 Напоминание (80 % срока): обращение МЦУ-2026-000123');
    expect(header({ type: 'before', percent: 100 })).toBe('⏰ Срок истекает: обращение МЦУ-2026-000123');
    expect(header({ type: 'escalate', role: 'block_owner' })).toBe('⏰ Просрочено: обращение МЦУ-2026-000123 (эскалация)');
    expect(header({ type: 'assigned', department: 'roads', assigneeId: null, at: AT })).toBe(
      '📥 Новое обращение МЦУ-2026-000123',
    );
    expect(header({ type: 'reopened', at: AT })).toMatch(/^🔁 Житель не удовлетворён ответом/);
    expect(header({ type: 'citizen_replied', at: AT })).toMatch(/^💬 Житель ответил на уточнение/);
    expect(header({ type: 'extension_decided', approved: true })).toBe('✅ Срок по обращению МЦУ-2026-000123 продлён');
    expect(header({ type: 'extension_decided', approved: false })).toMatch(/^❌ Продление срока/);
    expect(header({ type: 'answer_returned' })).toMatch(/^↩️ Оператор МЦУ вернул ваш ответ/);
  });
});
