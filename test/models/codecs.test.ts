import { describe, expect, it } from 'vitest';
import { type Actor, encodeActor, parseActor } from '../../models/actor.js';
import { JOBS } from '../../models/jobs.js';
import {
  encodeOfficialNotice,
  encodeReminderKind,
  type OfficialNotice,
  parseOfficialNotice,
  parseReminderKind,
  type ReminderKind,
} from '../../models/reminder-kind.js';

// The stored text of each variant is pinned: reminder rows, queued jobs and audit rows already hold
// these texts, so a codec change that alters one would strand them.
const AT = new Date(1_764_400_000_000);

const REMINDER_KINDS: [ReminderKind, string][] = [
  [{ type: 'before', percent: 50 }, 'before:50'],
  [{ type: 'before', percent: 100 }, 'before:100'],
  [{ type: 'before', percent: 1 }, 'before:1'],
  [{ type: 'escalate', role: 'department_head' }, 'escalate:department_head'],
  [{ type: 'escalate', role: 'block_owner' }, 'escalate:block_owner'],
  [{ type: 'escalate', role: 'curator' }, 'escalate:curator'],
  [{ type: 'assigned', department: 'roads-transport', assigneeId: null, at: AT }, 'assigned:roads-transport:all:1764400000000'],
  [
    { type: 'assigned', department: 'territory-zheleznodorozhny', assigneeId: 17, at: AT },
    'assigned:territory-zheleznodorozhny:17:1764400000000',
  ],
  // Written before every routing was announced (no moment): old rows keep it.
  [{ type: 'assigned', department: 'housing', assigneeId: null, at: null }, 'assigned:housing:all'],
  [{ type: 'assigned', department: 'housing', assigneeId: 5, at: null }, 'assigned:housing:5'],
  [{ type: 'reopened', at: AT }, 'reopened:1764400000000'],
  [{ type: 'citizen_replied', at: AT }, 'citizen_replied:1764400000000'],
];

const NOTICES: [OfficialNotice, string][] = [
  [{ type: 'extension_decided', approved: true }, 'extension:approved'],
  [{ type: 'extension_decided', approved: false }, 'extension:rejected'],
  [{ type: 'answer_returned' }, 'answer:rejected'],
];

const ACTORS: [Actor, string][] = [
  [{ type: 'official', officialId: 17 }, 'official:17'],
  [{ type: 'operator', officialId: 3 }, 'operator:3'],
  [{ type: 'citizen', channel: 'telegram' }, 'citizen:telegram'],
  [{ type: 'citizen', channel: 'vk' }, 'citizen:vk'],
  [{ type: 'citizen', channel: null }, 'citizen'],
  // Telegram keeps the form its rows have always had; other messengers name the channel.
  [{ type: 'account', channel: 'telegram', userId: '123456789' }, 'telegram:123456789'],
  [{ type: 'account', channel: 'max', userId: '5551234' }, 'account:max:5551234'],
  [{ type: 'account', channel: 'vk', userId: 'id:7' }, 'account:vk:id:7'],
  [{ type: 'platform', channel: 'telegram' }, 'platform:telegram'],
  [{ type: 'api', author: 'dashboard' }, 'api:dashboard'],
  [{ type: 'api', author: 'Иванов: диспетчер' }, 'api:Иванов: диспетчер'],
  [{ type: 'api', author: '' }, 'api:'],
  [{ type: 'api', author: null }, 'api'],
  [{ type: 'system' }, 'system'],
  [{ type: 'cli' }, 'cli'],
  [{ type: 'sandbox' }, 'sandbox'],
];

