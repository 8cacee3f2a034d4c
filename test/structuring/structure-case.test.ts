import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProductionCalendar } from '../../config/calendar.js';
import { loadDomainConfig } from '../../config/domain.js';
import { type IntakeDeps, processMessage, receiveMessage, recordConsent } from '../../handlers/intake/index.js';
import { createStructurer } from '../../handlers/structuring/assess.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { IncomingMessage } from '../../models/intake.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { incomingVkComment } from '../helpers/payloads.js';

let seq = 0;
function comment(text: string, author = 900 + ++seq): IncomingMessage {
  return incomingVkComment(
    { ownerId: -42, postId: 1, commentId: ++seq, text, author },
    { permalink: null, platformIds: {}, platformAt: new Date('2026-12-01T03:00:00Z') },
  );
}

describe('structuring new cases (real PostgreSQL, fake clock)', () => {
  let testDb: TestDatabase;
  let deps: IntakeDeps;
  const clock = new ManualClock('2026-12-01T03:00:00Z');
  const domain = loadDomainConfig('config/barnaul.yaml');

  const submit = async (input: IncomingMessage) => {
    const r = await receiveMessage(deps, input);
    if (r.status !== 'stored') throw new Error(`not stored: ${r.status}`);
    return processMessage(deps, { messageId: r.messageId });
  };
  const caseRow = (id: number) => testDb.handle.db.selectFrom('case').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    testDb = await createTestDatabase('structuring', { migrate: true });
    deps = {
      db: testDb.handle.db,
      jobs: recordingQueue(),
      clock,
      log: createLogger({ level: 'silent' }),
      settings: { followUpWindowMs: 86_400_000, firstResponse: '9wh', timeZone: 'Asia/Barnaul' },
      structuring: {
        domain,
        structurer: createStructurer(domain, null),
        calendar: WorkingCalendar.forCity(domain.city, loadProductionCalendar(['config/production-calendar.json'])),
      },
    };
  });
  afterAll(async () => testDb.drop());

  it('when a message names its category and district, then the case is assigned and says why', async () => {
    const result = await submit(comment('Не вывозят мусор на Власихе, контейнерная площадка переполнена'));
    expect(result.status).toBe('opened');
    const row = await caseRow('caseId' in result ? result.caseId : 0);
    expect(row).toMatchObject({
      status: 'assigned',
      district: 'industrial',
      district_reason: 'settlement: Власиха',
      priority: 'normal',
    });
    expect(row.category_rule).toMatch(/^keyword: /);
    expect(row.routing_rule).toBe(`category: ${row.category}`);
    expect(row.department).toBe(domain.categories.find((c) => c.id === row.category)?.department);
  });

  it('when a case opens, then its deadlines come from the social-media policy on working time; urgent ones are shorter', async () => {
    // Tuesday 2026-12-01 10:00 in Barnaul (UTC+7).
    clock.set('2026-12-01T03:00:00Z');
    const normal = await submit(comment('Подскажите, когда отремонтируют лавочку в сквере?'));
    const urgent = await submit(comment('Пожар в подъезде, дым'));
    const n = await caseRow('caseId' in normal ? normal.caseId : 0);
    const u = await caseRow('caseId' in urgent ? urgent.caseId : 0);
    expect(n.regime).toBe('social');
    // 9 working hours from Tue 10:00 (08:00–17:00, lunch 12:00–12:48): Tue gives 6h12m, the other 2h48m run Wed 08:00–10:48.
    expect(n.first_response_due_at?.toISOString()).toBe('2026-12-02T03:48:00.000Z');
    // 4 working hours from Tue 10:00: 10:00–12:00 (2h), lunch, 12:48–14:48 (2h) → Tue 14:48.
    expect(u.first_response_due_at?.toISOString()).toBe('2026-12-01T07:48:00.000Z');
    // The final answer: 7 working days, the end of the 7th working day after Tuesday → Thursday 2026-12-10 17:00.
    expect(n.deadline_at?.toISOString()).toBe('2026-12-10T10:00:00.000Z');
  });

  it('when nothing decides the category, then triage with the reason', async () => {
    const result = await submit(comment('Подскажите, пожалуйста, куда обращаться?'));
    const row = await caseRow('caseId' in result ? result.caseId : 0);
    expect(row).toMatchObject({
      status: 'triage',
      category: null,
      department: 'mcu',
      routing_rule: 'fallback: no category',
      triage_reason: 'no_category',
    });
  });

  it('when a message is an emergency, then the case is urgent and an alert is raised', async () => {
    const result = await submit(comment('Прорыв трубы в подвале, топит квартиру'));
    const id = 'caseId' in result ? result.caseId : 0;
    expect(await caseRow(id)).toMatchObject({ priority: 'urgent', urgency_rule: 'always: прорыв трубы' });
    const alerts = await testDb.handle.db.selectFrom('alert').select(['kind', 'case_id']).where('case_id', '=', id).execute();
    expect(alerts).toEqual([{ kind: 'urgent', case_id: id }]);
  });

  it('when near-duplicates arrive in the window, then they share one problem with a counter; later ones after the window do not', async () => {
    const a = await submit(comment('Не горит фонарь на улице Деповская, 5, темно вечером'));
    clock.advance(3_600_000);
    const b = await submit(comment('На Деповская д 7 не горит фонарь, темно'));
    const rowA = await caseRow('caseId' in a ? a.caseId : 0);
    const rowB = await caseRow('caseId' in b ? b.caseId : 0);
    expect(rowA.problem_id).not.toBeNull();
    expect(rowB.problem_id).toBe(rowA.problem_id);
    const problem = await testDb.handle.db
      .selectFrom('problem')
      .selectAll()
      .where('id', '=', rowA.problem_id ?? 0)
      .executeTakeFirstOrThrow();
    expect(problem).toMatchObject({ case_count: 2, district: 'zheleznodorozhny', category: rowA.category });

    clock.advance(4 * 86_400_000);
    const c = await submit(comment('Опять не горит фонарь на улица Деповская, 5'));
    expect((await caseRow('caseId' in c ? c.caseId : 0)).problem_id).toBeNull();
  });

  it('when many cases of one category hit one district within hours, then a spike alert, once', async () => {
    const texts = [
      'Яма на дороге в Южном',
      'В Южном огромная яма на дороге у магазина',
      'Южный: разбита дорога, ямы',
      'дорога в Южном вся в ямах',
      'Южный, яма на дороге возле школы',
      'Южный — снова яма на дороге',
    ];
    for (const text of texts) {
      clock.advance(10 * 60_000);
      await submit(comment(text));
    }
    const spikes = await testDb.handle.db
      .selectFrom('alert')
      .select(['kind', 'problem_id', 'details'])
      .where('kind', '=', 'spike')
      .execute();
    expect(spikes).toHaveLength(1);
    const problem = await testDb.handle.db
      .selectFrom('problem')
      .selectAll()
      .where('id', '=', spikes[0]?.problem_id ?? 0)
      .executeTakeFirstOrThrow();
    expect(problem.district).toBe('central');
    expect(problem.case_count).toBeGreaterThanOrEqual(5);
  });

  it('when a citizen writes only thanks after an answer, then no case and positive feedback for the department', async () => {
    await recordConsent(deps, { channel: 'telegram', author: { externalId: '5005' }, consent: 'given' });
    const privateMessage = (id: number, text: string): IncomingMessage => ({
      ...comment(text, 5005),
      channel: 'telegram',
      eventId: `tg${id}`,
      source: { externalId: '5005', kind: 'private', official: false },
      externalId: String(id),
      kind: 'private',
      platformIds: { chat_id: 5005, message_id: id },
    });
    const opened = await submit(privateMessage(1, 'Нет горячей воды в доме'));
    clock.advance(60_000);
    const thanks = await submit(privateMessage(2, 'Спасибо, всё починили!'));
    expect(thanks).toEqual({ status: 'not_a_problem', kind: 'thanks' });
    // The operators can see why it opened no case.
    const stored = await testDb.handle.db
      .selectFrom('message')
      .select('not_problem_reason')
      .where('external_id', '=', '2')
      .executeTakeFirstOrThrow();
    expect(stored.not_problem_reason).toBe('thanks_for_work_done: починили');
    const feedback = await testDb.handle.db.selectFrom('feedback').select(['kind', 'case_id', 'department']).execute();
    expect(feedback).toEqual([
      {
        kind: 'thanks',
        case_id: 'caseId' in opened ? opened.caseId : 0,
        department: (await caseRow('caseId' in opened ? opened.caseId : 0)).department,
      },
    ]);
  });
});
