import { describe, expect, it } from 'vitest';
import { checkMaxUpdate } from '../../../bots/max/edge.js';
import { HANDLED_MAX_UPDATES, MalformedMaxUpdate, type MaxUpdate, translateMaxUpdate } from '../../../bots/max/translate.js';
import { maxMessage, maxUpdates, maxUser } from '../../helpers/max-fake.js';

const citizen = { userId: 5_550_001, firstName: 'Анна', lastName: 'Тестова', username: 'anna_t' };
const DIALOG = 8_000_001;
const GROUP = -70_000_000_001;

describe('MAX update → IncomingMessage (bots/max/translate.ts)', () => {
  it('when a citizen writes in the dialog with a photo and a location, then a private message with its ids, photo and geo', () => {
    const update = maxUpdates.messageCreated({
      from: citizen,
      chatId: DIALOG,
      text: 'Яма на дороге',
      attachments: [
        { type: 'image', payload: { photo_id: 1, token: 'tok-1', url: 'https://i.oneme.ru/i?r=abc' } },
        { type: 'location', latitude: 53.35, longitude: 83.77 },
        { type: 'file', payload: { url: 'https://fu.oneme.ru/f', token: 'tok-2' }, filename: 'акт.pdf', size: 1024 },
        { type: 'inline_keyboard', payload: { buttons: [] } },
        { type: 'contact', payload: { vcf_info: 'BEGIN:VCARD' } },
      ],
      mid: 'mid.0000000000000001',
    });
    const input = translateMaxUpdate(update as MaxUpdate);
    expect(input).toMatchObject({
      channel: 'max',
      eventId: 'message_created:mid.0000000000000001',
      source: { externalId: String(DIALOG), kind: 'private', official: false },
      externalId: 'mid.0000000000000001',
      kind: 'private',
      action: 'new',
      author: { externalId: String(citizen.userId), displayName: 'Анна Тестова', username: 'anna_t' },
      text: 'Яма на дороге',
      geo: { lat: 53.35, lon: 83.77 },
      thread: null,
      opensCase: true,
    });
    expect(input?.attachments).toEqual([
      { type: 'photo', fileId: 'https://i.oneme.ru/i?r=abc' },
      { type: 'location' },
      { type: 'document', fileId: 'https://fu.oneme.ru/f', name: 'акт.pdf', size: 1024 },
      { type: 'other' },
    ]);
    // Replies and answers find their way back through chat_id and message_id.
    expect(input?.platformIds).toMatchObject({ chat_id: DIALOG, message_id: 'mid.0000000000000001' });
  });

  it('when a group chat message replies to another, then a city-chat message with the thread; a channel post is context', () => {
    const reply = maxUpdates.messageCreated({ from: citizen, chatId: GROUP, chatType: 'chat', text: 'Поддерживаю' });
    (reply.message as Record<string, unknown>).link = {
      type: 'reply',
      message: { mid: 'mid.00000000000000aa', seq: 1, text: 'Когда уберут снег?' },
    };
    expect(translateMaxUpdate(reply as MaxUpdate)).toMatchObject({
      source: { externalId: String(GROUP), kind: 'city_chat', official: false },
      kind: 'chat',
      thread: { commentId: 'mid.00000000000000aa', snippet: 'Когда уберут снег?' },
      opensCase: true,
    });
    const post = {
      update_type: 'message_created',
      timestamp: Date.now(),
      message: maxMessage({ sender: null, chatId: GROUP, chatType: 'channel', text: 'Новости' }),
    };
    expect(translateMaxUpdate(post)).toMatchObject({
      kind: 'channel_post',
      source: { kind: 'official_channel', official: true },
      author: null,
      opensCase: false,
    });
  });

  it('when a message is edited or removed, then an edit (its id carries the time) and a deletion of the same mid', () => {
    const edit = maxUpdates.messageEdited({
      from: citizen,
      chatId: DIALOG,
      text: 'Яма на дороге, глубокая',
      mid: 'mid.0000000000000001',
    });
    const edited = translateMaxUpdate(edit as MaxUpdate);
    expect(edited).toMatchObject({ action: 'edit', externalId: 'mid.0000000000000001', text: 'Яма на дороге, глубокая' });
    expect(edited?.eventId).toBe(`message_edited:mid.0000000000000001:${edit.timestamp}`);
    const removed = translateMaxUpdate(
      maxUpdates.messageRemoved({ chatId: GROUP, mid: 'mid.0000000000000002', userId: citizen.userId }) as MaxUpdate,
    );
    expect(removed).toMatchObject({
      action: 'delete',
      kind: 'chat',
      externalId: 'mid.0000000000000002',
      source: { kind: 'city_chat' },
    });
  });

  it('when an update is a press, a start or a membership change, then it is no message; a message without a mid is malformed', () => {
    expect(translateMaxUpdate(maxUpdates.botStarted({ from: citizen, chatId: DIALOG }) as MaxUpdate)).toBeNull();
    expect(
      translateMaxUpdate(maxUpdates.callback({ from: citizen, chatId: DIALOG, payload: 'case:new' }) as MaxUpdate),
    ).toBeNull();
    expect(() =>
      translateMaxUpdate({
        update_type: 'message_created',
        timestamp: Date.now(),
        message: { recipient: { chat_id: 1 }, body: {} },
      }),
    ).toThrow(MalformedMaxUpdate);
    expect(HANDLED_MAX_UPDATES).toContain('bot_added');
  });
});

