import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { may } from '../../handlers/people/access.js';
import { INVITE_TTL_MS, inviteOfficial, redeemInvite } from '../../handlers/people/invite.js';
import { ManualClock } from '../../lib/clock.js';
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
    expect(await redeemInvite({ db: testDb.handle.db, clock }, { token: invite.token, telegramUserId: '1' })).toEqual({
      status: 'expired',
    });
    const row = await testDb.handle.db
      .selectFrom('official')
      .select('telegram_user_id')
      .where('id', '=', invite.officialId)
      .executeTakeFirstOrThrow();
    expect(row.telegram_user_id).toBeNull();
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
