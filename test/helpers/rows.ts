import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../models/database.js';
import { insertFollowUpChoice } from '../../models/follow-up-choice-repository.js';
import type {
  AnswerTable,
  CaseTable,
  FollowUpChoiceTable,
  MessageTable,
  OfficialTable,
  PollTable,
  ReminderTable,
  SourceTable,
} from '../../models/schema.js';
import type { StaffAccount } from '../../models/staff-account.js';

/**
 * Fixture builders for the domain rows: each inserts one row with sensible defaults, takes any column as
 * an override (typed by models/schema.ts) and returns the inserted row. `at` stands for every timestamp
 * of the row that is not given (the real clock's now unless given): pass `clock.now()` in tests on a ManualClock.
 * Defaults that must be unique (a source's external id, a case number) come from a per-file counter.
 */

let seq = 0;
const next = () => ++seq;

type Seed<T> = Partial<Insertable<T>> & { at?: Date };

/** A source (a chat, a community, the API): by default an active private chat of the `api` channel. */
export async function seedSource(db: Executor, over: Seed<SourceTable> = {}): Promise<Selectable<SourceTable>> {
  const { at: _at, ...values } = over;
  return db
    .insertInto('source')
    .values({ channel: 'api', external_id: `seed-${next()}`, kind: 'private', official: false, status: 'active', ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A case, created, last written to and updated `at`; without `source_id` a source of its channel is made for it.
 * The default number (МЦУ-2000-…) never collides with one the app gives or a test chooses.
 */
export async function seedCase(db: Executor, over: Seed<CaseTable> = {}): Promise<Selectable<CaseTable>> {
  const { at = new Date(), ...values } = over;
  const channel = values.channel ?? 'api';
  const n = next();
  const sourceId = values.source_id ?? (await seedSource(db, { channel })).id;
  return db
    .insertInto('case')
    .values({
      number: `МЦУ-2000-${String(n).padStart(6, '0')}`,
      status: 'assigned',
      channel,
      source_id: sourceId,
      text: `Обращение ${n}`,
      last_message_at: at,
      created_at: at,
      updated_at: at,
      ...values,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A citizen's message, sent and received `at`. With `case_id` it belongs to that case and takes the case's
 * channel, source and citizen unless they are given; otherwise `source_id` is needed.
 */
export async function seedMessage(
  db: Executor,
  over: Seed<MessageTable> & ({ case_id: number } | { source_id: number }),
): Promise<Selectable<MessageTable>> {
  const { at = new Date(), ...values } = over;
  const ofCase = values.case_id
    ? await db
        .selectFrom('case')
        .select(['channel', 'source_id', 'citizen_id'])
        .where('id', '=', values.case_id)
        .executeTakeFirstOrThrow()
    : undefined;
  const n = next();
  return db
    .insertInto('message')
    .values({
      channel: ofCase?.channel ?? 'api',
      source_id: ofCase?.source_id ?? 0,
      citizen_id: ofCase?.citizen_id ?? null,
      external_id: `seed-${n}`,
      kind: 'private',
      platform_ids: '{}',
      text: `Сообщение ${n}`,
      attachments: '[]',
      platform_at: at,
      received_at: at,
      raw: '{}',
      ...values,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A messenger account to bind: the chat defaults to the user id (as Telegram's private chats are). */
export type SeedAccount = StaffAccount & { chatId?: string; blockedAt?: Date | null };

/**
 * A person (official or МЦУ staff) created `at`, with messenger accounts bound `at`: `telegram` (a
 * Telegram user id; null or absent binds none) and/or `accounts`. The first account is the preferred
 * one unless `preferred_channel` is given.
 */
export async function seedOfficial(
  db: Executor,
  over: Seed<OfficialTable> & { telegram?: string | null; accounts?: SeedAccount[] } = {},
): Promise<Selectable<OfficialTable>> {
  const { at = new Date(), telegram, accounts: more = [], ...values } = over;
  const accounts: SeedAccount[] = [...(telegram ? [{ channel: 'telegram' as const, userId: telegram }] : []), ...more];
  const official = await db
    .insertInto('official')
    .values({
      name: `Сотрудник ${next()}`,
      department: 'roads-transport',
      role: 'official',
      created_at: at,
      bound_at: accounts.length > 0 ? at : null,
      preferred_channel: accounts[0]?.channel ?? null,
      ...values,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (accounts.length > 0)
    await db
      .insertInto('official_account')
      .values(
        accounts.map((a) => ({
          official_id: official.id,
          channel: a.channel,
          user_id: a.userId,
          chat_id: a.chatId ?? a.userId,
          bound_at: at,
          blocked_at: a.blockedAt ?? null,
        })),
      )
      .execute();
  return official;
}

/** An answer to a case, written `at`: by default a final answer already sent. */
export async function seedAnswer(db: Executor, over: Seed<AnswerTable> & { case_id: number }): Promise<Selectable<AnswerTable>> {
  const { at = new Date(), ...values } = over;
  return db
    .insertInto('answer')
    .values({ kind: 'final', text: 'Ответ', author: 'system', quality: '{}', state: 'sent', created_at: at, ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A satisfaction poll of a case, created `at`: by default scheduled. */
export async function seedPoll(db: Executor, over: Seed<PollTable> & { case_id: number }): Promise<Selectable<PollTable>> {
  const { at = new Date(), ...values } = over;
  return db
    .insertInto('poll')
    .values({ state: 'scheduled', created_at: at, ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A reminder of a case, due `at`: by default the one at the deadline (before:100). */
export async function seedReminder(
  db: Executor,
  over: Seed<ReminderTable> & { case_id: number },
): Promise<Selectable<ReminderTable>> {
  const { at = new Date(), ...values } = over;
  return db
    .insertInto('reminder')
    .values({ kind: 'before:100', due_at: at, ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A message waiting for the citizen's «дополнение или новое обращение?» answer, asked `at` (models' own insert). */
export async function seedFollowUpChoice(
  db: Executor,
  c: Pick<Insertable<FollowUpChoiceTable>, 'message_id' | 'citizen_id' | 'case_id' | 'follows_message_id'> & { at?: Date },
): Promise<void> {
  await insertFollowUpChoice(db, {
    messageId: c.message_id,
    citizenId: c.citizen_id,
    caseId: c.case_id,
    followsMessageId: c.follows_message_id ?? null,
    at: c.at ?? new Date(),
  });
}