describe('the MAX edge check (bots/max/edge.ts)', () => {
  it('when an update is shaped as MAX documents it, then it is accepted with a stable id and the chat as its lane', () => {
    const update = maxUpdates.messageCreated({ from: citizen, chatId: DIALOG, text: 'Привет', mid: 'mid.00000000000000bb' });
    const outcome = checkMaxUpdate(update);
    expect(outcome).toMatchObject({ ok: true, eventId: 'message_created:mid.00000000000000bb', lane: `chat:${DIALOG}` });
    expect(checkMaxUpdate(JSON.parse(JSON.stringify(update)))).toMatchObject({ eventId: 'message_created:mid.00000000000000bb' });
    const press = maxUpdates.callback({ from: citizen, chatId: DIALOG, payload: 'poll:1:yes' });
    const pressed = checkMaxUpdate(press);
    expect(pressed).toMatchObject({ ok: true, lane: `chat:${DIALOG}` });
    expect(pressed.ok && pressed.eventId).toMatch(/^message_callback:cb\./);
    const orphan = { ...press, message: null };
    expect(checkMaxUpdate(orphan)).toMatchObject({ ok: true, lane: `user:${citizen.userId}` });
    expect(checkMaxUpdate(maxUpdates.botStarted({ from: citizen, chatId: DIALOG, payload: 'invite-token' }))).toMatchObject({
      ok: true,
      lane: `chat:${DIALOG}`,
    });
    // A type we do not handle passes with its envelope checked only (it is counted and ignored later).
    expect(
      checkMaxUpdate({
        update_type: 'dialog_muted',
        timestamp: Date.now(),
        chat_id: DIALOG,
        user: maxUser(citizen),
        muted_until: 1,
      }),
    ).toMatchObject({ ok: true });
  });

  it('when an update is what MAX never sends, then it is refused with the paths (never the values) of what is wrong', () => {
    const cases: [unknown, string][] = [
      [{ timestamp: Date.now() }, 'not_an_update: update_type: invalid_type'],
      [{ update_type: 'message_created', timestamp: 1e20 }, 'not_an_update: timestamp: too_big'],
      [
        { ...maxUpdates.messageCreated({ from: citizen, chatId: DIALOG, text: 'x' }), message: { body: { text: {} } } },
        'message_created:',
      ],
      [
        { ...maxUpdates.callback({ from: citizen, chatId: DIALOG, payload: 'x' }), callback: { user: { user_id: 'me' } } },
        'message_callback:',
      ],
      [
        { ...maxUpdates.botStarted({ from: citizen, chatId: DIALOG }), payload: 'p'.repeat(600) },
        'bot_started: payload: too_big',
      ],
    ];
    for (const [value, reason] of cases) {
      const outcome = checkMaxUpdate(value);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.reason.startsWith(reason)).toBe(true);
    }
    const nullAttachment = maxUpdates.messageCreated({ from: citizen, chatId: DIALOG, text: 'вложение null' });
    (nullAttachment.message as { body: Record<string, unknown> }).body.attachments = [null];
    expect(checkMaxUpdate(nullAttachment)).toMatchObject({
      ok: false,
      reason: 'message_created: message.body.attachments.0: invalid_type',
    });
  });
});
