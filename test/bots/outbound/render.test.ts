import { describe, expect, it } from 'vitest';
import type { Button, ButtonAction, Buttons } from '../../../bots/outbound/buttons.js';
import { render } from '../../../bots/outbound/render.js';
import { ru } from '../../../bots/texts/ru.js';
import type { CaseCard } from '../../../models/case-query.js';
import type { CitizenNotification } from '../../../models/citizen-notification.js';
import type { OutboundMessage, Recipient } from '../../../models/outbound.js';
import type { AlertDetails } from '../../../models/problem-query.js';

const CITY = { name: 'Барнаул', timezone: 'Asia/Barnaul', locale: 'ru-RU' };
const CHAT: Recipient = { channel: 'telegram', chatId: '42' };

/** Each button as [label, action or url]: what a messenger shows and what a press asks for. */
const pressOf = (b: Button): [string, ButtonAction | string] => [b.label, 'url' in b ? b.url : b.action];
const buttonsOf = (message: OutboundMessage, to: Recipient = CHAT): [string, ButtonAction | string][][] =>
  render(message, to, CITY).buttons.map((row) => row.map(pressOf));
const notification = (n: CitizenNotification): OutboundMessage => ({ kind: 'citizen_notification', notification: n });
const tonesOf = (buttons: Buttons) => buttons.map((row) => row.map((b) => ('tone' in b ? b.tone : 'link')));

const card: CaseCard = {
  id: 7,
  number: 'МЦУ-2026-000007',
  text: 'Яма у дома 5',
  channel: 'vk',
  district: null,
  deadlineAt: null,
  priority: 'normal',
  kind: null,
};

const alert = (kind: AlertDetails['kind'], details: Record<string, unknown>): AlertDetails => ({
  id: 3,
  kind,
  caseId: 7,
  details,
  case: { number: 'МЦУ-2026-000007', text: 'Яма', category: null, district: null, department: null, urgencyRule: null },
  problem: null,
});

