import { type Actor, encodeActor } from './actor.js';
import type { Executor } from './database.js';
import type { AnswerPhoto, AnswerTable } from './schema.js';

export async function insertAnswer(
  db: Executor,
  a: {
    caseId: number;
    kind: 'interim' | 'final';
    text: string;
    author: Actor;
    quality: Record<string, unknown>;
    state: 'queued' | 'held';
    photos?: readonly AnswerPhoto[];
  },
  at: Date,
): Promise<number> {
  const row = await db
    .insertInto('answer')
    .values({
      case_id: a.caseId,
      kind: a.kind,
      text: a.text,
      author: encodeActor(a.author),
      quality: JSON.stringify(a.quality),
      state: a.state,
      photos: JSON.stringify(a.photos ?? []),
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The answer with what is needed to reach the citizen: the case's first message and its source. */
export async function answerForDelivery(db: Executor, answerId: number) {
  return db
    .selectFrom('answer')
    .innerJoin('case', 'case.id', 'answer.case_id')
    .innerJoin('message', (j) => j.onRef('message.case_id', '=', 'case.id'))
    .innerJoin('source', 'source.id', 'message.source_id')
    .select([
      'answer.id',
      'answer.text',
      'answer.state',
      'answer.photos',
      'case.number',
      'message.channel',
      'message.kind',
      'message.platform_ids',
      'source.kind as source_kind',
      'source.external_id as source_external_id',
    ])
    .where('answer.id', '=', answerId)
    .orderBy('message.id')
    .limit(1)
    .executeTakeFirst();
}

export async function setAnswerState(
  db: Executor,
  answerId: number,
  state: AnswerTable['state'],
  at: Date,
  error: string | null = null,
): Promise<void> {
  await db
    .updateTable('answer')
    .set({ state, error, ...(state === 'sent' || state === 'recorded' ? { delivered_at: at } : {}) })
    .where('id', '=', answerId)
    .execute();
}

export async function answersOf(db: Executor, caseId: number) {
  return db
    .selectFrom('answer')
    .select([
      'id',
      'kind',
      'text',
      'author',
      'quality',
      'state',
      'error',
      'created_at as createdAt',
      'delivered_at as deliveredAt',
    ])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}
