import { describe, expect, it } from 'vitest';
import { pageComments } from '../../bots/max/page-probe.js';
import { discussionComments } from '../../handlers/page-monitoring/channel-reading.js';
import type { RecordedMessage } from '../../models/page-monitoring-repository.js';

/** The page's people answering under their own names: their reply is the page's, their comment no citizen's. */
describe('official pages: replies by the page’s people under their own names', () => {
  it('when a MAX channel’s administrator replies under their own name, then the citizen’s comment is answered at that time', () => {
    const admin = 5009;
    const comments = pageComments(
      'post-1',
      [
        { sender: { user_id: 700 }, timestamp: 1_000, body: { mid: 'c1', text: 'Где автобус?' } },
        {
          sender: { user_id: admin },
          timestamp: 5_000,
          body: { mid: 'r1', text: 'Выйдет в 8:10' },
          link: { type: 'reply', message: { mid: 'c1' } },
        },
        { sender: { user_id: 701 }, timestamp: 6_000, body: { mid: 'c2', text: 'И у нас' } },
        // A citizen replying to a citizen is no answer of the page.
        {
          sender: { user_id: 702 },
          timestamp: 7_000,
          body: { mid: 'c3', text: 'Тоже жду' },
          link: { type: 'reply', message: { mid: 'c2' } },
        },
      ],
      new Set([admin]),
    );
    expect(comments.map((c) => [c.id, c.reply?.id ?? null, c.reply?.at.getTime() ?? null])).toEqual([
      ['c1', 'r1', 5_000],
      ['c2', null, null],
      ['c3', null, null],
    ]);
  });

  it('when an official of the owner department replies in the Telegram discussion group, then it is the page’s reply and not a comment', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 10, 2, 9, 0, s));
    const base: RecordedMessage = {
      externalId: '',
      kind: 'group',
      text: '',
      at: at(0),
      receivedAt: at(0),
      permalink: null,
      authorId: null,
      caseId: null,
      processedAt: null,
      threadId: null,
      replyToId: null,
      senderChatId: null,
      forwardedPostId: null,
      views: null,
    };
    const channelId = '-1001';
    const groupId = '-1002';
    const official = '9001';
    const messages: RecordedMessage[] = [
      { ...base, externalId: '10', senderChatId: channelId, forwardedPostId: '77', at: at(1) },
      { ...base, externalId: '11', authorId: '500', threadId: '10', text: 'Не вывезли мусор', at: at(2) },
      { ...base, externalId: '12', authorId: official, threadId: '10', replyToId: '11', text: 'Вывезем сегодня', at: at(30) },
      { ...base, externalId: '13', authorId: official, threadId: '10', text: 'График на сайте', at: at(40) },
    ];
    const withVoices = discussionComments(messages, channelId, groupId, new Set([official]));
    expect(withVoices.map((c) => [c.id, c.postId, c.reply?.id ?? null])).toEqual([['11', '77', '12']]);
    // Without knowing the official, both their messages would be taken for citizens' comments.
    expect(discussionComments(messages, channelId, groupId).map((c) => c.id)).toEqual(['11', '12', '13']);
  });
});
