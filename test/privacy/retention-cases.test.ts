import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymiseExpired, monthsBefore, type RetentionSettings } from '../../handlers/privacy/index.js';
import { ManualClock } from '../../lib/clock.js';
import { appendAudit } from '../../models/audit-repository.js';
import type { Db } from '../../models/database.js';
import { citizenMessages } from '../../models/privacy-repository.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedAnswer, seedCase, seedMessage, seedPoll, seedSource } from '../helpers/rows.js';

const NOW = new Date('2029-12-01T03:00:00Z');
const DAY = 86_400_000;
const SETTINGS: RetentionSettings = { retentionMonths: 36, batchSize: 2, maxBatches: 20 };
const PERSONAL = 'Нет воды, Ленина 10 кв 5. Звоните +7 (913) 123-45-67. С уважением, Кузнецова А.И.';
const MASKED = 'Нет воды, Ленина *** кв ***. Звоните [телефон]. С уважением, [имя]';

/** Every row of the application's tables as text (pg-boss keeps its own schema). */
async function databaseText(db: Db): Promise<string> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'kysely_migration'`.execute(db);
  const parts: string[] = [];
  for (const { name } of tables.rows)
    parts.push(
      ...(await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(db)).rows.map((r) => r.row),
    );
  return parts.join('\n');
}

describe('the retention job masks the texts of every case closed long ago, whatever its citizen does now', () => {
  let testDb: TestDatabase;
  let db: Db;
  const ids = { citizen: 0, oldCase: 0, recentCase: 0, openCase: 0, message: 0 };

  beforeAll(async () => {
    testDb = await createTestDatabase('privacy_retention_cases', { migrate: true });
    db = testDb.handle.db;
    const longAgo = monthsBefore(NOW, 37);
    // A citizen who still writes (last month) and is subscribed: never anonymised by the citizen pass.
    ids.citizen = (
      await db
        .insertInto('citizen')
        .values({
          channel: 'telegram',
          external_id: '770055001',
          display_name: 'Анна Кузнецова',
          consent: 'given',
          consent_at: longAgo,
          created_at: longAgo,
          updated_at: new Date(NOW.getTime() - 30 * DAY),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await db
      .insertInto('subscription')
      .values({ citizen_id: ids.citizen, channel: 'telegram', chat_id: '770055001', active: true })
      .execute();
    const chat = await seedSource(db, { channel: 'telegram', external_id: '770055001', kind: 'private' });
    const old = await seedCase(db, {
      channel: 'telegram',
      source_id: chat.id,
      citizen_id: ids.citizen,
      status: 'closed',
      text: PERSONAL,
      at: longAgo,
    });
    ids.oldCase = old.id;
    const message = await seedMessage(db, {
      case_id: old.id,
      external_id: '42',
      text: PERSONAL,
      platform_ids: JSON.stringify({ chat_id: 770055001, message_id: 42 }),
      at: longAgo,
    });
    ids.message = message.id;
    await db
      .insertInto('message_edit')
      .values({ message_id: message.id, previous_text: 'Меня зовут Анна Кузнецова', new_text: PERSONAL, edited_at: longAgo })
      .execute();
    await seedAnswer(db, { case_id: old.id, text: 'Уважаемая Анна! Подача воды на Ленина 10 восстановлена.', at: longAgo });
    await seedPoll(db, { case_id: old.id, state: 'answered', rating: 2, comment: 'Перезвоните 8 913 123 45 67', at: longAgo });
    await db
      .insertInto('training_example')
      .values({ text: PERSONAL, label: 'hot-water', source: 'correction', case_id: old.id, created_at: longAgo })
      .execute();
    await db
      .insertInto('alert')
      .values({
        kind: 'reopened',
        case_id: old.id,
        problem_id: null,
        details: '{"comment":"Звоните 89131234567"}',
        created_at: longAgo,
      })
      .execute();
    await appendAudit(db, {
      actor: { type: 'citizen', channel: 'telegram' },
      action: 'poll_comment',
      entity: 'case',
      entityId: old.id,
      details: { comment: 'Перезвоните 8 913 123 45 67' },
    });

    // Not yet: the same citizen's case closed two months ago, and another case still open since 40 months.
    const recent = await seedCase(db, {
      channel: 'telegram',
      source_id: chat.id,
      citizen_id: ids.citizen,
      status: 'closed',
      text: PERSONAL,
      at: new Date(NOW.getTime() - 60 * DAY),
    });
    ids.recentCase = recent.id;
    ids.openCase = (await seedCase(db, { channel: 'api', status: 'assigned', text: PERSONAL, at: monthsBefore(NOW, 40) })).id;

    // External appeals are written back by their own key: each keeps its own (masked or not) answer.
    for (const [k, caseId] of [
      ['pos-1', old.id],
      ['pos-2', recent.id],
    ] as const) {
      const m = await seedMessage(db, { case_id: caseId, external_id: `appeal-${k}`, text: 'через ПОС', at: longAgo });
      await db
        .insertInto('external_appeal')
        .values({
          source: 'pos',
          external_id: k,
          case_id: caseId,
          message_id: m.id,
          received_at: longAgo,
          answer_text: `Ответ по ${k}: Уважаемая Анна Петровна! Ленина 10 отремонтирована.`,
          created_at: longAgo,
          updated_at: longAgo,
        })
        .execute();
    }
  });
  afterAll(async () => testDb?.drop());

  const caseText = async (id: number) =>
    await db.selectFrom('case').select(['text', 'texts_masked_at']).where('id', '=', id).executeTakeFirstOrThrow();

  it('when the job runs, then the old case’s texts are masked everywhere and the citizen keeps their platform ids', async () => {
    const report = await anonymiseExpired({ db, clock: new ManualClock(NOW) }, SETTINGS);
    expect(report).toMatchObject({ citizens: 0, maskedCases: 1 });

    expect(await caseText(ids.oldCase)).toEqual({ text: MASKED, texts_masked_at: NOW });
    const message = await db.selectFrom('message').selectAll().where('id', '=', ids.message).executeTakeFirstOrThrow();
    expect(message).toMatchObject({ text: MASKED, external_id: '42', platform_ids: { chat_id: 770055001, message_id: 42 } });
    expect(await db.selectFrom('message_edit').select(['previous_text', 'new_text']).executeTakeFirstOrThrow()).toEqual({
      previous_text: 'Меня зовут [имя]',
      new_text: MASKED,
    });
    expect((await db.selectFrom('answer').select('text').executeTakeFirstOrThrow()).text).toBe(
      'Уважаемая [имя]! Подача воды на Ленина *** восстановлена.',
    );
    expect((await db.selectFrom('poll').select('comment').executeTakeFirstOrThrow()).comment).toBe('Перезвоните [телефон]');
    expect((await db.selectFrom('training_example').select('text').executeTakeFirstOrThrow()).text).toBe(MASKED);
    expect((await db.selectFrom('alert').select('details').executeTakeFirstOrThrow()).details).toEqual({
      comment: 'Звоните [телефон]',
    });
    const pollComment = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'poll_comment')
      .executeTakeFirstOrThrow();
    expect(pollComment.details).toEqual({ comment: 'Перезвоните [телефон]' });
    const appeals = await db
      .selectFrom('external_appeal')
      .select(['external_id', 'answer_text'])
      .orderBy('external_id')
      .execute();
    expect(appeals).toEqual([
      { external_id: 'pos-1', answer_text: 'Ответ по pos-1: Уважаемая [имя]! Ленина *** отремонтирована.' },
      { external_id: 'pos-2', answer_text: 'Ответ по pos-2: Уважаемая Анна Петровна! Ленина 10 отремонтирована.' },
    ]);
  });

  it('when the job ran, then the citizen is not anonymised and their recent and open cases are untouched', async () => {
    const citizen = await db.selectFrom('citizen').selectAll().where('id', '=', ids.citizen).executeTakeFirstOrThrow();
    expect(citizen).toMatchObject({ external_id: '770055001', display_name: 'Анна Кузнецова', anonymised_at: null });
    expect(await db.selectFrom('subscription').select(['chat_id', 'active']).executeTakeFirstOrThrow()).toEqual({
      chat_id: '770055001',
      active: true,
    });
    expect(await caseText(ids.recentCase)).toEqual({ text: PERSONAL, texts_masked_at: null });
    expect(await caseText(ids.openCase)).toEqual({ text: PERSONAL, texts_masked_at: null });
  });

  it('when the job ran, then one system audit entry per batch gives the counts and no personal data', async () => {
    const entries = await db
      .selectFrom('audit_log')
      .select(['actor', 'entity', 'entity_id', 'details'])
      .where('action', '=', 'case_texts_masked')
      .execute();
    expect(entries).toEqual([
      {
        actor: 'system',
        entity: 'case',
        entity_id: null,
        details: { reason: 'retention', cases: 1, messages: 2, answers: 1, pollComments: 1, auditEntries: 1, masked: 10 },
      },
    ]);
  });

  it('when the job runs again, then nothing changes (idempotent)', async () => {
    const dump = await databaseText(db);
    const report = await anonymiseExpired({ db, clock: new ManualClock(NOW) }, SETTINGS);
    expect(report).toMatchObject({ citizens: 0, maskedCases: 0, pageComments: 0 });
    expect(await databaseText(db)).toBe(dump);
  });

  it('when a masked case is changed later, then it is masked again once the change is older than the period', async () => {
    const later = new Date(NOW.getTime() + DAY);
    await db.updateTable('case').set({ text: PERSONAL, updated_at: later }).where('id', '=', ids.oldCase).execute();
    expect((await anonymiseExpired({ db, clock: new ManualClock(later) }, SETTINGS)).maskedCases).toBe(0);
    const muchLater = new Date(monthsBefore(later, -37).getTime());
    // By then the recent case is old too; the citizen is still subscribed, so not anonymised.
    const report = await anonymiseExpired({ db, clock: new ManualClock(muchLater) }, SETTINGS);
    expect(report).toMatchObject({ citizens: 0, maskedCases: 2 });
    expect(await caseText(ids.oldCase)).toEqual({ text: MASKED, texts_masked_at: muchLater });
    expect((await caseText(ids.recentCase)).text).toBe(MASKED);
  });

  it('when page comments age out, then each batch is audited with counts', async () => {
    const page = await db
      .insertInto('official_page')
      .values({ platform: 'vk', external_id: 'club1', url: 'https://vk.com/club1', owner_department: 'mcu', status: 'active' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('page_comment')
      .values(
        ['Звоните 89131234567', 'Спасибо', 'Ленина 10, Иванов И.И.'].map((text, i) => ({
          page_id: page.id,
          comment_id: `c${i}`,
          post_id: '1',
          author_id: `90000000${i}`,
          text,
          created_at: new Date(monthsBefore(NOW, 40).getTime() + i * 60_000),
        })),
      )
      .execute();
    const report = await anonymiseExpired({ db, clock: new ManualClock(NOW) }, SETTINGS);
    expect(report.pageComments).toBe(3);
    const entries = await db
      .selectFrom('audit_log')
      .select(['actor', 'entity', 'details'])
      .where('action', '=', 'page_comments_anonymised')
      .orderBy('id')
      .execute();
    expect(entries).toEqual([
      { actor: 'system', entity: 'page_comment', details: { reason: 'retention', comments: 2, masked: 1 } },
      { actor: 'system', entity: 'page_comment', details: { reason: 'retention', comments: 1, masked: 1 } },
    ]);
  });

  it('when a citizen’s messages are looked up among many, then the two partial indexes serve it, not a scan of message', async () => {
    await sql`insert into citizen (channel, external_id, consent, created_at, updated_at)
      select 'vk', 'bulk-' || g, 'given', now(), now() from generate_series(1, 2000) g`.execute(db);
    const source = await seedSource(db, { channel: 'vk', kind: 'public_community' });
    await sql`insert into message (channel, source_id, citizen_id, external_id, kind, platform_ids, text, platform_at, received_at, raw)
      select 'vk', ${source.id}, c.id, 'bulk-' || c.id || '-' || g, case when g % 4 = 0 then 'comment' else 'private' end,
             '{}', 'Текст', now(), now(), '{}'
        from citizen c cross join generate_series(1, 20) g where c.external_id like 'bulk-%'`.execute(db);
    await sql`analyze message`.execute(db);
    const some = await db.selectFrom('citizen').select('id').where('external_id', 'like', 'bulk-%').limit(3).execute();
    const plan = await sql<{ 'QUERY PLAN': string }>`
      explain select m.id from ${citizenMessages(some.map((c) => c.id))} m`.execute(db);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/message_citizen_private/);
    expect(text).toMatch(/message_citizen_other/);
    expect(text).not.toMatch(/Seq Scan on message/);
  });
});
