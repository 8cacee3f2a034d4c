import { BROADCAST_OPS, type BroadcastOp, type ButtonAction } from '../outbound/buttons.js';

/**
 * VK's codec for button actions: the JSON `payload` of a text button (at most 255 characters), built
 * and parsed here. The citizens' shapes are a contract with buttons already sent: keep them.
 */
export function encodeVkPayload(action: ButtonAction): string {
  return JSON.stringify(wireOf(action));
}

function wireOf(action: ButtonAction): Record<string, unknown> {
  switch (action.type) {
    case 'consent':
      return { cmd: action.answer === 'yes' ? 'consent_yes' : 'consent_no' };
    case 'new_case':
      return { cmd: 'new_case' };
    case 'follow_up':
      return { cmd: 'follow_up', msg: action.messageId, choice: action.choice === 'addition' ? 'add' : 'new' };
    case 'intent':
      return { cmd: 'intent', msg: action.messageId, appeal: action.appeal };
    case 'poll':
      return { cmd: 'poll', case: action.caseId, solved: action.solved };
    case 'rate':
      return { cmd: 'rate', case: action.caseId, rating: action.rating };
    case 'poll_comment':
      return { cmd: 'poll_comment', case: action.caseId };
    // Officials work in Telegram; these shapes exist so that every action has one VK form.
    case 'take':
    case 'extend':
    case 'redirect':
    case 'ask':
      return { cmd: action.type, case: action.caseId };
    case 'answer':
      return { cmd: 'answer', case: action.caseId, kind: action.kind };
    case 'force':
      return { cmd: 'force' };
    case 'extension_decision':
      return { cmd: 'extd', request: action.requestId, approve: action.approve };
    case 'held_decision':
      return { cmd: 'held', answer: action.answerId, approve: action.approve };
    case 'sub_toggle':
      return { cmd: 'sub', [action.what === 'district' ? 'd' : 't']: action.id };
    case 'sub_city':
      return { cmd: 'sub_city' };
    case 'sub_done':
      return { cmd: 'sub_done' };
    case 'unsubscribe':
      return { cmd: 'unsub', ...(action.broadcastId !== null ? { b: action.broadcastId } : {}) };
    case 'broadcast':
      return { cmd: 'bc', b: action.broadcastId, op: action.op };
    case 'broadcast_segment':
      return { cmd: 'bcs', b: action.broadcastId, d: action.district };
    case 'broadcast_problem':
      return { cmd: 'bcp', b: action.broadcastId, p: action.problemId };
  }
}

const id = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : null);

/** Reads a button's action from a message payload; null for anything else (typed text never has one). */
export function parseVkPayload(payload: unknown): ButtonAction | null {
  if (typeof payload !== 'string') return null;
  let p: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed !== 'object' || parsed === null) return null;
    p = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  // VK's own intent buttons (bots/vk/subscriptions.ts) come back with VK's payload, not ours.
  if (p.command === 'internal_command') {
    const type = (p.action as { type?: unknown } | null | undefined)?.type;
    if (type === 'intent_subscribe') return { type: 'sub_done' };
    return type === 'intent_unsubscribe' ? { type: 'unsubscribe', broadcastId: null } : null;
  }
  const caseId = id(p.case);
  switch (p.cmd) {
    case 'consent_yes':
    case 'consent_no':
      return { type: 'consent', answer: p.cmd === 'consent_yes' ? 'yes' : 'no' };
    case 'new_case':
      return { type: 'new_case' };
    case 'follow_up': {
      const messageId = id(p.msg);
      if (messageId === null || (p.choice !== 'add' && p.choice !== 'new')) return null;
      return { type: 'follow_up', messageId, choice: p.choice === 'add' ? 'addition' : 'new' };
    }
    case 'intent': {
      const messageId = id(p.msg);
      return messageId !== null && typeof p.appeal === 'boolean' ? { type: 'intent', messageId, appeal: p.appeal } : null;
    }
    case 'poll':
      return caseId !== null && typeof p.solved === 'boolean' ? { type: 'poll', caseId, solved: p.solved } : null;
    case 'rate':
      return caseId !== null && typeof p.rating === 'number' && [1, 2, 3, 4, 5].includes(p.rating)
        ? { type: 'rate', caseId, rating: p.rating }
        : null;
    case 'poll_comment':
    case 'take':
    case 'extend':
    case 'redirect':
    case 'ask':
      return caseId !== null ? { type: p.cmd, caseId } : null;
    case 'answer':
      return caseId !== null && (p.kind === 'interim' || p.kind === 'final') ? { type: 'answer', caseId, kind: p.kind } : null;
    case 'force':
      return { type: 'force' };
    case 'extd': {
      const requestId = id(p.request);
      return requestId !== null && typeof p.approve === 'boolean'
        ? { type: 'extension_decision', requestId, approve: p.approve }
        : null;
    }
    case 'held': {
      const answerId = id(p.answer);
      return answerId !== null && typeof p.approve === 'boolean' ? { type: 'held_decision', answerId, approve: p.approve } : null;
    }
    case 'sub': {
      const what = typeof p.d === 'string' ? 'district' : typeof p.t === 'string' ? 'topic' : null;
      const value = what === 'district' ? p.d : p.t;
      return what !== null && typeof value === 'string' && DOMAIN_ID.test(value) ? { type: 'sub_toggle', what, id: value } : null;
    }
    case 'sub_city':
      return { type: 'sub_city' };
    case 'sub_done':
      return { type: 'sub_done' };
    case 'unsub':
      return p.b === undefined
        ? { type: 'unsubscribe', broadcastId: null }
        : id(p.b) !== null
          ? { type: 'unsubscribe', broadcastId: id(p.b) }
          : null;
    case 'bc': {
      const broadcastId = id(p.b);
      return broadcastId !== null && typeof p.op === 'string' && (BROADCAST_OPS as readonly string[]).includes(p.op)
        ? { type: 'broadcast', broadcastId, op: p.op as BroadcastOp }
        : null;
    }
    case 'bcs': {
      const broadcastId = id(p.b);
      const district = p.d === null ? null : typeof p.d === 'string' && DOMAIN_ID.test(p.d) ? p.d : undefined;
      return broadcastId !== null && district !== undefined ? { type: 'broadcast_segment', broadcastId, district } : null;
    }
    case 'bcp': {
      const broadcastId = id(p.b);
      const problemId = id(p.p);
      return broadcastId !== null && problemId !== null ? { type: 'broadcast_problem', broadcastId, problemId } : null;
    }
    default:
      return null;
  }
}

const DOMAIN_ID = /^[a-z][a-z0-9-]{0,39}$/;
