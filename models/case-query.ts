import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Executor } from './database.js';
import type { OfficialNotice } from './reminder-kind.js';
import type { Database } from './schema.js';

export interface CaseFilters {
  status?: string;
  /** Any of these statuses (the console's triage queue: new and triage). */
  statuses?: readonly string[];
  channel?: string;
  category?: string;
  department?: string;
  district?: string;
  priority?: string;
  problem?: number;
  /** Full-text search (Russian morphology), e.g. «нет воды». */
  q?: string;
  from?: Date;
  to?: Date;
  /** false: leave out duplicates merged into another case (as the heat map counts); true: only those. */
  merged?: boolean;
}

/** Keyset position: the (created_at, id) of the last row of the previous page. */
export interface Cursor {
  at: Date;
  id: number;
}

export interface CaseView {
  id: number;
  number: string;
  status: string;
  channel: string;
  text: string;
  category: string | null;
  district: string | null;
  department: string | null;
  priority: string;
  triageReason: string | null;
  /** What structuring decided and why. */
  structuring: {
    categoryAuto: string | null;
    confidence: number | null;
    categoryRule: string | null;
    modelVersion: string | null;
    suggestions: { label: string; confidence: number }[];
    districtReason: string | null;
    urgencyRule: string | null;
    routingRule: string | null;
    problemId: number | null;
  };
  createdAt: Date;
  updatedAt: Date;
  deadlineAt: Date | null;
  /** The first-response deadline, the legal regime that set both, and the latest an extension may reach. */
  firstResponseDueAt: Date | null;
  regime: string | null;
  latestDeadlineAt: Date | null;
  /** The first or final deadline rests on the Labour Code fallback for a year the production calendar lacks. */
  deadlineProvisional: boolean;
  source: { id: number; kind: string; title: string | null; official: boolean };
}

export interface MessageView {
  id: number;
  channel: string;
  kind: string;
  caseId: number | null;
  text: string;
  attachments: unknown[];
  geo: { lat: number; lon: number } | null;
  permalink: string | null;
  thread: Record<string, unknown> | null;
  author: { displayName: string | null; username: string | null } | null;
  source: { id: number; kind: string; title: string | null; official: boolean };
  platformAt: Date;
  receivedAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  /** Why it opened no case (thanks, an advert …); null for a message that is part of a case or waits. */
  notProblemReason: string | null;
}

function caseSelect(db: Executor) {
  return db
    .selectFrom('case')
    .innerJoin('source', 'source.id', 'case.source_id')
    .select([
      'case.id',
      'case.number',
      'case.status',
      'case.channel',
      'case.text',
      'case.category',
      'case.district',
      'case.department',
      'case.priority',
      'case.triage_reason',
      'case.category_auto',
      'case.category_confidence',
      'case.category_rule',
      'case.model_version',
      'case.suggestions',
      'case.district_reason',
      'case.urgency_rule',
      'case.routing_rule',
      'case.problem_id',
      'case.created_at',
      'case.updated_at',
      'case.deadline_at',
      'case.first_response_due_at',
      'case.regime',
      'case.latest_deadline_at',
      'case.deadline_provisional',
      'source.id as source_id',
      'source.kind as source_kind',
      'source.title as source_title',
      'source.official as source_official',
    ]);
}

type CaseRow = Awaited<ReturnType<ReturnType<typeof caseSelect>['executeTakeFirstOrThrow']>>;

function toCaseView(r: CaseRow): CaseView {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    channel: r.channel,
    text: r.text,
    category: r.category,
    district: r.district,
    department: r.department,
    priority: r.priority,
    triageReason: r.triage_reason,
    structuring: {
      categoryAuto: r.category_auto,
      confidence: r.category_confidence,
      categoryRule: r.category_rule,
      modelVersion: r.model_version,
      suggestions: r.suggestions ?? [],
      districtReason: r.district_reason,
      urgencyRule: r.urgency_rule,
      routingRule: r.routing_rule,
      problemId: r.problem_id,
    },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deadlineAt: r.deadline_at,
    firstResponseDueAt: r.first_response_due_at,
    regime: r.regime,
    latestDeadlineAt: r.latest_deadline_at,
    deadlineProvisional: r.deadline_provisional,
    source: { id: r.source_id, kind: r.source_kind, title: r.source_title, official: r.source_official },
  };
}

