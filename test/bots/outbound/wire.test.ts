import { InlineKeyboard } from 'grammy';
import { describe, expect, it } from 'vitest';
import { encodeMaxPayload, parseMaxPayload } from '../../../bots/max/payload.js';
import {
  type ButtonAction,
  broadcastButtons,
  caseCardButtons,
  consentButtons,
  followUpChoiceButtons,
  forceButtons,
  newCaseButtons,
  pollButtons,
  pollThanksButtons,
  ratingButtons,
} from '../../../bots/outbound/buttons.js';
import { subscriptionControlRow } from '../../../bots/outbound/subscription-buttons.js';
import { decodeCallback, encodeCallback } from '../../../bots/telegram/callback-data.js';
import { inlineKeyboard } from '../../../bots/telegram/keyboards.js';
import { ru } from '../../../bots/texts/ru.js';
import { commandOf, vkConsentKeyboard, vkKeyboard } from '../../../bots/vk/keyboards.js';
import { encodeVkPayload, parseVkPayload } from '../../../bots/vk/payload.js';

/**
 * Buttons already sent to people keep working only if their wire format never changes: these are the
 * exact Telegram callback_data strings and VK payloads that were sent before the channel port.
 */
const WIRE: [ButtonAction, string, string | null][] = [
  [{ type: 'consent', answer: 'yes' }, 'consent:yes', '{"cmd":"consent_yes"}'],
  [{ type: 'consent', answer: 'no' }, 'consent:no', '{"cmd":"consent_no"}'],
  [{ type: 'new_case' }, 'case:new', '{"cmd":"new_case"}'],
  [{ type: 'follow_up', messageId: 99, choice: 'addition' }, 'fu:99:add', '{"cmd":"follow_up","msg":99,"choice":"add"}'],
  [{ type: 'follow_up', messageId: 99, choice: 'new' }, 'fu:99:new', '{"cmd":"follow_up","msg":99,"choice":"new"}'],
  [{ type: 'intent', messageId: 99, appeal: true }, 'int:99:yes', '{"cmd":"intent","msg":99,"appeal":true}'],
  [{ type: 'intent', messageId: 99, appeal: false }, 'int:99:no', '{"cmd":"intent","msg":99,"appeal":false}'],
  [{ type: 'poll', caseId: 7, solved: true }, 'poll:7:yes', '{"cmd":"poll","case":7,"solved":true}'],
  [{ type: 'poll', caseId: 7, solved: false }, 'poll:7:no', '{"cmd":"poll","case":7,"solved":false}'],
  [{ type: 'rate', caseId: 7, rating: 4 }, 'rate:7:4', '{"cmd":"rate","case":7,"rating":4}'],
  [{ type: 'poll_comment', caseId: 7 }, 'pollc:7', '{"cmd":"poll_comment","case":7}'],
  // Officials' and operators' buttons exist in Telegram only (VK had no payload for them before).
  [{ type: 'take', caseId: 7 }, 'take:7', null],
  [{ type: 'answer', caseId: 7, kind: 'final' }, 'answer:7:final', null],
  [{ type: 'answer', caseId: 7, kind: 'interim' }, 'answer:7:interim', null],
  [{ type: 'force' }, 'answer:force', null],
  [{ type: 'extend', caseId: 7 }, 'extend:7', null],
  [{ type: 'redirect', caseId: 7 }, 'redirect:7', null],
  [{ type: 'ask', caseId: 7 }, 'ask:7', null],
  [{ type: 'extension_decision', requestId: 11, approve: true }, 'extd:11:yes', null],
  [{ type: 'held_decision', answerId: 12, approve: false }, 'held:12:no', null],
];

