import { describe, expect, it } from 'vitest';
import { checkTelegramUpdate } from '../../bots/telegram/edge.js';
import { checkVkEvent } from '../../bots/vk/edge.js';
import { makeStorable } from '../../handlers/inbox/index.js';
import { vkEvent } from '../helpers/payloads.js';

const GROUP = 219_000_555;
const vk = (type: string, object: Record<string, unknown>) =>
  vkEvent({ groupId: GROUP, secret: 's3cret' }, type, object, `e-${type}`);

describe('the edge check', () => {
  it('when a VK post and a comment under it arrive, then they share a lane (the post is stored before its comments are decided)', () => {
    const post = checkVkEvent(
      vk('wall_post_new', { id: 80, owner_id: -GROUP, from_id: -GROUP, date: 1_764_400_000, text: 'Новость' }),
    );
    const reply = checkVkEvent(vk('wall_reply_new', { id: 801, post_id: 80, from_id: 5, date: 1_764_400_100, text: 'Вопрос' }));
    const elsewhere = checkVkEvent(
      vk('wall_reply_new', { id: 802, post_id: 81, from_id: 5, date: 1_764_400_100, text: 'Другой' }),
    );
    expect(post.ok && reply.ok && elsewhere.ok).toBe(true);
    if (post.ok && reply.ok && elsewhere.ok) {
      expect(reply.lane).toBe(post.lane);
      expect(elsewhere.lane).not.toBe(post.lane);
      // The secret is not kept with the event.
      expect(JSON.stringify(post.payload)).not.toContain('s3cret');
    }
  });

  it('when a Telegram update comes from a chat, then its lane is the chat; a press in a private chat shares it', () => {
    const message = checkTelegramUpdate({
      update_id: 1,
      message: { message_id: 1, date: 1_764_400_000, chat: { id: 42, type: 'private' }, text: 'x' },
    });
    const press = checkTelegramUpdate({
      update_id: 2,
      callback_query: {
        id: 'q',
        from: { id: 42, is_bot: false, first_name: 'A' },
        data: 'consent:yes',
        message: { message_id: 3, chat: { id: 42, type: 'private' }, date: 0 },
      },
    });
    expect(message.ok && press.ok && message.lane === press.lane).toBe(true);
  });

  it('when strings cannot be stored as they are, then lone surrogates and NUL become U+FFFD and everything else stays', () => {
    expect(makeStorable({ 'k\u0000': ['a\ud83db', '👨‍👩‍👧 \u200f עברית', 1.5, null] })).toEqual({
      ok: true,
      value: { 'k\uFFFD': ['a\uFFFDb', '👨‍👩‍👧 \u200f עברית', 1.5, null] },
    });
    expect(makeStorable({ n: Number.POSITIVE_INFINITY })).toEqual({ ok: false, reason: 'number_out_of_range' });
    let deep: unknown = [];
    for (let i = 0; i < 5_000; i++) deep = [deep];
    expect(makeStorable(deep)).toEqual({ ok: false, reason: 'nested_too_deep' });
  });
});