describe('reminder kinds (models/reminder-kind.ts)', () => {
  it.each(REMINDER_KINDS)('when %o is stored, then its text is %s and it reads back the same', (kind, text) => {
    expect(encodeReminderKind(kind)).toBe(text);
    expect(parseReminderKind(text)).toEqual(kind);
    expect(encodeOfficialNotice(kind)).toBe(text);
    expect(parseOfficialNotice(text)).toEqual(kind);
  });

  it('when every variant is listed, then each of the five types is pinned', () => {
    expect(new Set(REMINDER_KINDS.map(([k]) => k.type))).toEqual(
      new Set(['before', 'escalate', 'assigned', 'reopened', 'citizen_replied']),
    );
  });

  it.each([
    '',
    'before',
    'before:',
    'before:0',
    'before:101',
    'before:050',
    'before:5.5',
    'escalate:',
    'escalate:mayor',
    'assigned:',
    'assigned:roads',
    'assigned:Roads:all:1',
    'assigned:roads:0:1',
    'assigned:roads:all:01',
    'assigned:roads:x:1',
    'reopened',
    'reopened:',
    'reopened:abc',
    'citizen_replied:-1',
    'extension:approved',
    'answer:rejected',
    'card',
    ' before:50',
    'before:50 ',
  ])('when the text is %j, then it is no reminder kind', (text) => {
    expect(parseReminderKind(text)).toBeNull();
  });

  it('when a kind could not be read back (a department id with a colon), then encoding it throws', () => {
    expect(() => encodeReminderKind({ type: 'assigned', department: 'a:b', assigneeId: null, at: AT })).toThrow(
      /cannot store reminder kind/,
    );
    expect(() => encodeReminderKind({ type: 'before', percent: 0 })).toThrow(/would not parse/);
  });
});

describe('official notices (models/reminder-kind.ts)', () => {
  it.each(NOTICES)('when %o is stored, then its text is %s and it reads back the same', (notice, text) => {
    expect(encodeOfficialNotice(notice)).toBe(text);
    expect(parseOfficialNotice(text)).toEqual(notice);
  });

  it.each(['extension:', 'extension:maybe', 'answer:approved', 'answer', 'card', 'escalate:nobody'])(
    'when the text is %j, then it is no notice',
    (text) => {
      expect(parseOfficialNotice(text)).toBeNull();
    },
  );
});

describe('job payloads (models/jobs.ts)', () => {
  it('when a remind job carries a kind, then only a readable reminder kind passes', () => {
    for (const [, kind] of REMINDER_KINDS) expect(JOBS.remind.schema.safeParse({ caseId: 1, kind }).success).toBe(true);
    for (const kind of ['before:0', 'answer:rejected', 'whatever'])
      expect(JOBS.remind.schema.safeParse({ caseId: 1, kind }).success).toBe(false);
  });

  it('when a notify-official job carries a kind, then a reminder kind or a notice passes, and the text stays as it was', () => {
    for (const [, kind] of [...REMINDER_KINDS, ...NOTICES]) {
      const parsed = JOBS['notify-official'].schema.parse({ officialId: 7, caseId: 1, kind });
      expect(parsed.kind).toBe(kind);
    }
    expect(JOBS['notify-official'].schema.safeParse({ officialId: 7, caseId: 1, kind: 'card' }).success).toBe(false);
  });

  it('when a notify-official job was queued before staff accounts (a Telegram user id), then it still passes as it was', () => {
    const old = { telegramUserId: '201', caseId: 1, kind: 'before:80' };
    expect(JOBS['notify-official'].schema.parse(old)).toEqual(old);
    expect(JOBS['notify-official'].schema.safeParse({ caseId: 1, kind: 'before:80' }).success).toBe(false);
  });
});

describe('actors (models/actor.ts)', () => {
  it.each(ACTORS)('when %o is stored, then its text is %s and it reads back the same', (actor, text) => {
    expect(encodeActor(actor)).toBe(text);
    expect(parseActor(text)).toEqual(actor);
  });

  it('when every variant is listed, then each of the nine types is pinned', () => {
    expect(new Set(ACTORS.map(([a]) => a.type))).toEqual(
      new Set(['official', 'operator', 'citizen', 'account', 'platform', 'api', 'system', 'cli', 'sandbox']),
    );
  });

  it.each([
    '',
    'official',
    'official:',
    'official:undefined',
    'official:0',
    'official:017',
    'operator:test',
    'citizen:',
    'citizen:Telegram',
    'platform:',
    'telegram:',
    'account:',
    'account:max',
    'account:max:',
    'account::1',
    'account:MAX:1',
    'System',
    'sandbox-test',
    'test',
    'x',
    'mayor:1',
  ])('when the text is %j, then it is no actor', (text) => {
    expect(parseActor(text)).toBeNull();
  });
});
