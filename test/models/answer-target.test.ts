import { describe, expect, it } from 'vitest';
import { answerRecipient, answerTargetFor } from '../../models/answer-target.js';

describe('answer target', () => {
  it('when a MAX channel comment read by page monitoring is answered, then the answer is only recorded, never a channel post', () => {
    const target = answerTargetFor({
      channel: 'max',
      kind: 'comment',
      platform_ids: { channel_id: -70, post_id: 'mid.post', message_id: 'mid.comment', user_id: 5 },
    });
    expect(target).toEqual({ channel: 'max', mode: 'record', onPage: true });
  });

  it('when a MAX message is answered, then the answer quotes its mid as stored (a string, not a number)', () => {
    const target = answerTargetFor({ channel: 'max', kind: 'private', platform_ids: { chat_id: 77, message_id: 'mid.0a1b2c' } });
    expect(target).toEqual({ channel: 'max', mode: 'private', chatId: '77', replyTo: 'mid.0a1b2c' });
    expect(target && target.mode !== 'record' ? answerRecipient(target) : null).toEqual({
      channel: 'max',
      chatId: '77',
      replyToMessageId: 'mid.0a1b2c',
    });
  });

  it('when a Telegram message is answered, then its numeric id is quoted as before', () => {
    const target = answerTargetFor({ channel: 'telegram', kind: 'private', platform_ids: { chat_id: 5, message_id: 12 } });
    expect(target && target.mode !== 'record' ? answerRecipient(target) : null).toEqual({
      channel: 'telegram',
      chatId: '5',
      replyToMessageId: '12',
    });
  });
});