describe('Telegram callback_data', () => {
  it('when any action is encoded, then the string is the one sent before, within 64 bytes, and it decodes back', () => {
    for (const [action, data] of WIRE) {
      expect(encodeCallback(action)).toBe(data);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(decodeCallback(data)).toEqual(action);
    }
    expect(
      Buffer.byteLength(encodeCallback({ type: 'held_decision', answerId: 999_999_999_999_999, approve: true })),
    ).toBeLessThanOrEqual(64);
  });

  it('when data is not ours, then nothing is decoded', () => {
    for (const data of [undefined, '', 'poll:7:maybe', 'rate:7:6', 'take:-1', 'fu:1:other'])
      expect(decodeCallback(data)).toBeNull();
  });

  it('when buttons become an inline keyboard, then it is the keyboard the bot sent before', () => {
    const json = (k: InlineKeyboard) => JSON.stringify(k);
    expect(json(inlineKeyboard(consentButtons()))).toBe(
      json(new InlineKeyboard().text(ru.consentYes, 'consent:yes').text(ru.consentNo, 'consent:no')),
    );
    expect(json(inlineKeyboard(newCaseButtons()))).toBe(json(new InlineKeyboard().text(ru.newCaseButton, 'case:new')));
    expect(json(inlineKeyboard(pollButtons(7)))).toBe(
      json(new InlineKeyboard().text(ru.pollYes, 'poll:7:yes').text(ru.pollNo, 'poll:7:no')),
    );
    const rating = new InlineKeyboard();
    for (let r = 1; r <= 5; r++) rating.text(String(r), `rate:7:${r}`);
    expect(json(inlineKeyboard(ratingButtons(7)))).toBe(json(rating));
    expect(json(inlineKeyboard(pollThanksButtons(7)))).toBe(
      json(new InlineKeyboard().text(ru.pollCommentButton, 'pollc:7').row().text(ru.newCaseButton, 'case:new')),
    );
    expect(json(inlineKeyboard(followUpChoiceButtons(99, 'МЦУ-2026-000007')))).toBe(
      json(
        new InlineKeyboard()
          .text(ru.followUpAdditionButton('МЦУ-2026-000007'), 'fu:99:add')
          .row()
          .text(ru.newCaseButton, 'fu:99:new'),
      ),
    );
    expect(json(inlineKeyboard(forceButtons()))).toBe(json(new InlineKeyboard().text(ru.forceButton, 'answer:force')));
    const link = 'https://vk.com/wall-1_5?reply=6';
    expect(json(inlineKeyboard(caseCardButtons({ id: 7, permalink: link })))).toBe(
      json(
        new InlineKeyboard()
          .text(ru.takeButton, 'take:7')
          .row()
          .text(ru.answerButton, 'answer:7:final')
          .text(ru.interimButton, 'answer:7:interim')
          .row()
          .text(ru.extendButton, 'extend:7')
          .text(ru.askButton, 'ask:7')
          .row()
          .text(ru.redirectButton, 'redirect:7')
          .url(ru.openButton, link),
      ),
    );
  });
});