describe('the renderer: which text and buttons for which message', () => {
  it('when a citizen is told their case was opened, then the text is the notification and the one button is «Новое обращение»', () => {
    const message = notification({ kind: 'case_opened', caseNumber: 'МЦУ-2026-000007', firstResponse: '24h' });
    const rendered = render(message, CHAT, CITY);
    expect(rendered.text).toBe(
      ru.citizenNotification({ kind: 'case_opened', caseNumber: 'МЦУ-2026-000007', firstResponse: '24h' }, CITY),
    );
    expect(buttonsOf(message)).toEqual([[[ru.newCaseButton, { type: 'new_case' }]]]);
    expect(tonesOf(rendered.buttons)).toEqual([['primary']]);
    expect(rendered.photos).toEqual([]);
  });

  it('when the poll is asked, then Да / Нет in one row', () => {
    const message = notification({ kind: 'poll', caseId: 7, caseNumber: 'МЦУ-2026-000007', reminder: false });
    expect(buttonsOf(message)).toEqual([
      [
        [ru.pollYes, { type: 'poll', caseId: 7, solved: true }],
        [ru.pollNo, { type: 'poll', caseId: 7, solved: false }],
      ],
    ]);
    expect(tonesOf(render(message, CHAT, CITY).buttons)).toEqual([['positive', 'negative']]);
  });

  it('when the rating is asked, then 1 to 5 in one row', () => {
    const message = notification({ kind: 'poll_rate', caseId: 7, caseNumber: 'МЦУ-2026-000007' });
    expect(buttonsOf(message)).toEqual([[1, 2, 3, 4, 5].map((rating) => [String(rating), { type: 'rate', caseId: 7, rating }])]);
  });

  it('when the poll is thanked for a case, then «Добавить комментарий» and then «Новое обращение»; without a case only «Новое обращение»', () => {
    const withCase = notification({ kind: 'poll_thanks', reopened: false, caseId: 7 });
    expect(buttonsOf(withCase)).toEqual([
      [[ru.pollCommentButton, { type: 'poll_comment', caseId: 7 }]],
      [[ru.newCaseButton, { type: 'new_case' }]],
    ]);
    expect(tonesOf(render(withCase, CHAT, CITY).buttons)).toEqual([['primary'], ['secondary']]);
    expect(buttonsOf(notification({ kind: 'poll_thanks', reopened: true }))).toEqual([
      [[ru.newCaseButton, { type: 'new_case' }]],
    ]);
  });

  it('when a follow-up waits for the choice, then «Дополнение к обращению …» and «Новое обращение», one per row, for that message', () => {
    const message = notification({ kind: 'follow_up_choice', messageId: 99, caseNumber: 'МЦУ-2026-000007', waitMinutes: 10 });
    expect(buttonsOf(message)).toEqual([
      [[ru.followUpAdditionButton('МЦУ-2026-000007'), { type: 'follow_up', messageId: 99, choice: 'addition' }]],
      [[ru.newCaseButton, { type: 'follow_up', messageId: 99, choice: 'new' }]],
    ]);
  });

  it('when a message may be chatter, then «Да, это обращение» and «Нет, не обращение» in one row, for that message', () => {
    const message = notification({ kind: 'intent_question', messageId: 99, waitMinutes: 5 });
    expect(buttonsOf(message)).toEqual([
      [
        [ru.intentAppealButton, { type: 'intent', messageId: 99, appeal: true }],
        [ru.intentNotAppealButton, { type: 'intent', messageId: 99, appeal: false }],
      ],
    ]);
  });

  it('when an answer goes to a chat, then it carries the heading and its photos; as a reply comment in a thread, the answer alone', () => {
    const message: OutboundMessage = { kind: 'answer', text: 'Яму заделали.', photos: [{ telegramFileId: 'F1' }] };
    expect(render(message, CHAT, CITY)).toEqual({
      text: ru.answerToCitizen('Яму заделали.'),
      buttons: [],
      photos: [{ telegramFileId: 'F1' }],
    });
    const thread: Recipient = { channel: 'vk', chatId: '-1', thread: { postId: '5', commentId: '6' } };
    expect(render(message, thread, CITY).text).toBe('Яму заделали.');
  });

  it('when an official gets a case card, then take, answer / interim, extend / ask, redirect — and «Открыть» beside it for an https link only', () => {
    const actions = [
      [[ru.takeButton, { type: 'take', caseId: 7 }]],
      [
        [ru.answerButton, { type: 'answer', caseId: 7, kind: 'final' }],
        [ru.interimButton, { type: 'answer', caseId: 7, kind: 'interim' }],
      ],
      [
        [ru.extendButton, { type: 'extend', caseId: 7 }],
        [ru.askButton, { type: 'ask', caseId: 7 }],
      ],
      [[ru.redirectButton, { type: 'redirect', caseId: 7 }]],
    ];
    const message: OutboundMessage = { kind: 'case_card', card };
    expect(render(message, CHAT, CITY).text).toBe(ru.reminderCard(card, CITY));
    expect(buttonsOf(message)).toEqual(actions);
    const linked: OutboundMessage = { kind: 'case_card', card: { ...card, permalink: 'https://vk.com/wall-1_5?reply=6' } };
    expect(buttonsOf(linked).at(-1)).toEqual([
      [ru.redirectButton, { type: 'redirect', caseId: 7 }],
      [ru.openButton, 'https://vk.com/wall-1_5?reply=6'],
    ]);
    expect(buttonsOf({ kind: 'case_card', card: { ...card, permalink: 'javascript:alert(1)' } })).toEqual(actions);
  });

  it('when operators are alerted, then only the alerts they decide on carry the decision buttons', () => {
    expect(buttonsOf({ kind: 'operator_alert', alert: alert('extension_requested', { requestId: 11 }) })).toEqual([
      [
        [ru.approveButton, { type: 'extension_decision', requestId: 11, approve: true }],
        [ru.rejectButton, { type: 'extension_decision', requestId: 11, approve: false }],
      ],
    ]);
    expect(buttonsOf({ kind: 'operator_alert', alert: alert('answer_held', { answerId: 12 }) })).toEqual([
      [
        [ru.sendAnswerButton, { type: 'held_decision', answerId: 12, approve: true }],
        [ru.returnAnswerButton, { type: 'held_decision', answerId: 12, approve: false }],
      ],
    ]);
    expect(buttonsOf({ kind: 'operator_alert', alert: alert('answer_held', {}) })).toEqual([]);
    expect(buttonsOf({ kind: 'operator_alert', alert: alert('reopened', {}) })).toEqual([]);
  });

  it('when a digest or the parked-update notice is sent, then a plain text without buttons', () => {
    const digest = { date: '2026-12-01', triage: 2 };
    expect(render({ kind: 'digest', digest }, CHAT, CITY)).toEqual({
      text: ru.morningDigest(digest, CITY),
      buttons: [],
      photos: [],
    });
    expect(render({ kind: 'processing_failed' }, CHAT, CITY)).toEqual({ text: ru.internalError, buttons: [], photos: [] });
  });
});
