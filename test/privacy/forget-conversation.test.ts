import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { converseWithCitizen, typedCommand } from '../../bots/conversation/citizen.js';
import { ru } from '../../bots/texts/ru.js';
import type { IntakeApi } from '../../handlers/intake/index.js';
import type { PrivacyApi } from '../../handlers/privacy/index.js';
import type { Channel } from '../../models/intake.js';

/** Intake must not be reached by /forget in any form: a call fails the test. */
const intake = new Proxy({} as IntakeApi, {
  get: (_t, name) => () => {
    throw new Error(`intake.${String(name)} called for /forget`);
  },
});

describe('/forget in the shared citizens’ conversation (VK, MAX)', () => {
  it('when typed in any accepted form, then /forget asks and «да» confirms', () => {
    expect(typedCommand('/forget')).toBe('forget');
    expect(typedCommand(' /FORGET ')).toBe('forget');
    expect(typedCommand('Удалить мои данные')).toBe('forget');
    expect(typedCommand('/forget да')).toBe('forget_confirm');
    expect(typedCommand('/forget@mcu_bot  Да!')).toBe('forget_confirm');
    expect(typedCommand('отозвать согласие да')).toBe('forget_confirm');
    expect(typedCommand('/forget нет')).toBeNull();
    expect(typedCommand('Прошу удалить мои данные из базы')).toBeNull();
  });

  for (const channel of ['vk', 'max'] as const satisfies readonly Channel[]) {
    it(`when a ${channel} citizen confirms, then privacy forgets them by their platform id and the reply names the closed cases`, async () => {
      const asked: unknown[] = [];
      const privacy: PrivacyApi = {
        forget: async (sender) => {
          asked.push(sender);
          return { status: 'forgotten', citizenId: 7, closedCases: ['МЦУ-2026-000042'] };
        },
      };
      const replies: string[] = [];
      const turn = (text: string) =>
        converseWithCitizen(
          {
            intake,
            privacy,
            log: pino({ level: 'silent' }),
            city: { name: 'Барнаул', timezone: 'Asia/Barnaul', locale: 'ru-RU' },
          },
          {
            channel,
            author: { externalId: '555', displayName: 'Ксения' },
            command: typedCommand(text),
            action: null,
            message: null,
            reply: async (t) => {
              replies.push(t);
            },
            chatId: '555',
          },
        );
      await turn('/forget');
      expect(replies).toEqual([ru.forgetConfirm]);
      expect(asked).toEqual([]);
      await turn('/forget да');
      expect(asked).toEqual([{ channel, externalId: '555' }]);
      expect(replies[1]).toBe(ru.forgotten(['МЦУ-2026-000042']));
      expect(replies[1]).toContain('Закрыты обращения: МЦУ-2026-000042');
    });
  }
});
