import { type RawBuilder, sql } from 'kysely';
import type { Tx } from './database.js';
import { type CitizenToAnonymise, citizenMessages } from './privacy-repository.js';

/**
 * The free texts that may carry personal data, loaded for masking (lib/privacy/mask.ts, in the handler)
 * and written back: of whole citizens (anonymisation) or of single cases (retention's case pass,
 * docs/operations/personal-data.md#retention). Set-based over a batch: one query per table.
 */

/** A row's free text and what it belongs to: the citizen or the case of the batch (for the audit's counts). */
export interface TextRow<K = number> {
  key: K;
  owner: number;
  text: string;
}

/** external_appeal's primary key. */
export type AppealKey = { source: string; external_id: string };
/** page_comment's primary key. */
export type PageCommentKey = { page_id: number; comment_id: string };

/** The texts of cases: their own, their messages' and everything quoting them. */
export interface CaseTexts {
  cases: TextRow[];
  messages: TextRow[];
  editsBefore: TextRow[];
  editsAfter: TextRow[];
  answers: TextRow[];
  appealAnswers: TextRow<AppealKey>[];
  pollComments: TextRow[];
  training: TextRow[];
  problems: TextRow[];
  /** `text` is the JSON of the details. */
  alerts: TextRow[];
  /** `text` is the JSON of the details. */
  audit: TextRow[];
}

/** A citizen's texts: their cases', all their messages, the audit entries about them, their page comments. */
export interface CitizenTexts extends CaseTexts {
  pageComments: TextRow<PageCommentKey>[];
}

type Rows<T> = RawBuilder<T>;

/**
 * `cases` selects `id, owner` of the cases, `messages` selects `id, owner, text` of the messages (a
 * citizen's go by citizen, a case's by case: each side has its index).
 */
async function loadTexts(tx: Tx, cases: Rows<unknown>, messages: Rows<unknown>): Promise<CaseTexts> {
  const rows = async <K = number>(query: Rows<TextRow<K>>) => (await query.execute(tx)).rows;
  return {
    cases: await rows(sql`select c.id as key, k.owner, c.text from "case" c join (${cases}) k on k.id = c.id`),
    messages: await rows(sql`select m.id as key, m.owner, m.text from (${messages}) m`),
    editsBefore: await rows(sql`select e.id as key, m.owner, e.previous_text as text
      from message_edit e join (${messages}) m on m.id = e.message_id`),
    editsAfter: await rows(sql`select e.id as key, m.owner, e.new_text as text
      from message_edit e join (${messages}) m on m.id = e.message_id`),
    answers: await rows(sql`select a.id as key, k.owner, a.text from answer a join (${cases}) k on k.id = a.case_id`),
    appealAnswers: await rows<AppealKey>(sql`select json_build_object('source', x.source, 'external_id', x.external_id) as key,
        k.owner, x.answer_text as text
      from external_appeal x join (${cases}) k on k.id = x.case_id where x.answer_text is not null`),
    pollComments: await rows(sql`select p.id as key, k.owner, p.comment as text
      from poll p join (${cases}) k on k.id = p.case_id where p.comment is not null`),
    training: await rows(sql`select t.id as key, k.owner, t.text
      from training_example t join (${cases}) k on k.id = t.case_id`),
    problems: await rows(sql`select distinct on (p.id) p.id as key, k.owner, p.title as text
      from problem p join "case" c on c.problem_id = p.id join (${cases}) k on k.id = c.id`),
    alerts: await rows(sql`select a.id as key, k.owner, a.details::text as text
      from alert a join (${cases}) k on k.id = a.case_id`),
    audit: await rows(sql`select l.id as key, k.owner, l.details::text as text
      from audit_log l join (${cases}) k on l.entity = 'case' and l.entity_id = k.id::text`),
  };
}

