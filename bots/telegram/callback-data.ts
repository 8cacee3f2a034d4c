import { encodeBroadcastWords, parseBroadcastWords } from '../outbound/broadcast-words.js';
import type { ButtonAction } from '../outbound/buttons.js';

/**
 * Telegram's codec for button actions: `callback_data` strings (at most 64 bytes), built and parsed
 * here, never with ad-hoc split(). The strings are a contract with buttons already sent: keep them.
 */
export function encodeCallback(action: ButtonAction): string {
  switch (action.type) {
    case 'consent':
      return `consent:${action.answer}`;
    case 'new_case':
      return 'case:new';
    case 'follow_up':
      return `fu:${action.messageId}:${action.choice === 'addition' ? 'add' : 'new'}`;
    case 'intent':
      return `int:${action.messageId}:${action.appeal ? 'yes' : 'no'}`;
    case 'poll':
      return `poll:${action.caseId}:${action.solved ? 'yes' : 'no'}`;
    case 'rate':
      return `rate:${action.caseId}:${action.rating}`;
    case 'poll_comment':
      return `pollc:${action.caseId}`;
    case 'take':
      return `take:${action.caseId}`;
    case 'answer':
      return `answer:${action.caseId}:${action.kind}`;
    case 'force':
      return 'answer:force';
    case 'extend':
      return `extend:${action.caseId}`;
    case 'redirect':
      return `redirect:${action.caseId}`;
    case 'ask':
      return `ask:${action.caseId}`;
    case 'extension_decision':
      return `extd:${action.requestId}:${action.approve ? 'yes' : 'no'}`;
    case 'held_decision':
      return `held:${action.answerId}:${action.approve ? 'yes' : 'no'}`;
    case 'sub_toggle':
    case 'sub_city':
    case 'sub_done':
    case 'unsubscribe':
    case 'broadcast':
    case 'broadcast_segment':
    case 'broadcast_problem':
      return encodeBroadcastWords(action);
  }
}

export function decodeCallback(data: string | undefined): ButtonAction | null {
  if (data === 'consent:yes') return { type: 'consent', answer: 'yes' };
  if (data === 'consent:no') return { type: 'consent', answer: 'no' };
  if (data === 'case:new') return { type: 'new_case' };
  const intent = /^int:(\d{1,15}):(yes|no)$/.exec(data ?? '');
  if (intent) return { type: 'intent', messageId: Number(intent[1]), appeal: intent[2] === 'yes' };
  const followUp = /^fu:(\d{1,15}):(add|new)$/.exec(data ?? '');
  if (followUp) return { type: 'follow_up', messageId: Number(followUp[1]), choice: followUp[2] === 'add' ? 'addition' : 'new' };
  const poll = /^poll:(\d{1,15}):(yes|no)$/.exec(data ?? '');
  if (poll) return { type: 'poll', caseId: Number(poll[1]), solved: poll[2] === 'yes' };
  const rate = /^rate:(\d{1,15}):([1-5])$/.exec(data ?? '');
  if (rate) return { type: 'rate', caseId: Number(rate[1]), rating: Number(rate[2]) };
  const comment = /^pollc:(\d{1,15})$/.exec(data ?? '');
  if (comment) return { type: 'poll_comment', caseId: Number(comment[1]) };
  const take = /^take:(\d{1,15})$/.exec(data ?? '');
  if (take) return { type: 'take', caseId: Number(take[1]) };
  if (data === 'answer:force') return { type: 'force' };
  const answer = /^answer:(\d{1,15}):(interim|final)$/.exec(data ?? '');
  if (answer) return { type: 'answer', caseId: Number(answer[1]), kind: answer[2] as 'interim' | 'final' };
  const onCase = /^(extend|redirect|ask):(\d{1,15})$/.exec(data ?? '');
  if (onCase) return { type: onCase[1] as 'extend' | 'redirect' | 'ask', caseId: Number(onCase[2]) };
  const decision = /^(extd|held):(\d{1,15}):(yes|no)$/.exec(data ?? '');
  if (decision) {
    const id = Number(decision[2]);
    const approve = decision[3] === 'yes';
    return decision[1] === 'extd'
      ? { type: 'extension_decision', requestId: id, approve }
      : { type: 'held_decision', answerId: id, approve };
  }
  return parseBroadcastWords(data ?? '');
}
