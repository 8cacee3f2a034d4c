import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { may } from '../../handlers/people/access.js';
import { accountBlocked } from '../../handlers/people/account-blocked.js';
import { INVITE_TTL_MS, inviteAgain, inviteOfficial, redeemInvite } from '../../handlers/people/invite.js';
import { inviteLink, inviteLinks } from '../../handlers/people/invite-link.js';
import { preferChannel } from '../../handlers/people/prefer.js';
import { ManualClock } from '../../lib/clock.js';
import { auditOf } from '../../models/audit-repository.js';
import { deliveryAccounts } from '../../models/staff-account-repository.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

describe('invites', () => {
  let testDb: TestDatabase;
  const clock = new ManualClock('2026-11-29T03:00:00Z');
  const domain = loadDomainConfig('config/barnaul.yaml');
  beforeAll(async () => {
    testDb = await createTestDatabase('invites', { migrate: true });
  });
  afterAll(async () => testDb.drop());

  it('when an invite is opened after it expired, then it is refused and binds nothing', async () => {
    const invite = await inviteOfficial(
      { db: testDb.handle.db, clock, domain },
      { name: 'А', department: 'mcu', role: 'operator', actor: { type: 'api', author: 't' } },
    );
    if (invite.status !== 'created') throw new Error(invite.status);
    clock.advance(INVITE_TTL_MS + 1);
    const account = { channel: 'telegram' as const, userId: '1', chatId: '1' };
    expect(await redeemInvite({ db: testDb.handle.db, clock }, { token: invite.token, account })).toEqual({
      status: 'expired',
    });
    const rows = await testDb.handle.db
      .selectFrom('official_account')
      .select('user_id')
      .where('official_id', '=', invite.officialId)
      .execute();
    expect(rows).toEqual([]);
  });

  it('when links are made, then each messenger has its own deep link, and a messenger whose bot is unknown has none', () => {
    const token = 'A'.repeat(32);
    expect(inviteLink('telegram', '@mcu_barnaul_bot', token)).toBe(`https://t.me/mcu_barnaul_bot?start=${token}`);
    expect(inviteLink('max', 'mcu_barnaul_bot', token)).toBe(`https://max.ru/mcu_barnaul_bot?start=${token}`);
    expect(inviteLinks({ telegram: 'tg_bot', max: null }, token)).toEqual({
      telegram: `https://t.me/tg_bot?start=${token}`,
      max: null,
    });
    expect(inviteLinks({ telegram: null, max: 'max_bot' }, token)).toEqual({
      telegram: null,
      max: `https://max.ru/max_bot?start=${token}`,
    });
  });

  it('when a person opens an invite in Telegram and a second one in MAX, then both are bound and MAX is preferred', async () => {
    const deps = { db: testDb.handle.db, clock };
    const invite = await inviteOfficial(
      { ...deps, domain },
      { name: 'В', department: 'roads-transport', role: 'official', actor: { type: 'cli' } },
    );
    if (invite.status !== 'created') throw new Error(invite.status);
    const telegram = { channel: 'telegram' as const, userId: '3001', chatId: '3001' };
    expect(await redeemInvite(deps, { token: invite.token, account: telegram })).toMatchObject({
      status: 'bound',
      official: { id: invite.officialId, preferredChannel: 'telegram' },
    });

    const again = await inviteAgain(deps, { officialId: invite.officialId, actor: { type: 'cli' } });
    if (again.status !== 'created') throw new Error(again.status);
    expect(again.token).not.toBe(invite.token);
    const max = { channel: 'max' as const, userId: '8001', chatId: '66001' };
    expect(await redeemInvite(deps, { token: again.token, account: max })).toMatchObject({
      status: 'bound',
      official: { id: invite.officialId, preferredChannel: 'max' },
    });
    expect((await deliveryAccounts(deps.db, invite.officialId)).map((a) => a.channel)).toEqual(['max', 'telegram']);

    // The person may choose Telegram again; a messenger they have not bound is refused.
    expect(await preferChannel(deps, { officialId: invite.officialId, channel: 'telegram', actor: { type: 'cli' } })).toEqual({
      status: 'ok',
    });
    expect(await preferChannel(deps, { officialId: invite.officialId, channel: 'vk', actor: { type: 'cli' } })).toEqual({
      status: 'not_bound',
    });
    expect(await preferChannel(deps, { officialId: 999_999, channel: 'telegram', actor: { type: 'cli' } })).toEqual({
      status: 'not_found',
    });
    expect((await deliveryAccounts(deps.db, invite.officialId)).map((a) => a.channel)).toEqual(['telegram', 'max']);

    // MAX says the person stopped the bot there: Telegram only, until MAX is bound again.
    expect(await accountBlocked(deps, { channel: 'max', userId: '8001' })).toBe(true);
    expect(await accountBlocked(deps, { channel: 'max', userId: '8001' })).toBe(false);
    expect((await deliveryAccounts(deps.db, invite.officialId)).map((a) => a.channel)).toEqual(['telegram']);

    // Who opened each invite stays readable in the audit trail: Telegram in its old form.
    const audit = await auditOf(deps.db, 'official', String(invite.officialId));
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['official_invited', 'cli'],
      ['official_bound', 'telegram:3001'],
      ['official_invited', 'cli'],
      ['official_bound', 'account:max:8001'],
      ['official_preferred_channel', 'cli'],
    ]);
  });

  it('when a deactivated person is invited again, then nothing is created', async () => {
    const deps = { db: testDb.handle.db, clock };
    const invite = await inviteOfficial(
      { ...deps, domain },
      { name: 'Г', department: 'mcu', role: 'operator', actor: { type: 'cli' } },
    );
    if (invite.status !== 'created') throw new Error(invite.status);
    await testDb.handle.db.updateTable('official').set({ active: false }).where('id', '=', invite.officialId).execute();
    expect(await inviteAgain(deps, { officialId: invite.officialId, actor: { type: 'cli' } })).toEqual({ status: 'not_found' });
    expect(await inviteAgain(deps, { officialId: 999_999, actor: { type: 'cli' } })).toEqual({ status: 'not_found' });
  });

  it('when the raw token is looked for in the database, then only its hash is there', async () => {
    const invite = await inviteOfficial(
      { db: testDb.handle.db, clock, domain },
      { name: 'Б', department: 'mcu', role: 'operator', actor: { type: 'api', author: 't' } },
    );
    if (invite.status !== 'created') throw new Error(invite.status);
    const rows = await testDb.handle.db.selectFrom('invite').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash === invite.token)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('when roles are checked, then each role has only its rights and an inactive person none', () => {
    expect(may({ role: 'official', active: true }, 'cases:own-department')).toBe(true);
    expect(may({ role: 'official', active: true }, 'triage')).toBe(false);
    expect(may({ role: 'operator', active: true }, 'triage')).toBe(true);
    expect(may({ role: 'curator', active: true }, 'cases:all')).toBe(true);
    expect(may({ role: 'operator', active: false }, 'triage')).toBe(false);
    expect(may(undefined, 'cases:own-department')).toBe(false);
  });
});
