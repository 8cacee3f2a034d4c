import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type IntakeDeps, receiveBatch, receiveMessage, recordConsent } from '../../handlers/intake/index.js';
import { inOrderChunks } from '../../handlers/intake/receive-message.js';
import { ManualClock } from '../../lib/clock.js';
import type { IncomingMessage, IntakeOutcome, SourceKind } from '../../models/intake.js';
import { setForceNewCase, setSourceStatus } from '../../models/intake-repository.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { incomingMessage } from '../helpers/payloads.js';
import { seedSource } from '../helpers/rows.js';

let next = 0;

/** A message in a source; every call gets a fresh event and message id unless given. */
function msg(
  source: { id: string; kind: SourceKind },
  over: Partial<IncomingMessage> & { author?: IncomingMessage['author'] } = {},
): IncomingMessage {
  const id = ++next;
  const isPrivate = source.kind === 'private';
  return incomingMessage({
    eventId: `e${id}`,
    source: { externalId: source.id, kind: source.kind, title: `chat ${source.id}`, official: false },
    externalId: `m${id}`,
    kind: isPrivate ? 'private' : 'chat',
    author: { externalId: isPrivate ? source.id : `a${id}`, displayName: 'Житель' },
    text: `Яма на дороге #${id}`,
    platformIds: { update_id: id },
    raw: { update_id: id },
    ...over,
  });
}