/** Every free text of the citizens that may carry personal data. */
export async function loadCitizenTexts(tx: Tx, citizens: readonly CitizenToAnonymise[]): Promise<CitizenTexts> {
  const ids = citizens.map((c) => c.id);
  const texts = await loadTexts(
    tx,
    sql`select id, citizen_id as owner from "case" where citizen_id = any(${ids}::bigint[])`,
    sql`select m.id, m.citizen_id as owner, m.text from ${citizenMessages(ids)} m`,
  );
  const consentKeys = citizens.flatMap((c) => [String(c.id), `${c.channel}:${c.external_id}`]);
  const citizenAudit = await sql<TextRow>`
    select l.id as key, c.id as owner, l.details::text as text
      from audit_log l join citizen c on l.entity = 'citizen'
       and l.entity_id in (c.id::text, c.channel || ':' || c.external_id)
     where c.id = any(${ids}::bigint[]) and l.entity_id = any(${consentKeys}::text[])`.execute(tx);
  const comments = await sql<TextRow<PageCommentKey>>`
    select json_build_object('page_id', pc.page_id, 'comment_id', pc.comment_id) as key, c.id as owner, pc.text
      from page_comment pc
      join official_page p on p.id = pc.page_id
      join citizen c on c.channel = p.platform and c.external_id = pc.author_id
     where c.id = any(${ids}::bigint[])`.execute(tx);
  return { ...texts, audit: [...texts.audit, ...citizenAudit.rows], pageComments: comments.rows };
}

/** Every free text of the cases that may carry personal data (owner: the case). */
export async function loadCaseTexts(tx: Tx, caseIds: readonly number[]): Promise<CaseTexts> {
  const ids = [...caseIds];
  return loadTexts(
    tx,
    sql`select id, id as owner from "case" where id = any(${ids}::bigint[])`,
    sql`select id, case_id as owner, text from message where case_id = any(${ids}::bigint[])`,
  );
}

async function setById(tx: Tx, table: string, column: string, rows: readonly TextRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await sql`update ${sql.table(table)} t set ${sql.ref(column)} = v.text
      from unnest(${chunk.map((r) => r.key)}::bigint[], ${chunk.map((r) => r.text)}::text[]) as v(key, text)
     where t.id = v.key`.execute(tx);
  }
}

/**
 * Writes the masked texts back (only rows whose text changed are passed), the audit trail's through its
 * one controlled rewrite (migration 0037). Appeals and page comments by their own keys: never two rows'
 * texts swapped.
 */
export async function saveMaskedTexts(tx: Tx, masked: CaseTexts & Partial<Pick<CitizenTexts, 'pageComments'>>): Promise<void> {
  await setById(tx, 'case', 'text', masked.cases);
  await setById(tx, 'message', 'text', masked.messages);
  await setById(tx, 'message_edit', 'previous_text', masked.editsBefore);
  await setById(tx, 'message_edit', 'new_text', masked.editsAfter);
  await setById(tx, 'answer', 'text', masked.answers);
  await setById(tx, 'poll', 'comment', masked.pollComments);
  await setById(tx, 'training_example', 'text', masked.training);
  await setById(tx, 'problem', 'title', masked.problems);
  for (const a of masked.appealAnswers)
    await sql`update external_appeal set answer_text = ${a.text}
       where source = ${a.key.source} and external_id = ${a.key.external_id}`.execute(tx);
  for (const c of masked.pageComments ?? [])
    await sql`update page_comment set text = ${c.text}
       where page_id = ${c.key.page_id} and comment_id = ${c.key.comment_id}`.execute(tx);
  for (const a of masked.alerts) await sql`update alert set details = ${a.text}::jsonb where id = ${a.key}`.execute(tx);
  if (masked.audit.length > 0) {
    await sql`select set_config('mcu.privacy_scrub', 'on', true)`.execute(tx);
    for (const a of masked.audit) await sql`update audit_log set details = ${a.text}::jsonb where id = ${a.key}`.execute(tx);
  }
}
