import { describe, expect, it } from 'vitest';
import { parkedNotice } from '../../../bots/telegram/create-bot.js';
import type { ChannelPort, DeliveryResult, OutboundMessage, Recipient } from '../../../models/outbound.js';

/** A port that records what it was asked to send and answers with `result`. */
function port(result: DeliveryResult = { status: 'sent' }) {
  const sent: [Recipient, OutboundMessage, string][] = [];
  const outbound: ChannelPort = {
    send: async (to, message, ref) => {
      sent.push([to, message, ref]);
      return result;
    },
    edit: async () => ({ status: 'failed', reason: 'no edits in this test' }),
  };
  return { outbound, sent };
}

describe('the notice after a Telegram update was parked', () => {
  it('when a private message was parked, then the citizen is told through the port, in their chat', async () => {
    const { outbound, sent } = port();
    await parkedNotice(outbound, { update_id: 77, message: { chat: { id: 42, type: 'private' } } });
    expect(sent).toEqual([[{ channel: 'telegram', chatId: '42' }, { kind: 'processing_failed' }, 'parked:77']]);
  });

  it('when a button press was parked, then the one who pressed it is told', async () => {
    const { outbound, sent } = port();
    await parkedNotice(outbound, { update_id: 78, callback_query: { from: { id: 43 } } });
    expect(sent.map(([to]) => to.chatId)).toEqual(['43']);
  });

  it('when the update came from a group, then nobody is told', async () => {
    const { outbound, sent } = port();
    await parkedNotice(outbound, { update_id: 79, message: { chat: { id: -100, type: 'supergroup' } } });
    expect(sent).toEqual([]);
  });

  it('when the notice cannot be delivered, then it throws (the inbox logs it)', async () => {
    const { outbound } = port({ status: 'blocked', reason: 'Forbidden: bot was blocked by the user' });
    await expect(parkedNotice(outbound, { update_id: 80, message: { chat: { id: 42, type: 'private' } } })).rejects.toThrow(
      'Forbidden: bot was blocked by the user',
    );
  });
});