describe('receiveBatch (set-based intake)', () => {
  let testDb: TestDatabase;
  let deps: IntakeDeps;
  let jobs: ReturnType<typeof recordingQueue>;
  const city = { id: '-100', kind: 'city_chat' as const };
  const official = { id: '-200', kind: 'official_channel' as const };

  const count = async (table: 'message' | 'citizen' | 'message_edit' | 'source') =>
    Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(testDb.handle.db)).rows[0]?.n);
  const message = (id: number) =>
    testDb.handle.db.selectFrom('message').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const stored = (o: IntakeOutcome | undefined) => (o?.status === 'stored' ? o.messageId : 0);

  beforeAll(async () => {
    testDb = await createTestDatabase('intake_batch', { migrate: true });
    jobs = recordingQueue();
    deps = {
      db: testDb.handle.db,
      jobs,
      clock: new ManualClock('2026-11-29T03:00:00Z'),
      log: createLogger({ level: 'silent' }),
      settings: { followUpWindowMs: 86_400_000, firstResponse: '9wh', timeZone: 'Asia/Barnaul' },
    };
    // Groups wait for an operator: register both and approve them.
    for (const s of [city, official]) {
      expect(await receiveMessage(deps, msg(s))).toEqual({ status: 'ignored', reason: 'source_pending' });
    }
    await testDb.handle.db.updateTable('source').set({ status: 'active' }).execute();
  });
  afterAll(async () => testDb.drop());
  beforeEach(() => {
    jobs.jobs.length = 0;
  });

  it('when one event comes twice in a batch or again later, then it is stored once, unprocessed, and no job is queued', async () => {
    const m = msg(city);
    const outcomes = await receiveBatch(deps, [m, m]);
    expect(outcomes[0]?.status).toBe('stored');
    expect(outcomes[1]).toEqual({ status: 'duplicate' });
    expect(await receiveBatch(deps, [m])).toEqual([{ status: 'duplicate' }]);
    // Its case is decided by the caller's unit of work (bindIntake), not by a job per message.
    expect(jobs.jobs).toEqual([]);
    const row = await testDb.handle.db
      .selectFrom('message')
      .select('processed_at')
      .where('id', '=', stored(outcomes[0]))
      .executeTakeFirstOrThrow();
    expect(row.processed_at).toBeNull();
  });

  it('when one message comes under two events, then the second is a duplicate', async () => {
    const m = msg(city);
    const outcomes = await receiveBatch(deps, [m, { ...m, eventId: `${m.eventId}-again` }]);
    expect(outcomes.map((o) => o.status)).toEqual(['stored', 'duplicate']);
    expect(await receiveBatch(deps, [{ ...m, eventId: null }])).toEqual([{ status: 'duplicate' }]);
  });

  it('when a mixed batch arrives, then outcomes come back in input order', async () => {
    const pending = { id: '-300', kind: 'discussion_group' as const };
    const before = await count('citizen');
    const outcomes = await receiveBatch(deps, [
      msg(city, { text: '   ', author: null }),
      msg(pending),
      msg(city),
      msg({ id: '901', kind: 'private' }),
      msg(city, { opensCase: false }),
      msg(city, { text: '', geo: { lat: 53.35, lon: 83.77 } }),
    ]);
    expect(outcomes.map((o) => (o.status === 'ignored' ? o.reason : o.status))).toEqual([
      'empty',
      'source_pending',
      'stored',
      'consent_required',
      'stored',
      'stored',
    ]);
    // Authors of the pending source and of the private chat without consent are not stored.
    expect(await count('citizen')).toBe(before + 3);
    // Messages that open cases wait unprocessed for their decision; context (opensCase false) is done at once.
    expect((await message(stored(outcomes[2]))).processed_at).toBeNull();
    expect((await message(stored(outcomes[5]))).processed_at).toBeNull();
    expect((await message(stored(outcomes[4]))).processed_at).not.toBeNull();
    expect((await message(stored(outcomes[5]))).geo_lat).toBe(53.35);
  });

  it('when a source is rejected, then its next messages are ignored at once', async () => {
    const chat = { id: '-400', kind: 'city_chat' as const };
    await receiveMessage(deps, msg(chat));
    const row = await testDb.handle.db
      .selectFrom('source')
      .select('id')
      .where('external_id', '=', chat.id)
      .executeTakeFirstOrThrow();
    await setSourceStatus(testDb.handle.db, row.id, 'active', undefined, new Date());
    expect((await receiveMessage(deps, msg(chat))).status).toBe('stored');
    expect((await receiveMessage(deps, msg(chat))).status).toBe('stored');
    await setSourceStatus(testDb.handle.db, row.id, 'rejected', undefined, new Date());
    expect(await receiveMessage(deps, msg(chat))).toEqual({ status: 'ignored', reason: 'source_rejected' });
  });

  it('when another transaction creates the same source meanwhile, then the message finds that source', async () => {
    const chat = { id: '-500', kind: 'city_chat' as const };
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted = () => {};
    const insertedOnce = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const other = testDb.handle.db.transaction().execute(async (trx) => {
      await seedSource(trx, { channel: 'telegram', external_id: chat.id, kind: chat.kind });
      inserted();
      await held;
    });
    await insertedOnce;
    // Blocks on the uncommitted row; once it commits, the row is newer than the statement's snapshot.
    const outcome = receiveMessage(deps, msg(chat));
    await new Promise((r) => setTimeout(r, 200));
    release();
    await other;
    expect((await outcome).status).toBe('stored');
  });

  it('when a private chat has no consent or a declined one, then nothing personal is stored', async () => {
    const chat = { id: '902', kind: 'private' as const };
    const before = await count('citizen');
    expect(await receiveBatch(deps, [msg(chat), msg(chat, { author: null })])).toEqual([
      { status: 'consent_required' },
      { status: 'ignored', reason: 'unknown_message' },
    ]);
    expect(await count('citizen')).toBe(before);
    await recordConsent(deps, { channel: 'telegram', author: { externalId: chat.id }, consent: 'declined' });
    expect(await receiveBatch(deps, [msg(chat, { author: { externalId: chat.id, displayName: 'Имя' } })])).toEqual([
      { status: 'declined' },
    ]);
    const citizen = await testDb.handle.db
      .selectFrom('citizen')
      .selectAll()
      .where('external_id', '=', chat.id)
      .executeTakeFirstOrThrow();
    expect(citizen.display_name).toBeNull();
  });

  it('when «Новое обращение» was asked, then only the next message of the citizen opens a new case', async () => {
    const chat = { id: '903', kind: 'private' as const };
    await recordConsent(deps, { channel: 'telegram', author: { externalId: chat.id }, consent: 'given' });
    const citizen = await testDb.handle.db
      .selectFrom('citizen')
      .select('id')
      .where('external_id', '=', chat.id)
      .executeTakeFirstOrThrow();
    await setForceNewCase(testDb.handle.db, citizen.id, true);
    const outcomes = await receiveBatch(deps, [msg(chat, { text: '' }), msg(chat), msg(chat)]);
    expect(outcomes.map((o) => o.status)).toEqual(['ignored', 'stored', 'stored']);
    expect((await message(stored(outcomes[1]))).new_case).toBe(true);
    expect((await message(stored(outcomes[2]))).new_case).toBe(false);
    expect((await message(stored(outcomes[1]))).citizen_id).toBe(citizen.id);
    const after = await receiveMessage(deps, msg(chat));
    expect((await message(stored(after))).new_case).toBe(false);
    const row = await testDb.handle.db
      .selectFrom('citizen')
      .select(['force_new_case', 'display_name'])
      .where('id', '=', citizen.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ force_new_case: false, display_name: 'Житель' });
  });

  it('when a message is edited and deleted, then the history and the deletion are kept', async () => {
    const m = msg(official);
    const first = await receiveMessage(deps, m);
    const edits = await count('message_edit');
    const edit = { ...m, eventId: `${m.eventId}-edit`, action: 'edit' as const, text: 'Исправленный текст' };
    const del = { ...m, eventId: `${m.eventId}-delete`, action: 'delete' as const, text: '' };
    const unknown = msg(official, { action: 'delete' });
    expect(await receiveBatch(deps, [edit, del, unknown])).toEqual([
      { status: 'updated', messageId: stored(first) },
      { status: 'updated', messageId: stored(first) },
      { status: 'ignored', reason: 'unknown_message' },
    ]);
    const row = await message(stored(first));
    expect(row.text).toBe('Исправленный текст');
    expect(row.deleted_at).not.toBeNull();
    expect(await count('message_edit')).toBe(edits + 1);
    // An edit of a message never seen is stored as new.
    expect((await receiveMessage(deps, msg(official, { action: 'edit' }))).status).toBe('stored');
  });

  it('when a message and its edit or deletion arrive in one batch, then the edit is applied after it', async () => {
    const m = msg(official);
    const edit = { ...m, eventId: `${m.eventId}-e`, action: 'edit' as const, text: 'Уточнение: у дома 5' };
    const other = msg(official);
    const del = { ...other, eventId: `${other.eventId}-d`, action: 'delete' as const, text: '' };
    const outcomes = await receiveBatch(deps, [m, edit, other, del]);
    expect(outcomes.map((o) => o.status)).toEqual(['stored', 'updated', 'stored', 'updated']);
    expect((await message(stored(outcomes[0]))).text).toBe('Уточнение: у дома 5');
    expect((await message(stored(outcomes[2]))).deleted_at).not.toBeNull();
    expect(inOrderChunks([m, edit, other, del]).map((c) => c.length)).toEqual([1, 2, 1]);
  });

  it('when a cached active source was rejected elsewhere, then the fast path stores nothing from it', async () => {
    const chat = { id: '-300', kind: 'city_chat' as const };
    await receiveMessage(deps, msg(chat));
    await testDb.handle.db.updateTable('source').set({ status: 'active' }).where('external_id', '=', chat.id).execute();
    expect((await receiveMessage(deps, msg(chat))).status).toBe('stored'); // now cached as active
    // Another process rejects it: this process's cache does not know.
    await testDb.handle.db.updateTable('source').set({ status: 'rejected' }).where('external_id', '=', chat.id).execute();
    const before = await count('message');
    const late = await receiveMessage(deps, msg(chat));
    expect(late.status).not.toBe('stored');
    expect(await count('message')).toBe(before);
  });

  it('when «Новое обращение» meets a message that is not stored (a repeat), then it waits for the next one', async () => {
    const chat = { id: '904', kind: 'private' as const };
    await recordConsent(deps, { channel: 'telegram', author: { externalId: chat.id }, consent: 'given' });
    const first = msg(chat);
    expect((await receiveMessage(deps, first)).status).toBe('stored');
    const citizen = await testDb.handle.db
      .selectFrom('citizen')
      .select('id')
      .where('external_id', '=', chat.id)
      .executeTakeFirstOrThrow();
    await setForceNewCase(testDb.handle.db, citizen.id, true);
    // The same message under a new event id: a duplicate, which must not use up «Новое обращение».
    expect((await receiveMessage(deps, { ...first, eventId: `${first.eventId}-again` })).status).toBe('duplicate');
    const next = await receiveMessage(deps, msg(chat));
    expect((await message(stored(next))).new_case).toBe(true);
  });
});
