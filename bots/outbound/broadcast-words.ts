import { BROADCAST_OPS, type BroadcastOp, type ButtonAction } from './buttons.js';

/**
 * The words of the subscription and broadcast buttons, for the messengers whose buttons carry a string
 * (Telegram `callback_data`, at most 64 bytes; MAX callback `payload`): `sub:d:<district>`,
 * `sub:t:<topic>`, `sub:city`, `sub:done`, `unsub:<broadcast|0>`, `bc:<broadcast>:<op>`,
 * `bcs:<broadcast>:<district|*>`, `bcp:<broadcast>:<problem>`. A contract with buttons already sent
 * (test/bots/outbound/wire.test.ts).
 */
export type BroadcastAction = Extract<
  ButtonAction,
  { type: 'sub_toggle' | 'sub_city' | 'sub_done' | 'unsubscribe' | 'broadcast' | 'broadcast_segment' | 'broadcast_problem' }
>;

export function encodeBroadcastWords(action: BroadcastAction): string {
  switch (action.type) {
    case 'sub_toggle':
      return `sub:${action.what === 'district' ? 'd' : 't'}:${action.id}`;
    case 'sub_city':
      return 'sub:city';
    case 'sub_done':
      return 'sub:done';
    case 'unsubscribe':
      return `unsub:${action.broadcastId ?? 0}`;
    case 'broadcast':
      return `bc:${action.broadcastId}:${action.op}`;
    case 'broadcast_segment':
      return `bcs:${action.broadcastId}:${action.district ?? '*'}`;
    case 'broadcast_problem':
      return `bcp:${action.broadcastId}:${action.problemId}`;
  }
}

// Domain ids are kebab-case (config/domain.ts); at most 40 characters here to stay under 64 bytes.
const DOMAIN_ID = '[a-z][a-z0-9-]{0,39}';
const TOGGLE = new RegExp(`^sub:(d|t):(${DOMAIN_ID})$`);
const SEGMENT = new RegExp(`^bcs:([1-9]\\d{0,14}):(\\*|${DOMAIN_ID})$`);
const UNSUB = /^unsub:(0|[1-9]\d{0,14})$/;
const CONTROL = new RegExp(`^bc:([1-9]\\d{0,14}):(${BROADCAST_OPS.join('|')})$`);
const PROBLEM = /^bcp:([1-9]\d{0,14}):([1-9]\d{0,14})$/;

/** Reads a subscription or broadcast button; null for any other string. */
export function parseBroadcastWords(data: string): BroadcastAction | null {
  if (data === 'sub:city') return { type: 'sub_city' };
  if (data === 'sub:done') return { type: 'sub_done' };
  const toggle = TOGGLE.exec(data);
  if (toggle) return { type: 'sub_toggle', what: toggle[1] === 'd' ? 'district' : 'topic', id: String(toggle[2]) };
  const unsub = UNSUB.exec(data);
  if (unsub) return { type: 'unsubscribe', broadcastId: unsub[1] === '0' ? null : Number(unsub[1]) };
  const control = CONTROL.exec(data);
  if (control) return { type: 'broadcast', broadcastId: Number(control[1]), op: control[2] as BroadcastOp };
  const problem = PROBLEM.exec(data);
  if (problem) return { type: 'broadcast_problem', broadcastId: Number(problem[1]), problemId: Number(problem[2]) };
  const segment = SEGMENT.exec(data);
  if (segment) {
    return {
      type: 'broadcast_segment',
      broadcastId: Number(segment[1]),
      district: segment[2] === '*' ? null : String(segment[2]),
    };
  }
  return null;
}