describe('VK payloads', () => {
  it("when a citizen's action is encoded, then the payload is the one sent before, and it parses back", () => {
    for (const [action, , payload] of WIRE) {
      if (payload === null) continue;
      expect(encodeVkPayload(action)).toBe(payload);
      expect(parseVkPayload(payload)).toEqual(action);
    }
  });

  it('when any action is encoded, then it parses back within 255 characters', () => {
    for (const [action] of WIRE) {
      const payload = encodeVkPayload(action);
      expect(payload.length).toBeLessThanOrEqual(255);
      expect(parseVkPayload(payload)).toEqual(action);
    }
  });

  it('when a payload is not ours, then nothing is parsed', () => {
    for (const payload of [
      undefined,
      5,
      'not json',
      'null',
      '"x"',
      '{"cmd":"poll","case":7}',
      '{"cmd":"rate","case":7,"rating":9}',
      '{"cmd":"poll","case":-1,"solved":true}',
      '{"cmd":"follow_up","msg":1,"choice":"x"}',
      '{"command":"start"}',
    ])
      expect(parseVkPayload(payload)).toBeNull();
  });

  it('when buttons become a VK keyboard, then it is the JSON VK got before (labels, payloads, colours)', () => {
    const text = (label: string, payload: object, color: string) => ({
      action: { type: 'text', label, payload: JSON.stringify(payload) },
      color,
    });
    const keyboard = (buttons: object[][]) => JSON.stringify({ inline: true, buttons });
    expect(vkConsentKeyboard()).toBe(
      keyboard([
        [text(ru.consentYes, { cmd: 'consent_yes' }, 'positive'), text(ru.consentNo, { cmd: 'consent_no' }, 'negative')],
      ]),
    );
    expect(vkKeyboard(newCaseButtons())).toBe(keyboard([[text(ru.newCaseButton, { cmd: 'new_case' }, 'primary')]]));
    expect(vkKeyboard(pollButtons(7))).toBe(
      keyboard([
        [
          text(ru.pollYes, { cmd: 'poll', case: 7, solved: true }, 'positive'),
          text(ru.pollNo, { cmd: 'poll', case: 7, solved: false }, 'negative'),
        ],
      ]),
    );
    expect(vkKeyboard(ratingButtons(7))).toBe(
      keyboard([[1, 2, 3, 4, 5].map((rating) => text(String(rating), { cmd: 'rate', case: 7, rating }, 'secondary'))]),
    );
    expect(vkKeyboard(pollThanksButtons(7))).toBe(
      keyboard([
        [text(ru.pollCommentButton, { cmd: 'poll_comment', case: 7 }, 'primary')],
        [text(ru.newCaseButton, { cmd: 'new_case' }, 'secondary')],
      ]),
    );
    expect(vkKeyboard(followUpChoiceButtons(99, 'МЦУ-2026-000007'))).toBe(
      keyboard([
        [text(ru.followUpAdditionButton('МЦУ-2026-000007'), { cmd: 'follow_up', msg: 99, choice: 'add' }, 'primary')],
        [text(ru.newCaseButton, { cmd: 'follow_up', msg: 99, choice: 'new' }, 'secondary')],
      ]),
    );
  });

  it('when a label is longer than VK allows, then it is cut to 40 characters with «…»', () => {
    const long = 'МЦУ-2026-0000000000000007';
    const [row] = JSON.parse(vkKeyboard(followUpChoiceButtons(99, long))).buttons as { action: { label: string } }[][];
    expect(row?.[0]?.action.label).toBe(`${ru.followUpAdditionButton(long).slice(0, 39)}…`);
  });

  it('when a message carries a button payload or a typed command, then the command is read from it', () => {
    expect(commandOf('{"cmd":"consent_yes"}', 'Согласен(на)')).toBe('consent_yes');
    expect(commandOf('{"cmd":"consent_no"}', '')).toBe('consent_no');
    expect(commandOf('{"cmd":"new_case"}', '')).toBe('new_case');
    expect(commandOf('{"command":"start"}', 'Начать')).toBe('start');
    expect(commandOf('{"cmd":"status"}', '')).toBe('status');
    expect(commandOf(undefined, ' Помощь ')).toBe('help');
    expect(commandOf('{"cmd":"poll","case":7,"solved":true}', 'Да')).toBeNull();
  });
});

/**
 * The subscription buttons (/subscribe and «Отписаться» under every broadcast): Telegram callback_data,
 * MAX callback payload (the same words) and VK payload, pinned from their first release.
 */
const SUBSCRIPTION_WIRE: [ButtonAction, string, string][] = [
  [{ type: 'sub_toggle', what: 'district', id: 'central' }, 'sub:d:central', '{"cmd":"sub","d":"central"}'],
  [{ type: 'sub_toggle', what: 'topic', id: 'outages' }, 'sub:t:outages', '{"cmd":"sub","t":"outages"}'],
  [{ type: 'sub_city' }, 'sub:city', '{"cmd":"sub_city"}'],
  [{ type: 'sub_done' }, 'sub:done', '{"cmd":"sub_done"}'],
  [{ type: 'unsubscribe', broadcastId: null }, 'unsub:0', '{"cmd":"unsub"}'],
  [{ type: 'unsubscribe', broadcastId: 42 }, 'unsub:42', '{"cmd":"unsub","b":42}'],
];