/** The listing's filters as one condition; the exports (models/export-query.ts) apply the very same. */
export function caseFiltersMatch(eb: ExpressionBuilder<Database, 'case'>, filters: CaseFilters): Expression<SqlBool> {
  const all: Expression<SqlBool>[] = [];
  if (filters.status) all.push(eb('case.status', '=', filters.status));
  if (filters.statuses?.length) all.push(eb('case.status', 'in', [...filters.statuses]));
  if (filters.channel) all.push(eb('case.channel', '=', filters.channel));
  if (filters.category) all.push(eb('case.category', '=', filters.category));
  if (filters.department) all.push(eb('case.department', '=', filters.department));
  if (filters.district) all.push(eb('case.district', '=', filters.district));
  if (filters.priority) all.push(eb('case.priority', '=', filters.priority));
  if (filters.problem) all.push(eb('case.problem_id', '=', filters.problem));
  if (filters.from) all.push(eb('case.created_at', '>=', filters.from));
  if (filters.to) all.push(eb('case.created_at', '<', filters.to));
  if (filters.merged !== undefined) all.push(eb('case.merged_into', filters.merged ? 'is not' : 'is', null));
  if (filters.q) all.push(textMatches('case.text', filters.q));
  return eb.and(all);
}

/** One page of cases, newest first, plus the cursor of the next page (null on the last page). */
export async function listCases(
  db: Executor,
  filters: CaseFilters,
  page: { limit: number; after?: Cursor },
): Promise<{ items: CaseView[]; next: Cursor | null }> {
  let q = caseSelect(db).where((eb) => caseFiltersMatch(eb, filters));
  if (page.after) {
    const { at, id } = page.after;
    q = q.where((eb) =>
      eb.or([eb('case.created_at', '<', at), eb.and([eb('case.created_at', '=', at), eb('case.id', '<', id)])]),
    );
  }
  const rows = await q
    .orderBy('case.created_at', 'desc')
    .orderBy('case.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return paginate(rows.map(toCaseView), page.limit, (c) => ({ at: c.createdAt, id: c.id }));
}

export async function findCase(db: Executor, idOrNumber: number | string): Promise<CaseView | undefined> {
  const q = caseSelect(db);
  const row = await (typeof idOrNumber === 'number'
    ? q.where('case.id', '=', idOrNumber)
    : q.where('case.number', '=', idOrNumber)
  ).executeTakeFirst();
  return row ? toCaseView(row) : undefined;
}

function messageSelect(db: Executor) {
  return db
    .selectFrom('message')
    .innerJoin('source', 'source.id', 'message.source_id')
    .leftJoin('citizen', 'citizen.id', 'message.citizen_id')
    .select([
      'message.id',
      'message.channel',
      'message.kind',
      'message.case_id',
      'message.text',
      'message.attachments',
      'message.geo_lat',
      'message.geo_lon',
      'message.permalink',
      'message.thread',
      'message.platform_at',
      'message.received_at',
      'message.edited_at',
      'message.deleted_at',
      'message.not_problem_reason',
      'citizen.display_name',
      'citizen.username',
      'citizen.id as citizen_id',
      'source.id as source_id',
      'source.kind as source_kind',
      'source.title as source_title',
      'source.official as source_official',
    ]);
}

type MessageRow = Awaited<ReturnType<ReturnType<typeof messageSelect>['executeTakeFirstOrThrow']>>;

function toMessageView(r: MessageRow): MessageView {
  return {
    id: r.id,
    channel: r.channel,
    kind: r.kind,
    caseId: r.case_id,
    text: r.text,
    attachments: r.attachments,
    geo: r.geo_lat !== null && r.geo_lon !== null ? { lat: r.geo_lat, lon: r.geo_lon } : null,
    permalink: r.permalink,
    thread: r.thread,
    author: r.citizen_id === null ? null : { displayName: r.display_name, username: r.username },
    source: { id: r.source_id, kind: r.source_kind, title: r.source_title, official: r.source_official },
    platformAt: r.platform_at,
    receivedAt: r.received_at,
    editedAt: r.edited_at,
    deletedAt: r.deleted_at,
    notProblemReason: r.not_problem_reason,
  };
}

export async function listCaseMessages(db: Executor, caseId: number): Promise<MessageView[]> {
  const rows = await messageSelect(db).where('message.case_id', '=', caseId).orderBy('message.id').execute();
  return rows.map(toMessageView);
}

export interface MessageFilters {
  channel?: string;
  kind?: string;
  sourceId?: number;
  q?: string;
  from?: Date;
  to?: Date;
}

/** One page of messages, newest received first. */
export async function listMessages(
  db: Executor,
  filters: MessageFilters,
  page: { limit: number; after?: Cursor },
): Promise<{ items: MessageView[]; next: Cursor | null }> {
  let q = messageSelect(db);
  if (filters.channel) q = q.where('message.channel', '=', filters.channel);
  if (filters.kind) q = q.where('message.kind', '=', filters.kind);
  if (filters.sourceId) q = q.where('message.source_id', '=', filters.sourceId);
  if (filters.from) q = q.where('message.received_at', '>=', filters.from);
  if (filters.to) q = q.where('message.received_at', '<', filters.to);
  if (filters.q) q = q.where(textMatches('message.text', filters.q));
  if (page.after) {
    const { at, id } = page.after;
    q = q.where((eb) =>
      eb.or([eb('message.received_at', '<', at), eb.and([eb('message.received_at', '=', at), eb('message.id', '<', id)])]),
    );
  }
  const rows = await q
    .orderBy('message.received_at', 'desc')
    .orderBy('message.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return paginate(rows.map(toMessageView), page.limit, (m) => ({ at: m.receivedAt, id: m.id }));
}

/** Russian full-text match (stems: «воды» finds «вода»), or a plain substring for what the stemmer drops. */
function textMatches(column: 'case.text' | 'message.text', query: string) {
  return sql<boolean>`(to_tsvector('russian', ${sql.ref(column)}) @@ websearch_to_tsquery('russian', ${query})
    or ${sql.ref(column)} ilike ${`%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`})`;
}

function paginate<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor): { items: T[]; next: Cursor | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? cursorOf(last) : null };
}

