import { describe, expect, it } from 'vitest';
import { maxKeyboard } from '../../../bots/max/keyboards.js';
import { encodeMaxPayload, parseMaxPayload } from '../../../bots/max/payload.js';
import {
  type ButtonAction,
  caseCardButtons,
  consentButtons,
  followUpChoiceButtons,
  intentQuestionButtons,
  pollButtons,
} from '../../../bots/outbound/buttons.js';

/** MAX's callback payloads, a contract with buttons already sent: every action of bots/outbound/buttons.ts. */
const WIRE: [ButtonAction, string][] = [
  [{ type: 'consent', answer: 'yes' }, 'consent:yes'],
  [{ type: 'consent', answer: 'no' }, 'consent:no'],
  [{ type: 'new_case' }, 'case:new'],
  [{ type: 'follow_up', messageId: 99, choice: 'addition' }, 'fu:99:add'],
  [{ type: 'follow_up', messageId: 99, choice: 'new' }, 'fu:99:new'],
  [{ type: 'intent', messageId: 99, appeal: true }, 'int:99:yes'],
  [{ type: 'intent', messageId: 99, appeal: false }, 'int:99:no'],
  [{ type: 'poll', caseId: 7, solved: true }, 'poll:7:yes'],
  [{ type: 'poll', caseId: 7, solved: false }, 'poll:7:no'],
  [{ type: 'rate', caseId: 7, rating: 4 }, 'rate:7:4'],
  [{ type: 'poll_comment', caseId: 7 }, 'pollc:7'],
  [{ type: 'take', caseId: 7 }, 'take:7'],
  [{ type: 'answer', caseId: 7, kind: 'final' }, 'answer:7:final'],
  [{ type: 'answer', caseId: 7, kind: 'interim' }, 'answer:7:interim'],
  [{ type: 'force' }, 'answer:force'],
  [{ type: 'extend', caseId: 7 }, 'extend:7'],
  [{ type: 'redirect', caseId: 7 }, 'redirect:7'],
  [{ type: 'ask', caseId: 7 }, 'ask:7'],
  [{ type: 'extension_decision', requestId: 11, approve: true }, 'extd:11:yes'],
  [{ type: 'held_decision', answerId: 12, approve: false }, 'held:12:no'],
];

describe('MAX callback payloads (bots/max/payload.ts)', () => {
  it('when any action is encoded, then the payload is the pinned one and it decodes back', () => {
    const types = new Set(WIRE.map(([action]) => action.type));
    // Every ButtonAction type has a MAX form, the officials' ones included.
    expect(types.size).toBe(15);
    for (const [action, payload] of WIRE) {
      expect(encodeMaxPayload(action)).toBe(payload);
      expect(parseMaxPayload(payload)).toEqual(action);
    }
    const big: ButtonAction = { type: 'held_decision', answerId: Number.MAX_SAFE_INTEGER, approve: true };
    expect(parseMaxPayload(encodeMaxPayload(big))).toEqual(big);
  });

  it('when a payload is not ours or out of range, then nothing is decoded', () => {
    for (const junk of [
      undefined,
      null,
      42,
      '',
      'consent',
      'consent:maybe',
      'case:old',
      'poll:7',
      'poll:0:yes',
      'poll:-7:yes',
      'poll:07:yes',
      'poll:7:yes:extra',
      'rate:7:6',
      'rate:7:0',
      'take:1e3',
      'take:99999999999999999',
      'answer:7:draft',
      '{"cmd":"consent_yes"}',
      'x'.repeat(2_000),
    ])
      expect(parseMaxPayload(junk)).toBeNull();
  });

  it('when buttons are mapped, then rows become an inline_keyboard of callback and link buttons', () => {
    expect(maxKeyboard([])).toBeNull();
    expect(maxKeyboard(consentButtons())).toEqual({
      type: 'inline_keyboard',
      payload: {
        buttons: [
          [
            { type: 'callback', text: 'Согласен(на)', payload: 'consent:yes' },
            { type: 'callback', text: 'Не согласен(на)', payload: 'consent:no' },
          ],
        ],
      },
    });
    const card = maxKeyboard(caseCardButtons({ id: 5, permalink: 'https://max.ru/c/1/2' })) as unknown as {
      payload: { buttons: { type: string; text: string; url?: string }[][] };
    };
    expect(card.payload.buttons.at(-1)).toEqual([
      { type: 'callback', text: 'Не наше — вернуть', payload: 'redirect:5' },
      { type: 'link', text: 'Открыть', url: 'https://max.ru/c/1/2' },
    ]);
    for (const buttons of [pollButtons(3), intentQuestionButtons(4), followUpChoiceButtons(5, 'МЦУ-2026-000001')]) {
      const rows = (maxKeyboard(buttons) as unknown as { payload: { buttons: { payload: string }[][] } }).payload.buttons;
      for (const b of rows.flat()) expect(parseMaxPayload(b.payload)).not.toBeNull();
    }
  });
});
