import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ru } from '../../bots/texts/ru.js';
import { forgetCitizen } from '../../handlers/privacy/index.js';
import { ManualClock } from '../../lib/clock.js';
import type { Db } from '../../models/database.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { seedCase, seedOfficial } from '../helpers/rows.js';

const NOW = new Date('2026-11-02T05:00:00Z');

describe('/forget beyond the citizen row: page comments, and cases nobody was routed to', () => {
  let testDb: TestDatabase;
  let db: Db;
  const pages = { vk: 0, telegram: 0 };

  beforeAll(async () => {
    testDb = await createTestDatabase('privacy_forget_handler', { migrate: true });
    db = testDb.handle.db;
    for (const platform of ['vk', 'telegram'] as const)
      pages[platform] = (
        await db
          .insertInto('official_page')
          .values({
            platform,
            external_id: `page-${platform}`,
            url: `https://example.org/${platform}`,
            owner_department: 'mcu',
            status: 'active',
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
  });
  afterAll(async () => testDb?.drop());

  const comment = (platform: 'vk' | 'telegram', commentId: string, authorId: string, text: string) =>
    db
      .insertInto('page_comment')
      .values({ page_id: pages[platform], comment_id: commentId, post_id: '1', author_id: authorId, text, created_at: NOW })
      .execute();
  const commentRow = (platform: 'vk' | 'telegram', commentId: string) =>
    db
      .selectFrom('page_comment')
      .select(['author_id', 'text'])
      .where('page_id', '=', pages[platform])
      .where('comment_id', '=', commentId)
      .executeTakeFirstOrThrow();
  const deps = () => ({ db, clock: new ManualClock(NOW), jobs: recordingQueue() });

  it('when someone with no citizen row sends /forget, then their comments under their messenger’s pages are anonymised and counted', async () => {
    await comment('vk', 'a1', '555001', 'Звоните 89131234567, Ленина 10');
    await comment('vk', 'a2', '555002', 'Сосед, тел. 89130000000');
    // The same number on another messenger is another person.
    await comment('telegram', 'a3', '555001', 'Звоните 89131234567');

    const outcome = await forgetCitizen(deps(), { sender: { channel: 'vk', externalId: '555001' }, via: 'forget' });
    expect(outcome).toEqual({ status: 'nothing_stored' });
    expect(await commentRow('vk', 'a1')).toEqual({ author_id: 'anonymised', text: 'Звоните [телефон], Ленина ***' });
    expect(await commentRow('vk', 'a2')).toEqual({ author_id: '555002', text: 'Сосед, тел. 89130000000' });
    expect(await commentRow('telegram', 'a3')).toEqual({ author_id: '555001', text: 'Звоните 89131234567' });
    const entry = await db
      .selectFrom('audit_log')
      .select(['actor', 'entity_id', 'details'])
      .where('action', '=', 'citizen_forgotten')
      .executeTakeFirstOrThrow();
    expect(entry).toEqual({ actor: 'citizen:vk', entity_id: null, details: { events: 0, deadLetters: 0, pageComments: 1 } });
  });

  it('when a citizen with a row sends /forget, then their page comments go too, counted in citizen_anonymised', async () => {
    const citizen = await db
      .insertInto('citizen')
      .values({ channel: 'vk', external_id: '555003', consent: 'given', consent_at: NOW, created_at: NOW, updated_at: NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
    await comment('vk', 'b1', '555003', 'Меня зовут Анна Сергеевна');

    const outcome = await forgetCitizen(deps(), { sender: { channel: 'vk', externalId: '555003' }, via: 'forget' });
    expect(outcome).toMatchObject({ status: 'forgotten', citizenId: citizen.id });
    expect(await commentRow('vk', 'b1')).toEqual({ author_id: 'anonymised', text: 'Меня зовут [имя]' });
    const entry = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'citizen_anonymised')
      .where('entity_id', '=', String(citizen.id))
      .executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ reason: 'forget', pageComments: 1 });
  });

  it('when /forget closes a case nobody was routed to, then the operators get an alert instead of silence', async () => {
    const citizen = await db
      .insertInto('citizen')
      .values({ channel: 'telegram', external_id: '555004', consent: 'given', consent_at: NOW, created_at: NOW, updated_at: NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
    // In triage (no department, no assignee); routed to a department with nobody reachable; routed to one with an official.
    const triage = await seedCase(db, {
      channel: 'telegram',
      citizen_id: citizen.id,
      status: 'triage',
      department: null,
      at: NOW,
    });
    const empty = await seedCase(db, {
      channel: 'telegram',
      citizen_id: citizen.id,
      status: 'assigned',
      department: 'culture',
      at: NOW,
    });
    const staffed = await seedCase(db, {
      channel: 'telegram',
      citizen_id: citizen.id,
      status: 'assigned',
      department: 'roads-transport',
      at: NOW,
    });
    const official = await seedOfficial(db, { department: 'roads-transport', telegram: '732000009', at: NOW });

    const d = deps();
    const outcome = await forgetCitizen(d, { sender: { channel: 'telegram', externalId: '555004' }, via: 'forget' });
    expect(outcome).toMatchObject({ status: 'forgotten' });
    const alerts = await db
      .selectFrom('alert')
      .select(['id', 'kind', 'case_id', 'details'])
      .where('kind', '=', 'consent_withdrawn')
      .orderBy('case_id')
      .execute();
    expect(alerts.map((a) => [a.case_id, a.details])).toEqual([
      [triage.id, { from: 'triage', department: null }],
      [empty.id, { from: 'assigned', department: 'culture' }],
    ]);
    const text = ru.operatorAlert(
      {
        kind: 'consent_withdrawn',
        details: alerts[0]?.details ?? {},
        case: { number: triage.number, text: '', category: null, district: null, urgencyRule: null },
        problem: null,
      },
      { timezone: 'Asia/Barnaul', locale: 'ru-RU' },
    );
    expect(text).toContain(`Обращение ${triage.number} закрыто: житель отозвал согласие`);
    // The cases close in no particular order: what matters is who hears of each.
    expect(d.jobs.jobs).toHaveLength(3);
    expect(d.jobs.jobs).toEqual(
      expect.arrayContaining([
        { name: 'notify-operators', payload: { alertId: alerts[0]?.id } },
        { name: 'notify-operators', payload: { alertId: alerts[1]?.id } },
        { name: 'notify-official', payload: { officialId: official.id, caseId: staffed.id, kind: 'consent:withdrawn' } },
      ]),
    );
  });
});
