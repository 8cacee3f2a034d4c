import { ru } from '../texts/ru.js';

export type VkCommand = 'consent_yes' | 'consent_no' | 'new_case' | 'status' | 'start' | 'help';

const button = (label: string, cmd: VkCommand, color: 'positive' | 'negative' | 'primary' | 'secondary') => ({
  action: { type: 'text', label, payload: JSON.stringify({ cmd }) },
  color,
});

/** Inline keyboards as the VK API expects them (JSON strings). */
export const vkConsentKeyboard = (): string =>
  JSON.stringify({
    inline: true,
    buttons: [[button(ru.consentYes, 'consent_yes', 'positive'), button(ru.consentNo, 'consent_no', 'negative')]],
  });

export const vkNewCaseKeyboard = (): string =>
  JSON.stringify({ inline: true, buttons: [[button(ru.newCaseButton, 'new_case', 'primary')]] });

/** Reads a button's command from a message payload or a typed command («/status», «Начать»). */
export function commandOf(payload: unknown, text: string): VkCommand | null {
  if (typeof payload === 'string') {
    try {
      const parsed = JSON.parse(payload) as { cmd?: unknown; command?: unknown };
      if (parsed.command === 'start') return 'start';
      if (
        typeof parsed.cmd === 'string' &&
        ['consent_yes', 'consent_no', 'new_case', 'status', 'start', 'help'].includes(parsed.cmd)
      ) {
        return parsed.cmd as VkCommand;
      }
    } catch {
      // not a payload of ours: fall through to the text
    }
  }
  const t = text.trim().toLowerCase();
  if (t === '/start' || t === 'начать' || t === 'старт') return 'start';
  if (t === '/status' || t === 'мои обращения' || t === 'статус') return 'status';
  if (t === '/help' || t === 'помощь') return 'help';
  return null;
}