describe('subscription buttons on the wire', () => {
  it('when a subscription action is encoded, then Telegram, MAX and VK carry the pinned strings, and they parse back', () => {
    for (const [action, words, vk] of SUBSCRIPTION_WIRE) {
      expect(encodeCallback(action)).toBe(words);
      expect(decodeCallback(words)).toEqual(action);
      expect(encodeMaxPayload(action)).toBe(words);
      expect(parseMaxPayload(words)).toEqual(action);
      expect(encodeVkPayload(action)).toBe(vk);
      expect(parseVkPayload(vk)).toEqual(action);
    }
    // The longest id a domain file may give still fits Telegram's 64 bytes.
    const longest = encodeCallback({ type: 'sub_toggle', what: 'district', id: `a${'-b'.repeat(19)}c` });
    expect(Buffer.byteLength(longest)).toBeLessThanOrEqual(64);
  });

  it('when a subscription button carries something that is no id, then nothing is decoded', () => {
    for (const data of ['sub:x:central', 'sub:d:', 'sub:d:Central', 'sub:d:a b', 'unsub:-1', 'unsub:x'])
      expect(decodeCallback(data)).toBeNull();
    for (const payload of ['{"cmd":"sub"}', '{"cmd":"sub","d":5}', '{"cmd":"unsub","b":-1}', '{"cmd":"sub","d":"../x"}'])
      expect(parseVkPayload(payload)).toBeNull();
  });

  it('when «Готово» and «Отписаться» become Telegram buttons, then they are the pinned callback buttons', () => {
    expect(JSON.stringify(inlineKeyboard([subscriptionControlRow({ active: true })]))).toBe(
      JSON.stringify(
        new InlineKeyboard().text(ru.subscriptions.doneButton, 'sub:done').text(ru.subscriptions.unsubscribeAllButton, 'unsub:0'),
      ),
    );
    expect(JSON.stringify(inlineKeyboard(broadcastButtons(42)))).toBe(
      JSON.stringify(new InlineKeyboard().text(ru.broadcastMessage.unsubscribeButton, 'unsub:42')),
    );
  });

  it("when VK's intent buttons are on, then «Готово» is intent_subscribe and «Отписаться от всех» intent_unsubscribe; under a broadcast «Отписаться» stays ours", () => {
    const intents = { peerId: 555, intent: 'non_promo_newsletter' as const };
    expect(JSON.parse(vkKeyboard([subscriptionControlRow({ active: true })], intents))).toEqual({
      inline: true,
      buttons: [
        [
          { action: { type: 'intent_subscribe', peer_id: 555, intent: 'non_promo_newsletter', label: 'Готово' } },
          { action: { type: 'intent_unsubscribe', peer_id: 555, intent: 'non_promo_newsletter', label: 'Отписаться от всех' } },
        ],
      ],
    });
    // The broadcast's own «Отписаться» keeps its id in our payload (an intent button carries none).
    expect(JSON.parse(vkKeyboard(broadcastButtons(42), intents))).toEqual({
      inline: true,
      buttons: [[{ action: { type: 'text', label: 'Отписаться', payload: '{"cmd":"unsub","b":42}' }, color: 'secondary' }]],
    });
    // Without them (a client that cannot show them, or a non-newsletter intent): our text buttons.
    expect(JSON.parse(vkKeyboard([subscriptionControlRow({ active: false })])).buttons[0][0]).toEqual({
      action: { type: 'text', label: 'Готово', payload: '{"cmd":"sub_done"}' },
      color: 'positive',
    });
  });

  it("when a VK intent button is pressed, then VK's own payload reads as «Готово» or «Отписаться от всех»", () => {
    const internal = (type: string) =>
      JSON.stringify({ command: 'internal_command', action: { type, intent: 'non_promo_newsletter' } });
    expect(parseVkPayload(internal('intent_subscribe'))).toEqual({ type: 'sub_done' });
    expect(parseVkPayload(internal('intent_unsubscribe'))).toEqual({ type: 'unsubscribe', broadcastId: null });
    expect(parseVkPayload(internal('open_app'))).toBeNull();
    expect(parseVkPayload('{"command":"internal_command"}')).toBeNull();
  });

  it('when a subscription command is typed in VK or MAX, with or without the slash, then it is read', () => {
    expect(commandOf(undefined, 'Подписаться')).toBe('subscribe');
    expect(commandOf(undefined, '/subscribe')).toBe('subscribe');
    expect(commandOf(undefined, ' отписаться ')).toBe('unsubscribe');
    expect(commandOf(undefined, '/unsubscribe')).toBe('unsubscribe');
  });
});

