import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deactivateOfficial, findOfficial, findOfficialByAccount, listOfficials } from '../../models/people-repository.js';
import { recipients } from '../../models/reminder-repository.js';
import {
  bindAccount,
  clearAccountBlocked,
  deliveryAccounts,
  markAccountBlocked,
  setPreferredChannel,
} from '../../models/staff-account-repository.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedOfficial } from '../helpers/rows.js';

const T0 = new Date('2026-12-01T03:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const tg = (userId: string) => ({ channel: 'telegram' as const, userId, chatId: userId });
const max = (userId: string, chatId = `chat-${userId}`) => ({ channel: 'max' as const, userId, chatId });

describe('staff accounts on several messengers (models/staff-account-repository.ts)', () => {
  let testDb: TestDatabase;
  const db = () => testDb.handle.db;
  /** A fresh person with nothing bound. */
  const person = async (department = 'roads-transport') => (await seedOfficial(db(), { department, at: T0 })).id;
  const channels = async (id: number) => (await deliveryAccounts(db(), id)).map((a) => `${a.channel}:${a.chatId}`);

  beforeAll(async () => {
    testDb = await createTestDatabase('staff_accounts', { migrate: true });
  });
  afterAll(async () => testDb.drop());

  it('when a person binds Telegram and then MAX, then both find them and MAX (bound last) is preferred', async () => {
    const id = await person();
    await bindAccount(db(), id, tg('501'), T0);
    expect((await findOfficial(db(), id))?.preferredChannel).toBe('telegram');
    await bindAccount(db(), id, max('9001', '77001'), later(1));
    expect((await findOfficialByAccount(db(), { channel: 'telegram', userId: '501' }))?.id).toBe(id);
    expect((await findOfficialByAccount(db(), { channel: 'max', userId: '9001' }))?.id).toBe(id);
    // The same user id on another messenger is somebody else's account.
    expect(await findOfficialByAccount(db(), { channel: 'max', userId: '501' })).toBeUndefined();
    expect((await findOfficial(db(), id))?.preferredChannel).toBe('max');
    const accounts = await deliveryAccounts(db(), id);
    expect(accounts.map((a) => ({ channel: a.channel, chatId: a.chatId, preferred: a.preferred }))).toEqual([
      { channel: 'max', chatId: '77001', preferred: true },
      { channel: 'telegram', chatId: '501', preferred: false },
    ]);
  });

  it('when the preferred messenger is changed, then delivery starts there; a messenger not bound is refused', async () => {
    const id = await person();
    await bindAccount(db(), id, tg('502'), T0);
    await bindAccount(db(), id, max('9002'), later(1));
    expect(await setPreferredChannel(db(), id, 'telegram')).toBe(true);
    expect(await channels(id)).toEqual(['telegram:502', 'max:chat-9002']);
    const other = await person();
    await bindAccount(db(), other, tg('503'), T0);
    expect(await setPreferredChannel(db(), other, 'max')).toBe(false);
    expect((await findOfficial(db(), other))?.preferredChannel).toBe('telegram');
  });

  it('when an account is blocked, then delivery skips it until it is bound again; a person blocked everywhere gets no notice', async () => {
    const id = await person('education');
    await bindAccount(db(), id, tg('504'), T0);
    await bindAccount(db(), id, max('9004'), later(1));
    expect(await markAccountBlocked(db(), { channel: 'max', userId: '9004' }, later(2))).toBe(true);
    // A second mark keeps the first time.
    expect(await markAccountBlocked(db(), { channel: 'max', chatId: 'chat-9004' }, later(3))).toBe(false);
    expect(await channels(id)).toEqual(['telegram:504']);
    expect(await recipients(db(), { department: 'education', roles: ['official'] })).toContain(id);

    await markAccountBlocked(db(), { channel: 'telegram', chatId: '504' }, later(4));
    expect(await channels(id)).toEqual([]);
    expect(await recipients(db(), { department: 'education', roles: ['official'] })).not.toContain(id);
    // Still the person's accounts: they are who they are in the bot, and the list shows both blocked.
    expect((await findOfficialByAccount(db(), { channel: 'max', userId: '9004' }))?.id).toBe(id);
    const listed = (await listOfficials(db())).find((p) => p.id === id);
    expect(listed?.accounts.map((a) => [a.channel, a.blocked])).toEqual([
      ['telegram', true],
      ['max', true],
    ]);

    // Writing from Telegram again lifts that block (and only that one): delivery there resumes.
    expect(await clearAccountBlocked(db(), { channel: 'telegram', userId: '504' })).toBe(true);
    expect(await clearAccountBlocked(db(), { channel: 'telegram', userId: '504' })).toBe(false);
    expect(await clearAccountBlocked(db(), { channel: 'telegram', userId: '999' })).toBe(false);
    expect(await channels(id)).toEqual(['telegram:504']);

    // Opening a new invite in MAX binds the account again: it is written to again, and preferred.
    await bindAccount(db(), id, max('9004'), later(5));
    expect(await channels(id)).toEqual(['max:chat-9004', 'telegram:504']);
  });

  it('when an account bound to one person opens another person’s invite, then it moves, and the first prefers what is left', async () => {
    const first = await person();
    const second = await person();
    await bindAccount(db(), first, tg('505'), T0);
    await bindAccount(db(), first, max('9005'), later(1));
    await bindAccount(db(), second, max('9005'), later(2));
    expect((await findOfficialByAccount(db(), { channel: 'max', userId: '9005' }))?.id).toBe(second);
    expect(await channels(first)).toEqual(['telegram:505']);
    expect((await findOfficial(db(), first))?.preferredChannel).toBe('telegram');
    expect(await channels(second)).toEqual(['max:chat-9005']);
  });

  it('when a person binds a new account on the same messenger, then it replaces the old one', async () => {
    const id = await person();
    await bindAccount(db(), id, tg('506'), T0);
    await bindAccount(db(), id, tg('507'), later(1));
    expect(await findOfficialByAccount(db(), { channel: 'telegram', userId: '506' })).toBeUndefined();
    expect(await channels(id)).toEqual(['telegram:507']);
  });

  it('when a person is deactivated, then every account is unbound and nothing reaches them', async () => {
    const id = await person();
    await bindAccount(db(), id, tg('508'), T0);
    await bindAccount(db(), id, max('9008'), later(1));
    expect(await deactivateOfficial(db(), id, later(2))).toBe(true);
    expect(await findOfficialByAccount(db(), { channel: 'telegram', userId: '508' })).toBeUndefined();
    expect(await findOfficialByAccount(db(), { channel: 'max', userId: '9008' })).toBeUndefined();
    expect(await channels(id)).toEqual([]);
    expect((await listOfficials(db())).find((p) => p.id === id)).toMatchObject({
      active: false,
      accounts: [],
      preferredChannel: null,
    });
    expect(await deactivateOfficial(db(), id, later(3))).toBe(false);
  });
});
