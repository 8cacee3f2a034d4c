import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymiseExpired, monthsBefore, type RetentionSettings } from '../../handlers/privacy/index.js';
import { ManualClock } from '../../lib/clock.js';
import { appendAudit } from '../../models/audit-repository.js';
import type { Db } from '../../models/database.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedAnswer, seedCase, seedMessage, seedPoll, seedSource } from '../helpers/rows.js';

const NOW = new Date('2029-12-01T03:00:00Z');
const DAY = 86_400_000;
const SETTINGS: RetentionSettings = { retentionMonths: 36, batchSize: 2, maxBatches: 20 };

/** What identifies the old citizen: none of it may be left anywhere in the database after the job. */
const NEEDLES = ['770011223', 'anna_iv', 'Анна Иванова', '9131234567', '913) 123', 'anna@mail.ru', 'AgADfileid', 'Кузнецова'];

/** Every row of every table of the application, as text (pg-boss keeps its own schema). */
async function databaseText(db: Db): Promise<string> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'kysely_migration'`.execute(db);
  const parts: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(db);
    parts.push(...rows.rows.map((r) => `${name}: ${r.row}`));
  }
  return parts.join('\n');
}

/** What the ratings, the heat map and the problem list read of cases and polls. */
const statistics = async (db: Db) => ({
  cases: await db
    .selectFrom('case')
    .select([
      'id',
      'number',
      'status',
      'category',
      'district',
      'department',
      'created_at',
      'updated_at',
      'deadline_at',
      'problem_id',
    ])
    .orderBy('id')
    .execute(),
  polls: await db.selectFrom('poll').select(['case_id', 'state', 'solved', 'rating', 'answered_at']).orderBy('id').execute(),
  answers: await db.selectFrom('answer').select(['case_id', 'kind', 'state', 'created_at']).orderBy('id').execute(),
});

describe('the retention job anonymises citizens whose cases finished long ago', () => {
  let testDb: TestDatabase;
  let db: Db;
  const ids = { old: 0, recent: 0, open: 0, talking: 0, oldCase: 0 };

  beforeAll(async () => {
    testDb = await createTestDatabase('privacy_retention', { migrate: true });
    db = testDb.handle.db;
    const longAgo = new Date(monthsBefore(NOW, 37).getTime());
    const citizen = async (externalId: string, at: Date, extra: Record<string, string | null> = {}) =>
      (
        await db
          .insertInto('citizen')
          .values({
            channel: 'telegram',
            external_id: externalId,
            consent: 'given',
            consent_at: at,
            created_at: at,
            updated_at: at,
            ...extra,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;

    // The old citizen: everything closed 37 months ago.
    ids.old = await citizen('770011223', longAgo, {
      display_name: 'Анна Иванова',
      username: 'anna_iv',
      phone: '+7 (913) 123-45-67',
      email: 'anna@mail.ru',
    });
    const chat = await seedSource(db, { channel: 'telegram', external_id: '770011223', kind: 'private' });
    const problem = await db
      .insertInto('problem')
      .values({
        category: 'hot-water',
        district: 'central',
        title: 'Нет воды, ул. Попова, 105, звоните 89131234567',
        first_at: longAgo,
        last_at: longAgo,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const oldCase = await seedCase(db, {
      channel: 'telegram',
      source_id: chat.id,
      citizen_id: ids.old,
      status: 'closed',
      text: 'Нет горячей воды, ул. Попова, 105, кв. 7. Звоните +7 (913) 123-45-67. С уважением, Кузнецова А.И.',
      category: 'hot-water',
      district: 'central',
      department: 'housing-utilities',
      problem_id: problem.id,
      at: longAgo,
    });
    ids.oldCase = oldCase.id;
    const message = await seedMessage(db, {
      case_id: oldCase.id,
      external_id: '42',
      text: oldCase.text,
      platform_ids: JSON.stringify({ chat_id: 770011223, message_id: 42 }),
      attachments: JSON.stringify([{ type: 'photo', fileId: 'AgADfileid', size: 1000 }]),
      geo_lat: 53.347512,
      geo_lon: 83.778431,
      permalink: 'https://t.me/c/770011223/42',
      thread: JSON.stringify({ snippet: 'Анна Иванова' }),
      raw: JSON.stringify({ update_id: 1, message: { from: { id: 770011223, first_name: 'Анна', username: 'anna_iv' } } }),
      at: longAgo,
    });
    await db
      .insertInto('message_edit')
      .values({ message_id: message.id, previous_text: 'Меня зовут Анна Иванова', new_text: oldCase.text, edited_at: longAgo })
      .execute();
    await seedAnswer(db, {
      case_id: oldCase.id,
      text: 'Уважаемая Анна! Подача воды на ул. Попова, 105 восстановлена.',
      at: longAgo,
    });
    await seedPoll(db, {
      case_id: oldCase.id,
      state: 'answered',
      solved: false,
      rating: 2,
      comment: 'Перезвоните 8 913 123 45 67',
      answered_at: longAgo,
      at: longAgo,
    });
    await db
      .insertInto('alert')
      .values({
        kind: 'reopened',
        case_id: oldCase.id,
        problem_id: null,
        details: JSON.stringify({ comment: 'Перезвоните 8 913 123 45 67' }),
        created_at: longAgo,
      })
      .execute();
    await db
      .insertInto('training_example')
      .values({ text: oldCase.text, label: 'hot-water', source: 'correction', case_id: oldCase.id, created_at: longAgo })
      .execute();
    await appendAudit(db, {
      actor: { type: 'citizen', channel: 'telegram' },
      action: 'consent_given',
      entity: 'citizen',
      entityId: 'telegram:770011223',
    });
    await appendAudit(db, {
      actor: { type: 'citizen', channel: 'telegram' },
      action: 'poll_comment',
      entity: 'case',
      entityId: oldCase.id,
      details: { comment: 'Перезвоните 8 913 123 45 67', messageId: message.id },
    });
    await db
      .insertInto('subscription')
      .values({ citizen_id: ids.old, channel: 'telegram', chat_id: '770011223', active: false })
      .execute();
    const broadcast = await db
      .insertInto('broadcast')
      .values({ title: 'Отключение', text: 'Вода', segment: '{}', priority: 'normal', author: 'system', status: 'done' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('broadcast_recipient')
      .values({
        broadcast_id: broadcast.id,
        seq: 1,
        citizen_id: ids.old,
        channel: 'telegram',
        chat_id: '770011223',
        status: 'sent',
      })
      .execute();
    const page = await db
      .insertInto('official_page')
      .values({
        platform: 'telegram',
        external_id: '@barnaul_city',
        url: 'https://t.me/barnaul_city',
        owner_department: 'housing-utilities',
        status: 'active',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('page_comment')
      .values([
        {
          page_id: page.id,
          comment_id: '9',
          post_id: '1',
          author_id: '770011223',
          text: 'Звоните 89131234567',
          created_at: new Date(NOW.getTime() - 10 * DAY),
        },
        // Someone who never wrote to the bot: their comment ages out on its own.
        {
          page_id: page.id,
          comment_id: '10',
          post_id: '1',
          author_id: '990000009',
          text: 'Сидоров П.П., тел. 89130000000',
          created_at: new Date(NOW.getTime() - 10 * DAY),
        },
      ])
      .execute();

    // Not yet: a case closed two months ago; a case still open since 40 months; a case closed long ago but a message last month.
    ids.recent = await citizen('880000001', new Date(NOW.getTime() - 60 * DAY), { display_name: 'Пётр' });
    await seedCase(db, { channel: 'telegram', citizen_id: ids.recent, status: 'closed', at: new Date(NOW.getTime() - 60 * DAY) });
    ids.open = await citizen('880000002', monthsBefore(NOW, 40), { display_name: 'Ольга' });
    await seedCase(db, { channel: 'telegram', citizen_id: ids.open, status: 'assigned', at: monthsBefore(NOW, 40) });
    ids.talking = await citizen('880000003', new Date(NOW.getTime() - 30 * DAY), { display_name: 'Иван' });
    await seedCase(db, { channel: 'telegram', citizen_id: ids.talking, status: 'closed', at: longAgo });
  });
  afterAll(async () => testDb?.drop());

  it('when the job runs 37 months after the last case closed, then nothing identifying the citizen is left anywhere', async () => {
    const before = await statistics(db);
    const report = await anonymiseExpired({ db, clock: new ManualClock(NOW) }, SETTINGS);
    expect(report).toMatchObject({ citizens: 1, cases: 1, messages: 1, pageComments: 0 });

    const dump = await databaseText(db);
    for (const needle of NEEDLES) expect(dump, `"${needle}" is still stored`).not.toContain(needle);
    // What the ratings, the heat map and the problem list read is exactly as before.
    expect(await statistics(db)).toEqual(before);

    const citizen = await db.selectFrom('citizen').selectAll().where('id', '=', ids.old).executeTakeFirstOrThrow();
    expect(citizen).toMatchObject({
      external_id: `anonymised:${ids.old}`,
      display_name: null,
      username: null,
      phone: null,
      email: null,
    });
    expect(citizen.anonymised_at).toEqual(NOW);
    const message = await db.selectFrom('message').selectAll().where('citizen_id', '=', ids.old).executeTakeFirstOrThrow();
    expect(message).toMatchObject({ platform_ids: {}, raw: {}, permalink: null, thread: null, attachments: [{ type: 'photo' }] });
    // A coordinate keeps the block (3 decimals, ~100 m), not the house.
    expect([message.geo_lat, message.geo_lon]).toEqual([53.348, 83.778]);
    expect(await db.selectFrom('subscription').select('chat_id').where('citizen_id', '=', ids.old).executeTakeFirst()).toEqual({
      chat_id: 'anonymised',
    });
  });

  it('when the job ran, then the texts stay for statistics with the street kept and the cases’ and polls’ figures unchanged', async () => {
    const kase = await db.selectFrom('case').select(['text']).where('id', '=', ids.oldCase).executeTakeFirstOrThrow();
    expect(kase.text).toBe('Нет горячей воды, ул. Попова, ***, кв. ***. Звоните [телефон]. С уважением, [имя]');
    const answer = await db.selectFrom('answer').select('text').where('case_id', '=', ids.oldCase).executeTakeFirstOrThrow();
    expect(answer.text).toBe('Уважаемая [имя]! Подача воды на ул. Попова, *** восстановлена.');
    const poll = await db
      .selectFrom('poll')
      .select(['comment', 'rating', 'solved'])
      .where('case_id', '=', ids.oldCase)
      .executeTakeFirstOrThrow();
    expect(poll).toEqual({ comment: 'Перезвоните [телефон]', rating: 2, solved: false });
    const problem = await db.selectFrom('problem').select('title').executeTakeFirstOrThrow();
    expect(problem.title).toBe('Нет воды, ул. Попова, ***, звоните [телефон]');
    const stats = await statistics(db);
    expect(stats.cases.find((c) => c.id === ids.oldCase)).toMatchObject({
      status: 'closed',
      category: 'hot-water',
      district: 'central',
      department: 'housing-utilities',
    });
  });

  it('when the job ran, then the others keep their data: an open case, a recent close, a recent message', async () => {
    const others = await db
      .selectFrom('citizen')
      .select(['id', 'external_id', 'display_name', 'anonymised_at'])
      .where('id', 'in', [ids.recent, ids.open, ids.talking])
      .orderBy('id')
      .execute();
    expect(others.map((c) => [c.external_id, c.display_name, c.anonymised_at])).toEqual([
      ['880000001', 'Пётр', null],
      ['880000002', 'Ольга', null],
      ['880000003', 'Иван', null],
    ]);
  });

  it('when the job ran, then each anonymised citizen has one audit entry with counts and no personal data', async () => {
    const entries = await db
      .selectFrom('audit_log')
      .select(['actor', 'entity_id', 'details'])
      .where('action', '=', 'citizen_anonymised')
      .execute();
    expect(entries).toEqual([
      {
        actor: 'system',
        entity_id: String(ids.old),
        details: {
          reason: 'retention',
          cases: 1,
          messages: 1,
          answers: 1,
          pollComments: 1,
          pageComments: 1,
          auditEntries: 1,
          masked: expect.any(Number),
        },
      },
    ]);
    // The consent entry now names the citizen row, not the platform id.
    const consent = await db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'consent_given')
      .executeTakeFirstOrThrow();
    expect(consent.entity_id).toBe(String(ids.old));
  });

  it('when the job runs again, then nothing more changes (idempotent)', async () => {
    const dump = await databaseText(db);
    const report = await anonymiseExpired({ db, clock: new ManualClock(NOW) }, SETTINGS);
    expect(report).toMatchObject({ citizens: 0, pageComments: 0 });
    expect(await databaseText(db)).toBe(dump);
  });

  it('when a page comment grows older than the period, then its author and personal data go too, whoever wrote it', async () => {
    const stranger = () =>
      db.selectFrom('page_comment').select(['author_id', 'text']).where('comment_id', '=', '10').executeTakeFirstOrThrow();
    expect(await stranger()).toEqual({ author_id: '990000009', text: 'Сидоров П.П., тел. 89130000000' });
    const later = new ManualClock(new Date(NOW.getTime() + 1200 * DAY));
    const report = await anonymiseExpired({ db, clock: later }, SETTINGS);
    expect(report.pageComments).toBe(1);
    expect(await stranger()).toEqual({ author_id: 'anonymised', text: '[имя], тел. [телефон]' });
  });

  it('when retention is 0, then the job anonymises nobody', async () => {
    const report = await anonymiseExpired(
      { db, clock: new ManualClock(new Date('2040-01-01')) },
      { ...SETTINGS, retentionMonths: 0 },
    );
    expect(report).toEqual({ cutoff: null, citizens: 0, cases: 0, messages: 0, maskedCases: 0, pageComments: 0, batches: 0 });
  });

  it('when anything but the controlled scrub touches the audit trail, then the database refuses it', async () => {
    await expect(sql`update audit_log set details = '{}'::jsonb`.execute(db)).rejects.toThrow(/append-only/);
    await expect(
      db.transaction().execute(async (tx) => {
        await sql`select set_config('mcu.privacy_scrub', 'on', true)`.execute(tx);
        await sql`delete from audit_log`.execute(tx);
      }),
    ).rejects.toThrow(/append-only/);
    await expect(
      db.transaction().execute(async (tx) => {
        await sql`select set_config('mcu.privacy_scrub', 'on', true)`.execute(tx);
        await sql`update audit_log set action = 'rewritten'`.execute(tx);
      }),
    ).rejects.toThrow(/append-only/);
  });
});