/** The staff's broadcast buttons (the /broadcast wizard, the preview, the progress message), pinned as above. */
const STAFF_BROADCAST_WIRE: [ButtonAction, string, string][] = [
  [{ type: 'broadcast', broadcastId: 42, op: 'start' }, 'bc:42:start', '{"cmd":"bc","b":42,"op":"start"}'],
  [{ type: 'broadcast', broadcastId: 42, op: 'problems' }, 'bc:42:problems', '{"cmd":"bc","b":42,"op":"problems"}'],
  [{ type: 'broadcast', broadcastId: 42, op: 'emergency' }, 'bc:42:emergency', '{"cmd":"bc","b":42,"op":"emergency"}'],
  [{ type: 'broadcast', broadcastId: 42, op: 'normal' }, 'bc:42:normal', '{"cmd":"bc","b":42,"op":"normal"}'],
  [{ type: 'broadcast_segment', broadcastId: 42, district: null }, 'bcs:42:*', '{"cmd":"bcs","b":42,"d":null}'],
  [{ type: 'broadcast_segment', broadcastId: 42, district: 'central' }, 'bcs:42:central', '{"cmd":"bcs","b":42,"d":"central"}'],
  [{ type: 'broadcast_problem', broadcastId: 42, problemId: 317 }, 'bcp:42:317', '{"cmd":"bcp","b":42,"p":317}'],
];

describe('staff broadcast buttons on the wire', () => {
  it('when a wizard button is encoded, then Telegram, MAX and VK carry the pinned strings, and they parse back', () => {
    for (const [action, words, vk] of STAFF_BROADCAST_WIRE) {
      expect(encodeCallback(action)).toBe(words);
      expect(decodeCallback(words)).toEqual(action);
      expect(encodeMaxPayload(action)).toBe(words);
      expect(parseMaxPayload(words)).toEqual(action);
      expect(encodeVkPayload(action)).toBe(vk);
      expect(parseVkPayload(vk)).toEqual(action);
    }
    const longest = encodeCallback({
      type: 'broadcast_problem',
      broadcastId: 999_999_999_999_999,
      problemId: 999_999_999_999_999,
    });
    expect(Buffer.byteLength(longest)).toBeLessThanOrEqual(64);
  });

  it('when a wizard button carries no id or an unknown op, then nothing is decoded', () => {
    for (const data of ['bcp:42:0', 'bcp:0:3', 'bcp:42:x', 'bc:42:launch', 'bc:42:']) expect(decodeCallback(data)).toBeNull();
    for (const payload of ['{"cmd":"bcp","b":42}', '{"cmd":"bcp","b":42,"p":-1}', '{"cmd":"bc","b":42,"op":"launch"}'])
      expect(parseVkPayload(payload)).toBeNull();
  });
});
