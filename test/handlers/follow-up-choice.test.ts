import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { chooseFollowUp, followUpTimeout } from '../../handlers/intake/follow-up-choice.js';
import { judgeFollowUp } from '../../handlers/intake/follow-up-rule.js';
import { type IntakeDeps, processMessage, receiveMessage, recordConsent } from '../../handlers/intake/index.js';
import { createStructurer } from '../../handlers/structuring/assess.js';
import { ManualClock } from '../../lib/clock.js';
import type { IncomingMessage } from '../../models/intake.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { barnaulIntakeDeps, privateMessages } from '../helpers/intake.js';
import { notificationsTo, recordingQueue } from '../helpers/jobs.js';

const domain = loadDomainConfig('config/barnaul.yaml');
const structurer = createStructurer(domain, null);
const HOT_WATER = 'Третий день нет горячей воды, ул. Попова, 105';
const TREE = 'Упало дерево на машину во дворе на Малахова 12';

const privateText = privateMessages('fu');

describe('a follow-up joins the open case only when it is about the same thing (real PostgreSQL)', () => {
  let testDb: TestDatabase;
  let deps: IntakeDeps;
  const clock = new ManualClock('2026-12-01T03:00:00Z');
  const jobs = recordingQueue();
  const sent = jobs.jobs;
  let nextCitizen = 500;

  beforeAll(async () => {
    testDb = await createTestDatabase('follow_up', { migrate: true });
    deps = barnaulIntakeDeps(testDb.handle.db, clock, jobs, domain, structurer);
  });
  afterAll(async () => testDb.drop());

  /** A citizen who consented and has an open case about hot water. */
  async function citizenWithCase(text = HOT_WATER) {
    const citizen = ++nextCitizen;
    await recordConsent(deps, { channel: 'telegram', author: { externalId: String(citizen) }, consent: 'given' });
    const first = await send(citizen, text);
    if (first.outcome.status !== 'opened') throw new Error(`no case: ${first.outcome.status}`);
    clock.advance(10 * 60_000);
    return { citizen, caseId: first.outcome.caseId, number: first.outcome.number };
  }
  async function send(citizen: number, text: string, attachments: IncomingMessage['attachments'] = []) {
    const r = await receiveMessage(deps, privateText(citizen, text, attachments));
    if (r.status !== 'stored') throw new Error(`not stored: ${r.status}`);
    return { messageId: r.messageId, outcome: await processMessage(deps, { messageId: r.messageId }) };
  }
  const sender = (citizen: number) => ({ channel: 'telegram' as const, externalId: String(citizen) });
  const messageRow = (id: number) =>
    testDb.handle.db.selectFrom('message').select(['case_id', 'processed_at']).where('id', '=', id).executeTakeFirstOrThrow();
  const casesOf = async (citizen: number) =>
    testDb.handle.db
      .selectFrom('case')
      .innerJoin('citizen', 'citizen.id', 'case.citizen_id')
      .select(['case.id', 'case.number', 'case.text', 'case.category'])
      .where('citizen.external_id', '=', String(citizen))
      .orderBy('case.id')
      .execute();
  const audit = (caseId: number, action: string) =>
    testDb.handle.db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('entity', '=', 'case')
      .where('entity_id', '=', String(caseId))
      .where('action', '=', action)
      .orderBy('id')
      .execute();
  /** What the citizen was told (their private chat id is their id). */
  const toldTo = (citizen: number) => notificationsTo(sent, citizen);
  const ask = (citizen: number, text = TREE) => send(citizen, text);

  it('when the follow-up has the case’s category (or similar words), then it joins the case', async () => {
    const { citizen, caseId, number } = await citizenWithCase();
    const same = await send(citizen, 'Опять нет горячей воды в доме');
    expect(same.outcome).toEqual({ status: 'joined', caseId, number });
    const similar = await send(citizen, 'Когда дадут горячую воду на Попова 105? Третий день без воды');
    expect(similar.outcome).toEqual({ status: 'joined', caseId, number });
    expect((await audit(caseId, 'message_joined')).map((a) => a.details)).toEqual([
      { messageId: same.messageId, followUp: 'same_topic', similarity: expect.any(Number) },
      { messageId: similar.messageId, followUp: 'similar', similarity: 0.63 },
    ]);
  });

  it('when the follow-up is about something else (hot water, then a fallen tree), then the citizen is asked and no case is decided', async () => {
    const { citizen, caseId, number } = await citizenWithCase();
    const before = sent.length;
    const { messageId, outcome } = await ask(citizen);
    expect(outcome).toEqual({ status: 'awaiting_choice', caseId });
    expect(await messageRow(messageId)).toEqual({ case_id: null, processed_at: null });
    expect(await casesOf(citizen)).toHaveLength(1);
    const jobsNow = sent.slice(before);
    expect(jobsNow.find((j) => j.name === 'notify-citizen')?.payload).toMatchObject({
      notification: { kind: 'follow_up_choice', messageId, caseNumber: number, waitMinutes: 5 },
    });
    expect(jobsNow.find((j) => j.name === 'follow-up-timeout')).toEqual({
      name: 'follow-up-timeout',
      payload: { messageId },
      startAfter: new Date(clock.now().getTime() + 300_000),
    });
    expect(await audit(caseId, 'follow_up_asked')).toEqual([
      {
        actor: 'system',
        details: {
          messageId,
          similarity: 0,
          category: 'greenery',
          district: null,
          caseCategory: 'hot-water',
          caseDistrict: null,
        },
      },
    ]);
    // A re-delivered job does not decide it either.
    expect(await processMessage(deps, { messageId })).toEqual({ status: 'skipped', reason: 'awaiting_choice' });
  });

  it('when the follow-up carries no topic of its own («вот фото», an address, a photo without a caption), then it joins', async () => {
    const { citizen, caseId } = await citizenWithCase();
    for (const text of ['вот фото', 'дом 5, подъезд 2', 'ул. Ленина 45'])
      expect((await send(citizen, text)).outcome).toMatchObject({ status: 'joined', caseId });
    const photo = await send(citizen, '', [{ type: 'photo', fileId: 'p1', size: 1000 }]);
    expect(photo.outcome).toMatchObject({ status: 'joined', caseId });
    expect((await audit(caseId, 'message_joined')).map((a) => a.details.followUp)).toEqual(Array(4).fill('topicless'));
  });

  it('when the citizen chooses «Дополнение…», then the message joins the case, once', async () => {
    const { citizen, caseId, number } = await citizenWithCase();
    const { messageId } = await ask(citizen);
    expect(await chooseFollowUp(deps, { messageId, choice: 'addition', sender: sender(citizen) })).toBe('joined');
    expect((await messageRow(messageId)).case_id).toBe(caseId);
    expect(toldTo(citizen).at(-1)).toEqual({ kind: 'case_extended', caseNumber: number });
    expect(await audit(caseId, 'follow_up_decided')).toEqual([
      {
        actor: 'citizen:telegram',
        details: { messageId, choice: 'addition', by: 'citizen:telegram', resultCaseId: caseId },
      },
    ]);
    // The second press and the timeout find it decided.
    expect(await chooseFollowUp(deps, { messageId, choice: 'new', sender: sender(citizen) })).toBe('stale');
    expect(await followUpTimeout(deps, { messageId })).toBe('stale');
    expect(await casesOf(citizen)).toHaveLength(1);
  });

  it('when the citizen chooses «Новое обращение», then a case with a new number opens for the message', async () => {
    const { citizen, number } = await citizenWithCase();
    const { messageId } = await ask(citizen);
    expect(await chooseFollowUp(deps, { messageId, choice: 'new', sender: sender(citizen) })).toBe('opened');
    const cases = await casesOf(citizen);
    expect(cases).toHaveLength(2);
    expect(cases[1]).toMatchObject({ text: TREE, category: 'greenery' });
    expect(cases[1]?.number).not.toBe(number);
    expect((await messageRow(messageId)).case_id).toBe(cases[1]?.id);
    expect(toldTo(citizen).at(-1)).toMatchObject({ kind: 'case_opened', caseNumber: cases[1]?.number });
  });

  it('when the citizen does not answer in time, then the timeout opens a case; a press after it is stale and creates nothing', async () => {
    const { citizen } = await citizenWithCase();
    const { messageId } = await ask(citizen);
    clock.advance(300_000);
    expect(await followUpTimeout(deps, { messageId })).toBe('opened');
    expect(await casesOf(citizen)).toHaveLength(2);
    const decided = await testDb.handle.db
      .selectFrom('follow_up_choice')
      .select(['state', 'decided_by'])
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow();
    expect(decided).toEqual({ state: 'new', decided_by: 'timeout' });
    expect(await chooseFollowUp(deps, { messageId, choice: 'addition', sender: sender(citizen) })).toBe('stale');
    expect(await chooseFollowUp(deps, { messageId, choice: 'new', sender: sender(citizen) })).toBe('stale');
    expect(await casesOf(citizen)).toHaveLength(2);
  });

  it('when the button is pressed twice at once (or with the timeout), then it acts once', async () => {
    const { citizen } = await citizenWithCase();
    const { messageId } = await ask(citizen);
    const outcomes = await Promise.all([
      chooseFollowUp(deps, { messageId, choice: 'new', sender: sender(citizen) }),
      chooseFollowUp(deps, { messageId, choice: 'new', sender: sender(citizen) }),
      followUpTimeout(deps, { messageId }),
    ]);
    expect(outcomes.filter((o) => o === 'opened')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'stale')).toHaveLength(2);
    expect(await casesOf(citizen)).toHaveLength(2);
  });

  it('when someone else presses the button, then nothing happens', async () => {
    const { citizen } = await citizenWithCase();
    const { messageId } = await ask(citizen);
    const { citizen: stranger } = await citizenWithCase();
    expect(await chooseFollowUp(deps, { messageId, choice: 'new', sender: sender(stranger) })).toBe('not_yours');
    expect(await chooseFollowUp(deps, { messageId, choice: 'new', sender: { channel: 'telegram', externalId: '1' } })).toBe(
      'not_yours',
    );
    expect(await chooseFollowUp(deps, { messageId: 999_999, choice: 'new', sender: sender(citizen) })).toBe('stale');
    expect(await messageRow(messageId)).toEqual({ case_id: null, processed_at: null });
  });

  it('when «вот фото» comes while the citizen is being asked, then it waits and goes where the asked message goes', async () => {
    const { citizen, caseId } = await citizenWithCase();
    const { messageId } = await ask(citizen);
    const photo = await send(citizen, 'вот фото');
    expect(photo.outcome).toEqual({ status: 'awaiting_choice', caseId });
    // It has no buttons of its own.
    expect(await chooseFollowUp(deps, { messageId: photo.messageId, choice: 'addition', sender: sender(citizen) })).toBe('stale');
    expect(await chooseFollowUp(deps, { messageId, choice: 'new', sender: sender(citizen) })).toBe('opened');
    const cases = await casesOf(citizen);
    expect((await messageRow(photo.messageId)).case_id).toBe(cases[1]?.id);
  });
});

describe('judgeFollowUp', () => {
  const at = new Date('2026-12-01T03:00:00Z');
  const judge = (text: string, openCase: { category: string | null; district: string | null; texts: string[] }) =>
    judgeFollowUp({ text, assessment: structurer.assess(text, at) }, openCase, 0.35);

  it('when the category is the same and the districts differ, then it is not the same thing; a missing district on either side is', () => {
    const hotWater = { category: 'hot-water', district: 'central', texts: ['Нет горячей воды в Центральном районе'] };
    expect(judge('Нет горячей воды на Власихе', hotWater)).toMatchObject({ join: false, district: 'industrial' });
    expect(judge('Опять нет горячей воды в доме', hotWater)).toMatchObject({ join: true, rule: 'same_topic' });
    expect(judge('Нет горячей воды на Власихе', { ...hotWater, district: null })).toMatchObject({
      join: true,
      rule: 'same_topic',
    });
  });

  it('when a short message names a category by keyword, then it has a topic of its own', () => {
    expect(judge('Отключили свет', { category: 'hot-water', district: null, texts: [HOT_WATER] })).toMatchObject({
      join: false,
      category: 'electricity',
    });
  });
});
