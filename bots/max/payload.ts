import { encodeBroadcastWords, parseBroadcastWords } from '../outbound/broadcast-words.js';
import type { ButtonAction } from '../outbound/buttons.js';

/**
 * MAX's codec for button actions: the `payload` string of a callback button (MAX allows 1,024
 * characters), built and parsed here only. The words are Telegram's `callback_data` ones
 * (`poll:7:yes`), so the two read alike, but this is MAX's own contract with buttons already sent:
 * keep it when Telegram's changes. Every action has a form, the officials' ones included.
 */
export function encodeMaxPayload(action: ButtonAction): string {
  switch (action.type) {
    case 'consent':
      return `consent:${action.answer}`;
    case 'new_case':
      return 'case:new';
    case 'follow_up':
      return `fu:${action.messageId}:${action.choice === 'addition' ? 'add' : 'new'}`;
    case 'intent':
      return `int:${action.messageId}:${yesNo(action.appeal)}`;
    case 'poll':
      return `poll:${action.caseId}:${yesNo(action.solved)}`;
    case 'rate':
      return `rate:${action.caseId}:${action.rating}`;
    case 'poll_comment':
      return `pollc:${action.caseId}`;
    case 'take':
    case 'extend':
    case 'redirect':
    case 'ask':
      return `${action.type}:${action.caseId}`;
    case 'answer':
      return `answer:${action.caseId}:${action.kind}`;
    case 'force':
      return 'answer:force';
    case 'extension_decision':
      return `extd:${action.requestId}:${yesNo(action.approve)}`;
    case 'held_decision':
      return `held:${action.answerId}:${yesNo(action.approve)}`;
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

const yesNo = (v: boolean) => (v ? 'yes' : 'no');

/** A positive id as we write it: digits only, no sign, no leading zero, a safe integer. */
function id(part: string | undefined): number | null {
  if (!part || !/^[1-9]\d{0,15}$/.test(part)) return null;
  const n = Number(part);
  return Number.isSafeInteger(n) ? n : null;
}

function flag(part: string | undefined): boolean | null {
  return part === 'yes' ? true : part === 'no' ? false : null;
}

/** Reads a button's action from a callback payload; null for anything that is not ours. */
export function parseMaxPayload(payload: unknown): ButtonAction | null {
  if (typeof payload !== 'string' || payload.length > 64) return null;
  const [tag, first, second, ...rest] = payload.split(':');
  if (rest.length > 0) return null;
  const n = id(first);
  const yes = flag(second);
  switch (tag) {
    case 'consent':
      return second === undefined && (first === 'yes' || first === 'no') ? { type: 'consent', answer: first } : null;
    case 'case':
      return first === 'new' && second === undefined ? { type: 'new_case' } : null;
    case 'fu':
      return n !== null && (second === 'add' || second === 'new')
        ? { type: 'follow_up', messageId: n, choice: second === 'add' ? 'addition' : 'new' }
        : null;
    case 'int':
      return n !== null && yes !== null ? { type: 'intent', messageId: n, appeal: yes } : null;
    case 'poll':
      return n !== null && yes !== null ? { type: 'poll', caseId: n, solved: yes } : null;
    case 'rate':
      return n !== null && second !== undefined && /^[1-5]$/.test(second)
        ? { type: 'rate', caseId: n, rating: Number(second) }
        : null;
    case 'pollc':
    case 'take':
    case 'extend':
    case 'redirect':
    case 'ask':
      return n !== null && second === undefined ? { type: tag === 'pollc' ? 'poll_comment' : tag, caseId: n } : null;
    case 'answer':
      if (first === 'force' && second === undefined) return { type: 'force' };
      return n !== null && (second === 'final' || second === 'interim') ? { type: 'answer', caseId: n, kind: second } : null;
    case 'extd':
      return n !== null && yes !== null ? { type: 'extension_decision', requestId: n, approve: yes } : null;
    case 'held':
      return n !== null && yes !== null ? { type: 'held_decision', answerId: n, approve: yes } : null;
    default:
      return parseBroadcastWords(payload);
  }
}
