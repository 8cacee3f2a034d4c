import { sql } from 'kysely';
import type { Executor } from './database.js';
import { citizenMessages } from './privacy-repository.js';

/**
 * Everything stored about one citizen, for an operator answering a data-subject request (152-ФЗ ст. 14):
 * the citizen row, their messages (with edits and the raw platform update), their cases with answers
 * and polls, subscriptions and their history, the broadcasts sent to them, their comments on official
 * pages, what waited for their answer, and the audit entries about them and their cases.
 */
export interface CitizenExport {
  citizen: Record<string, unknown>;
  messages: Record<string, unknown>[];
  messageEdits: Record<string, unknown>[];
  cases: Record<string, unknown>[];
  answers: Record<string, unknown>[];
  polls: Record<string, unknown>[];
  externalAppeals: Record<string, unknown>[];
  subscription: Record<string, unknown> | null;
  subscriptionEvents: Record<string, unknown>[];
  broadcasts: Record<string, unknown>[];
  pageComments: Record<string, unknown>[];
  followUpChoices: Record<string, unknown>[];
  intentQuestions: Record<string, unknown>[];
  audit: Record<string, unknown>[];
}

type Row = Record<string, unknown>;

/** The citizen's data, or undefined when there is no such citizen. */
export async function citizenExport(db: Executor, citizenId: number): Promise<CitizenExport | undefined> {
  const all = async (query: ReturnType<typeof sql<Row>>) => (await query.execute(db)).rows;
  const [citizen] = await all(sql`select id, channel, external_id as "externalId", display_name as "displayName",
      username, phone, email, consent, consent_at as "consentAt", broadcasts_opted_out_at as "broadcastsOptedOutAt",
      created_at as "createdAt", updated_at as "updatedAt", anonymised_at as "anonymisedAt"
    from citizen where id = ${citizenId}`);
  if (!citizen) return undefined;
  const cases = sql`select id from "case" where citizen_id = ${citizenId}`;
  const [subscription] = await all(sql`select channel, chat_id as "chatId", districts, topics, active,
      created_at as "createdAt", updated_at as "updatedAt" from subscription where citizen_id = ${citizenId}`);
  return {
    citizen,
    messages: await all(sql`select id, channel, kind, case_id as "caseId", text, attachments, geo_lat as "geoLat",
        geo_lon as "geoLon", permalink, thread, platform_ids as "platformIds", platform_at as "platformAt",
        received_at as "receivedAt", edited_at as "editedAt", deleted_at as "deletedAt", raw
      from ${citizenMessages([citizenId])} m order by id`),
    messageEdits: await all(sql`select e.message_id as "messageId", e.previous_text as "previousText",
        e.new_text as "newText", e.edited_at as "editedAt"
      from message_edit e join ${citizenMessages([citizenId])} m on m.id = e.message_id order by e.id`),
    cases: await all(sql`select id, number, status, channel, text, category, district, department, priority,
        created_at as "createdAt", updated_at as "updatedAt", deadline_at as "deadlineAt", merged_into as "mergedInto"
      from "case" where citizen_id = ${citizenId} order by id`),
    answers: await all(sql`select case_id as "caseId", kind, text, state, created_at as "createdAt",
        delivered_at as "deliveredAt" from answer where case_id in (${cases}) order by id`),
    polls: await all(sql`select case_id as "caseId", state, solved, rating, comment, asked_at as "askedAt",
        answered_at as "answeredAt" from poll where case_id in (${cases}) order by id`),
    externalAppeals: await all(sql`select source, external_id as "externalId", case_id as "caseId",
        received_at as "receivedAt", answer_text as "answerText", answered_at as "answeredAt", rating
      from external_appeal where case_id in (${cases}) order by case_id`),
    subscription: subscription ?? null,
    subscriptionEvents: await all(sql`select channel, action, districts, topics, via, broadcast_id as "broadcastId", at
      from subscription_event where citizen_id = ${citizenId} order by id`),
    broadcasts: await all(sql`select r.broadcast_id as "broadcastId", b.title, r.channel, r.chat_id as "chatId",
        r.status, r.sent_at as "sentAt"
      from broadcast_recipient r join broadcast b on b.id = r.broadcast_id
     where r.citizen_id = ${citizenId} order by r.broadcast_id`),
    pageComments: await all(sql`select pc.page_id as "pageId", p.url as "pageUrl", pc.comment_id as "commentId",
        pc.author_id as "authorId", pc.text, pc.url, pc.created_at as "createdAt", pc.case_id as "caseId"
      from page_comment pc join official_page p on p.id = pc.page_id
      join citizen c on c.channel = p.platform and c.external_id = pc.author_id
     where c.id = ${citizenId} order by pc.created_at`),
    followUpChoices: await all(sql`select message_id as "messageId", case_id as "caseId", state, decided_by as "decidedBy",
        asked_at as "askedAt", decided_at as "decidedAt" from follow_up_choice where citizen_id = ${citizenId}`),
    intentQuestions: await all(sql`select message_id as "messageId", state, decided_by as "decidedBy",
        asked_at as "askedAt", decided_at as "decidedAt" from intent_question where citizen_id = ${citizenId}`),
    audit: await all(sql`select entity, entity_id as "entityId", actor, action, details, created_at as "createdAt"
      from audit_log
     where (entity = 'case' and entity_id in (select id::text from "case" where citizen_id = ${citizenId}))
        or (entity = 'citizen' and entity_id in (${String(citizenId)},
              ${`${String(citizen.channel)}:${String(citizen.externalId)}`}))
     order by id`),
  };
}

/** Citizens by their messenger and platform id, or by a case number: ids for the export and forget routes. */
export async function findCitizens(
  db: Executor,
  by: { channel: string; externalId: string } | { caseNumber: string },
): Promise<{ id: number; channel: string; anonymisedAt: Date | null }[]> {
  const where =
    'caseNumber' in by
      ? sql`id in (select citizen_id from "case" where number = ${by.caseNumber})`
      : sql`channel = ${by.channel} and external_id = ${by.externalId}`;
  const rows = await sql<{ id: number; channel: string; anonymisedAt: Date | null }>`
    select id, channel, anonymised_at as "anonymisedAt" from citizen where ${where} order by id`.execute(db);
  return rows.rows;
}