/** What an official's card shows of a case (reminders, /case, the buttons). */
export interface CaseCard {
  id: number;
  number: string;
  text: string;
  channel: string;
  district: string | null;
  deadlineAt: Date | null;
  priority: string;
  /** Why the official gets the card: a reminder or a decision on their request; null when they asked for it (/case). */
  kind: OfficialNotice | null;
  /** A link to the original post or comment, when there is one. */
  permalink?: string | null;
  /** A channel's comment (MAX): the answer is given on the page, the bot posts nothing there. */
  answerOnPage?: boolean;
  /** The deadline rests on the Labour Code fallback (next year's production calendar not loaded). */
  deadlineProvisional?: boolean;
}

/** The row an official's card is built from, with the first permalink of the case's messages. */
export async function caseCard(db: Executor, caseId: number) {
  return db
    .selectFrom('case')
    .select([
      'id',
      'number',
      'text',
      'channel',
      'district',
      'department',
      'deadline_at',
      'deadline_provisional',
      'priority',
      'status',
      // Where the citizen wrote, when the platform gives a link (a VK wall comment, a channel post).
      (eb) =>
        eb
          .selectFrom('message')
          .select('message.permalink')
          .whereRef('message.case_id', '=', 'case.id')
          .where('message.permalink', 'is not', null)
          .orderBy('message.id')
          .limit(1)
          .as('permalink'),
      // The first message, where an answer goes (as answerForDelivery reads it).
      (eb) =>
        eb
          .selectFrom('message')
          .select(
            sql<AnswerPlace>`json_build_object('channel', message.channel, 'kind', message.kind, 'platform_ids', message.platform_ids)`.as(
              'place',
            ),
          )
          .whereRef('message.case_id', '=', 'case.id')
          .orderBy('message.id')
          .limit(1)
          .as('answer_place'),
    ])
    .where('id', '=', caseId)
    .executeTakeFirst();
}

/** A case's first message as `answerOnPage` (models/answer-target.ts) reads it. */
type AnswerPlace = { channel: string; kind: string; platform_ids: Record<string, string | number> };
