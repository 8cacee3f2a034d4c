import { sql } from 'kysely';
import type { Executor, Tx } from './database.js';
import type { PagePlatform } from './schema.js';

/**
 * Monitoring of official pages (migration 0034, docs/architecture/official-pages.md): the SQL of
 * handlers/page-monitoring — the pages a round reads, what it writes (`page_snapshot`, `page_post`,
 * `page_comment`, the page's readable mark), the comments that become cases, the posts and comments of
 * Telegram and MAX channels as the inbox stored them, and the latest scores for the department rating.
 * The registry's own SQL is models/official-page-repository.ts; the two agree by the tables.
 */

/** Rows per INSERT (9 columns each: far below PostgreSQL's 65,535 parameters). */
const CHUNK = 1_000;

export interface MonitoredPage {
  id: number;
  platform: PagePlatform;
  externalId: string;
  url: string;
  title: string | null;
  ownerDepartment: string;
  status: string;
  readable: boolean | null;
  /** When a round first found the page deleted or blocked on the platform; null while it exists. */
  goneAt: Date | null;
  /** The registry's responsible person (a set-up item): an official of the platform and/or a name. */
  responsibleOfficialId: number | null;
  responsibleName: string | null;
}

const monitoredColumns = [
  'id',
  'platform',
  'external_id as externalId',
  'url',
  'title',
  'owner_department as ownerDepartment',
  'status',
  'readable',
  'gone_at as goneAt',
  'responsible_official_id as responsibleOfficialId',
  'responsible_name as responsibleName',
] as const;

/** The active pages, by id (a round reads them all). */
export async function activePages(db: Executor): Promise<MonitoredPage[]> {
  return db.selectFrom('official_page').select(monitoredColumns).where('status', '=', 'active').orderBy('id').execute();
}

export async function monitoredPage(db: Executor, id: number): Promise<MonitoredPage | undefined> {
  return db.selectFrom('official_page').select(monitoredColumns).where('id', '=', id).executeTakeFirst();
}

/** Locks the page for one round's writes (a round and a refresh of the same page wait for each other). */
export async function lockMonitoredPage(tx: Tx, id: number): Promise<MonitoredPage | undefined> {
  return tx.selectFrom('official_page').select(monitoredColumns).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Records what the round concluded: readable or not (and why), gone (kept from the first round that saw it), checked when. */
export async function markPageChecked(
  tx: Tx,
  id: number,
  state: { readable: boolean; reason: string | null; gone: boolean; title: string | null },
  at: Date,
): Promise<void> {
  await tx
    .updateTable('official_page')
    .set((eb) => ({
      readable: state.readable,
      unreadable_reason: state.reason,
      last_checked_at: at,
      gone_at: state.gone ? eb.fn.coalesce('gone_at', sql<Date>`${at}::timestamptz`) : null,
      // The registry's own title wins; the platform's fills an empty one.
      title: eb.fn.coalesce('title', sql<string | null>`${state.title}::text`),
    }))
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------

export async function insertPageSnapshot(
  tx: Tx,
  s: { pageId: number; takenAt: Date; readable: boolean; reason: string | null; figures: object; score: number | null },
): Promise<void> {
  await tx
    .insertInto('page_snapshot')
    .values({
      page_id: s.pageId,
      taken_at: s.takenAt,
      readable: s.readable,
      reason: s.reason,
      figures: JSON.stringify(s.figures),
      score: s.score === null ? null : s.score.toFixed(2),
    })
    .execute();
}

/**
 * When the page was first read with its comments measured (its earliest readable snapshot whose figures do
 * not say `commentsMeasured: false`): comments made before it are its backlog,
 * counted in the figures but never opened as cases. Null before the first readable round.
 */
export async function firstReadAt(db: Executor, pageId: number): Promise<Date | null> {
  const row = await db
    .selectFrom('page_snapshot')
    .select((eb) => eb.fn.min('taken_at').as('at'))
    .where('page_id', '=', pageId)
    .where('readable', '=', true)
    // The first round that measured its comments: a page monitored before its comments were read (a MAX
    // channel before comments were read from the platform, figures' commentsMeasured false) does not make its
    // old comments cases. A snapshot without the key (stored before it existed) counts as measured.
    .where(sql<boolean>`(figures->>'commentsMeasured')::boolean is not false`)
    .executeTakeFirst();
  return (row?.at as Date | null | undefined) ?? null;
}

/** The page's latest readable snapshot's figures (what the alerts compare with); undefined before the first. */
export async function lastReadableFigures(db: Executor, pageId: number): Promise<Record<string, unknown> | undefined> {
  const row = await db
    .selectFrom('page_snapshot')
    .select('figures')
    .where('page_id', '=', pageId)
    .where('readable', '=', true)
    .orderBy('taken_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.figures;
}

/**
 * Per page, its latest snapshot taken in [from, to) with the owner department: the digital component of
 * the department rating reads the scores of the period (an unreadable page's snapshot has none).
 */
export async function pageScoresIn(
  db: Executor,
  period: { from: Date; to: Date },
): Promise<{ pageId: number; department: string; readable: boolean; score: number | null }[]> {
  const rows = await sql<{ page_id: number; department: string; readable: boolean; score: string | null }>`
    select distinct on (s.page_id) s.page_id, p.owner_department as department, s.readable, s.score
      from page_snapshot s join official_page p on p.id = s.page_id
     where s.taken_at >= ${period.from} and s.taken_at < ${period.to}
       -- A planned or closed page's snapshots (a refresh) are not the department's rating.
       and p.status = 'active'
     order by s.page_id, s.taken_at desc, s.id desc`.execute(db);
  return rows.rows.map((r) => ({
    pageId: r.page_id,
    department: r.department,
    readable: r.readable,
    score: r.score === null ? null : Number(r.score),
  }));
}

/** Per page, its latest snapshot whenever taken, with the owner department and the page's status. */
export async function latestPageScores(
  db: Executor,
): Promise<{ pageId: number; department: string; status: string; readable: boolean; score: number | null }[]> {
  const rows = await sql<{ page_id: number; department: string; status: string; readable: boolean; score: string | null }>`
    select distinct on (s.page_id) s.page_id, p.owner_department as department, p.status, s.readable, s.score
      from page_snapshot s join official_page p on p.id = s.page_id
     order by s.page_id, s.taken_at desc, s.id desc`.execute(db);
  return rows.rows.map((r) => ({
    pageId: r.page_id,
    department: r.department,
    status: r.status,
    readable: r.readable,
    score: r.score === null ? null : Number(r.score),
  }));
}

// ---------------------------------------------------------------------------------------------
// Posts and comments
// ---------------------------------------------------------------------------------------------

/** Per page, each post's comment count as last read in full (the VK reader skips an unchanged post). */
export async function knownCommentCounts(
  db: Executor,
  pageIds: readonly number[],
  since: Date,
): Promise<Map<number, Map<string, number>>> {
  const known = new Map<number, Map<string, number>>();
  if (pageIds.length === 0) return known;
  const rows = await db
    .selectFrom('page_post')
    .select(['page_id', 'post_id', 'comments'])
    .where('page_id', 'in', [...pageIds])
    .where('posted_at', '>=', since)
    .where('comments', 'is not', null)
    .execute();
  for (const r of rows) {
    let page = known.get(r.page_id);
    if (!page) {
      page = new Map();
      known.set(r.page_id, page);
    }
    page.set(r.post_id, r.comments as number);
  }
  return known;
}

export interface PostRow {
  postId: string;
  postedAt: Date;
  views: number | null;
  likes: number | null;
  reposts: number | null;
  /** null: not read this time (the stored count stays: it is the count of the last full read). */
  comments: number | null;
  url: string | null;
}

export async function upsertPagePosts(tx: Tx, pageId: number, posts: readonly PostRow[], at: Date): Promise<void> {
  for (let i = 0; i < posts.length; i += CHUNK) {
    await tx
      .insertInto('page_post')
      .values(
        posts.slice(i, i + CHUNK).map((p) => ({
          page_id: pageId,
          post_id: p.postId,
          posted_at: p.postedAt,
          views: p.views,
          likes: p.likes,
          reposts: p.reposts,
          comments: p.comments,
          url: p.url,
          updated_at: at,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['page_id', 'post_id']).doUpdateSet((eb) => ({
          posted_at: eb.ref('excluded.posted_at'),
          views: eb.fn.coalesce('excluded.views', 'page_post.views'),
          likes: eb.fn.coalesce('excluded.likes', 'page_post.likes'),
          reposts: eb.fn.coalesce('excluded.reposts', 'page_post.reposts'),
          comments: eb.fn.coalesce('excluded.comments', 'page_post.comments'),
          url: eb.fn.coalesce('excluded.url', 'page_post.url'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export interface CommentRow {
  commentId: string;
  postId: string;
  authorId: string;
  text: string;
  createdAt: Date;
  url: string | null;
  repliedAt: Date | null;
  replyId: string | null;
}

/** Stores citizens' comments; a reply once found stays (the first one counts, whatever is read later). */
export async function upsertPageComments(tx: Tx, pageId: number, comments: readonly CommentRow[]): Promise<void> {
  for (let i = 0; i < comments.length; i += CHUNK) {
    await tx
      .insertInto('page_comment')
      .values(
        comments.slice(i, i + CHUNK).map((c) => ({
          page_id: pageId,
          comment_id: c.commentId,
          post_id: c.postId,
          author_id: c.authorId,
          text: c.text,
          created_at: c.createdAt,
          url: c.url,
          replied_at: c.repliedAt,
          reply_id: c.replyId,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['page_id', 'comment_id']).doUpdateSet((eb) => ({
          text: eb.ref('excluded.text'),
          url: eb.fn.coalesce('excluded.url', 'page_comment.url'),
          replied_at: eb.fn.coalesce('page_comment.replied_at', 'excluded.replied_at'),
          reply_id: eb.fn.coalesce('page_comment.reply_id', 'excluded.reply_id'),
        })),
      )
      .execute();
  }
}

/** What the figures of a round read back: the window's posts, the latest post, the window's comments. */
export async function windowOfPage(
  db: Executor,
  pageId: number,
  since: Date,
): Promise<{
  posts: { views: number | null; likes: number | null; reposts: number | null; comments: number | null }[];
  lastPostAt: Date | null;
  comments: { createdAt: Date; repliedAt: Date | null }[];
}> {
  const [posts, last, comments] = await Promise.all([
    db
      .selectFrom('page_post')
      .select(['views', 'likes', 'reposts', 'comments'])
      .where('page_id', '=', pageId)
      .where('posted_at', '>=', since)
      .execute(),
    db
      .selectFrom('page_post')
      .select((eb) => eb.fn.max('posted_at').as('at'))
      .where('page_id', '=', pageId)
      .executeTakeFirst(),
    // Only comments under the window's posts: a post older than the window is not read again, so a reply
    // to its comments would never be seen (they would stay «overdue» to the end of the window).
    db
      .selectFrom('page_comment as pc')
      .innerJoin('page_post as pp', (j) => j.onRef('pp.page_id', '=', 'pc.page_id').onRef('pp.post_id', '=', 'pc.post_id'))
      .select(['pc.created_at as createdAt', 'pc.replied_at as repliedAt'])
      .where('pc.page_id', '=', pageId)
      .where('pc.created_at', '>=', since)
      .where('pp.posted_at', '>=', since)
      .execute(),
  ]);
  return { posts, lastPostAt: (last?.at as Date | null | undefined) ?? null, comments };
}

// ---------------------------------------------------------------------------------------------
// Comments that become cases
// ---------------------------------------------------------------------------------------------

export interface DueComment {
  commentId: string;
  postId: string;
  authorId: string;
  text: string;
  createdAt: Date;
  url: string | null;
}

/**
 * Unanswered comments nobody judged yet, made before `before` (the caller checks the term in working hours),
 * under posts of the window (from `since`): a post older than that is not read again, so whether its
 * comments were answered is no longer known and they are not judged. Only comments made from `madeAfter`
 * on (the page's first readable round): the backlog a newly registered page had is not turned into cases.
 */
export async function unjudgedComments(db: Executor, pageId: number, window: CommentWindow): Promise<DueComment[]> {
  return dueComments(db, pageId, window)
    .select(['pc.post_id as postId', 'pc.author_id as authorId', 'pc.text', 'pc.url'])
    .where('pc.case_id', 'is', null)
    .execute();
}

/**
 * Comments whose case intake opened (a Telegram discussion group, the city's own VK community) still without
 * the page's reply and not yet alerted: the same window as `unjudgedComments`, the case instead of none.
 */
export async function unalertedCaseComments(
  db: Executor,
  pageId: number,
  window: CommentWindow,
): Promise<{ commentId: string; caseId: number; createdAt: Date }[]> {
  const rows = await dueComments(db, pageId, window).select('pc.case_id as caseId').where('pc.case_id', 'is not', null).execute();
  return rows.map((r) => ({ commentId: r.commentId, caseId: r.caseId as number, createdAt: r.createdAt }));
}

type CommentWindow = { before: Date; since: Date; madeAfter: Date };

/** The page's comments past `before` with no reply and not yet assessed, under the window's posts, oldest first. */
function dueComments(db: Executor, pageId: number, window: CommentWindow) {
  return db
    .selectFrom('page_comment as pc')
    .innerJoin('page_post as pp', (j) => j.onRef('pp.page_id', '=', 'pc.page_id').onRef('pp.post_id', '=', 'pc.post_id'))
    .select(['pc.comment_id as commentId', 'pc.created_at as createdAt'])
    .where('pc.page_id', '=', pageId)
    .where('pc.replied_at', 'is', null)
    .where('pc.assessed_at', 'is', null)
    .where('pc.created_at', '<=', window.before)
    .where('pc.created_at', '>=', window.madeAfter)
    .where('pp.posted_at', '>=', window.since)
    .orderBy('pc.created_at');
}

/** Marks a comment with intake's case as past its term (alerted once); false when another round did it first. */
export async function settleCaseComment(db: Executor, pageId: number, commentId: string, at: Date): Promise<boolean> {
  const done = await db
    .updateTable('page_comment')
    .set({ assessed_at: at })
    .where('page_id', '=', pageId)
    .where('comment_id', '=', commentId)
    .where('assessed_at', 'is', null)
    .where('replied_at', 'is', null)
    .returning('comment_id')
    .executeTakeFirst();
  return done !== undefined;
}

/** Locks one comment for judging; undefined when it was judged meanwhile (or replied to, or has a case). */
export async function lockUnjudgedComment(tx: Tx, pageId: number, commentId: string): Promise<{ commentId: string } | undefined> {
  return tx
    .selectFrom('page_comment')
    .select('comment_id as commentId')
    .where('page_id', '=', pageId)
    .where('comment_id', '=', commentId)
    .where('replied_at', 'is', null)
    .where('assessed_at', 'is', null)
    .where('case_id', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** The comment was judged: the case it became (null: not a problem, or its message opened none). */
export async function settleComment(tx: Tx, pageId: number, commentId: string, caseId: number | null, at: Date): Promise<void> {
  await tx
    .updateTable('page_comment')
    .set({ assessed_at: at, case_id: caseId })
    .where('page_id', '=', pageId)
    .where('comment_id', '=', commentId)
    .execute();
}

/** The message a comment is stored as already (the city's own VK community, a Telegram discussion group), if any. */
export async function storedMessage(
  db: Executor,
  key: { channel: string; sourceExternalId: string; externalId: string },
): Promise<{ id: number; caseId: number | null; processedAt: Date | null } | undefined> {
  return db
    .selectFrom('message as m')
    .innerJoin('source as s', 's.id', 'm.source_id')
    .select(['m.id', 'm.case_id as caseId', 'm.processed_at as processedAt'])
    .where('s.channel', '=', key.channel)
    .where('s.external_id', '=', key.sourceExternalId)
    .where('m.external_id', '=', key.externalId)
    .executeTakeFirst();
}

/**
 * The source of a page's comments (kind `official_community`: the administration's own), active at once;
 * an existing source of the same id (the city's community, a polled public one) is reused as it is.
 */
export async function pageSourceId(
  tx: Tx,
  s: { channel: string; externalId: string; title: string | null },
  at: Date,
): Promise<number> {
  await tx
    .insertInto('source')
    .values({
      channel: s.channel,
      external_id: s.externalId,
      kind: 'official_community',
      title: s.title,
      official: true,
      status: 'active',
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['channel', 'external_id']).doNothing())
    .execute();
  const row = await tx
    .selectFrom('source')
    .select('id')
    .where('channel', '=', s.channel)
    .where('external_id', '=', s.externalId)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The commenter as a citizen of the channel (a public comment: no consent asked, as for any wall comment). */
export async function commenterId(tx: Tx, channel: string, externalId: string, at: Date): Promise<number> {
  await tx
    .insertInto('citizen')
    .values({ channel, external_id: externalId, created_at: at, updated_at: at })
    .onConflict((oc) => oc.columns(['channel', 'external_id']).doNothing())
    .execute();
  const row = await tx
    .selectFrom('citizen')
    .select('id')
    .where('channel', '=', channel)
    .where('external_id', '=', externalId)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The comment as a message of its channel, decided at once (its case is opened in the same transaction). */
export async function insertCommentMessage(
  tx: Tx,
  m: {
    channel: string;
    sourceId: number;
    externalId: string;
    citizenId: number;
    text: string;
    permalink: string | null;
    postId: string;
    platformIds: Record<string, string | number>;
    platformAt: Date;
    pageId: number;
  },
  at: Date,
): Promise<number> {
  const row = await tx
    .insertInto('message')
    .values({
      channel: m.channel,
      source_id: m.sourceId,
      external_id: m.externalId,
      kind: 'comment',
      platform_ids: JSON.stringify(m.platformIds),
      citizen_id: m.citizenId,
      text: m.text,
      attachments: '[]',
      geo_lat: null,
      geo_lon: null,
      permalink: m.permalink,
      thread: JSON.stringify({ postId: m.postId }),
      platform_at: m.platformAt,
      received_at: at,
      raw: JSON.stringify({ via: 'page-monitoring', pageId: m.pageId }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Marks a stored message decided with no case (the comment is not a problem). */
export async function markMessageNotProblem(tx: Tx, messageId: number, reason: string, at: Date): Promise<void> {
  await tx
    .updateTable('message')
    .set({ processed_at: at, case_id: null, not_problem_reason: reason })
    .where('id', '=', messageId)
    .execute();
}

/**
 * The cases of a page's comments the inbox stored as messages of one source (the city's own VK community:
 * `wall:<owner>_<post>:<comment>`), by the message's external id; only messages with a case.
 */
export async function storedMessageCases(
  db: Executor,
  source: { channel: string; sourceExternalId: string },
  externalIds: readonly string[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (let i = 0; i < externalIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('message as m')
      .innerJoin('source as s', 's.id', 'm.source_id')
      .select(['m.external_id as externalId', 'm.case_id as caseId'])
      .where('s.channel', '=', source.channel)
      .where('s.external_id', '=', source.sourceExternalId)
      .where('m.external_id', 'in', externalIds.slice(i, i + CHUNK))
      .where('m.case_id', 'is not', null)
      .execute();
    for (const r of rows) if (r.caseId !== null) found.set(r.externalId, r.caseId);
  }
  return found;
}

/** Links a comment to the case its stored message has (Telegram's intake, the city's own VK community). */
export async function linkCommentCase(tx: Tx, pageId: number, commentId: string, caseId: number): Promise<void> {
  await tx
    .updateTable('page_comment')
    .set({ case_id: caseId })
    .where('page_id', '=', pageId)
    .where('comment_id', '=', commentId)
    .where('case_id', 'is', null)
    .execute();
}

/**
 * The page's comments with a case and a reply from the page whose case has no final answer yet (and is not
 * answered or closed): the reply is to be recorded on the case. The case rows are locked.
 */
export async function repliedOpenCases(
  tx: Tx,
  pageId: number,
): Promise<{ commentId: string; caseId: number; caseStatus: string; repliedAt: Date; replyId: string | null }[]> {
  const rows = await tx
    .selectFrom('page_comment as pc')
    .innerJoin('case as c', 'c.id', 'pc.case_id')
    .select(['pc.comment_id as commentId', 'c.id as caseId', 'c.status as caseStatus', 'pc.replied_at', 'pc.reply_id as replyId'])
    .where('pc.page_id', '=', pageId)
    .where('pc.replied_at', 'is not', null)
    .where('c.status', 'not in', ['answered', 'closed'])
    .where('c.merged_into', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('answer as a')
            .select('a.id')
            .whereRef('a.case_id', '=', 'c.id')
            .where('a.kind', '=', 'final')
            .where('a.state', 'in', ['queued', 'held', 'sent', 'recorded']),
        ),
      ),
    )
    .forUpdate('c')
    .execute();
  return rows.map((r) => ({ ...r, repliedAt: r.replied_at as Date }));
}

// ---------------------------------------------------------------------------------------------
// Telegram and MAX channels: what the inbox stored
// ---------------------------------------------------------------------------------------------

/** The status of a chat's source (an operator approves channels and groups before their messages are kept). */
export async function sourceStatus(db: Executor, channel: string, externalId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('source')
    .select('status')
    .where('channel', '=', channel)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row?.status;
}

/** A stored message of a channel or its discussion group, with what the figures need from its raw update. */
export interface RecordedMessage {
  externalId: string;
  kind: string;
  text: string;
  at: Date;
  /** When intake stored it: the first one tells since when the channel is recorded. */
  receivedAt: Date;
  permalink: string | null;
  /** The citizen's platform id; null for the channel's own messages and bots. */
  authorId: string | null;
  caseId: number | null;
  processedAt: Date | null;
  /** The thread (Telegram: the discussion group's copy of the post) and the message it replies to. */
  threadId: string | null;
  replyToId: string | null;
  /** Telegram: the chat a message was sent on behalf of (the channel, or the group's anonymous admin). */
  senderChatId: string | null;
  /** Telegram: the channel post an automatic forward into the discussion group copies. */
  forwardedPostId: string | null;
  /** MAX: the post's views as its update carried them. */
  views: number | null;
}

/** Messages stored for a chat (its source) from `since` on, oldest first; deleted ones left out. */
export async function recordedMessages(
  db: Executor,
  chat: { channel: string; externalId: string },
  since: Date,
): Promise<RecordedMessage[]> {
  const rows = await sql<{
    external_id: string;
    kind: string;
    text: string;
    platform_at: Date;
    received_at: Date;
    permalink: string | null;
    author_id: string | null;
    case_id: number | null;
    processed_at: Date | null;
    thread_id: string | null;
    reply_to_id: string | null;
    sender_chat_id: string | null;
    forwarded_post_id: string | null;
    views: number | null;
  }>`
    select m.external_id, m.kind, m.text, m.platform_at, m.received_at, m.permalink, c.external_id as author_id,
           m.case_id, m.processed_at,
           m.platform_ids->>'thread_id' as thread_id,
           m.thread->>'commentId' as reply_to_id,
           coalesce(m.raw->'message', m.raw->'edited_message')->'sender_chat'->>'id' as sender_chat_id,
           coalesce(
             coalesce(m.raw->'message', m.raw->'edited_message')->'forward_origin'->>'message_id',
             coalesce(m.raw->'message', m.raw->'edited_message')->>'forward_from_message_id'
           ) as forwarded_post_id,
           (m.raw->'message'->'stat'->>'views')::int as views
      from message m
      join source s on s.id = m.source_id
      left join citizen c on c.id = m.citizen_id
     where s.channel = ${chat.channel} and s.external_id = ${chat.externalId}
       and m.platform_at >= ${since} and m.deleted_at is null
     order by m.platform_at, m.id`.execute(db);
  return rows.rows.map((r) => ({
    externalId: r.external_id,
    kind: r.kind,
    text: r.text,
    at: r.platform_at,
    receivedAt: r.received_at,
    permalink: r.permalink,
    authorId: r.author_id,
    caseId: r.case_id,
    processedAt: r.processed_at,
    threadId: r.thread_id,
    replyToId: r.reply_to_id,
    senderChatId: r.sender_chat_id,
    forwardedPostId: r.forwarded_post_id,
    views: r.views,
  }));
}

/** A channel's latest stored post, whenever it was (its last post for the freshness figure). */
export async function lastRecordedPost(
  db: Executor,
  chat: { channel: string; externalId: string },
): Promise<{ externalId: string; at: Date; permalink: string | null } | undefined> {
  return db
    .selectFrom('message as m')
    .innerJoin('source as s', 's.id', 'm.source_id')
    .select(['m.external_id as externalId', 'm.platform_at as at', 'm.permalink'])
    .where('s.channel', '=', chat.channel)
    .where('s.external_id', '=', chat.externalId)
    .where('m.kind', '=', 'channel_post')
    .where('m.deleted_at', 'is', null)
    .orderBy('m.platform_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Since when a chat's source is active: an operator's approval sets its `updated_at` (setSourceStatus is the
 * only update of a source), and a source created active has `updated_at` = `created_at`. The inbox drops a
 * chat's messages until then, so nothing before it can have been recorded. Null: no active source.
 */
export async function sourceActiveSince(db: Executor, channel: string, externalId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('source')
    .select(['status', 'created_at', 'updated_at'])
    .where('channel', '=', channel)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  if (row?.status !== 'active') return null;
  return row.updated_at.getTime() > row.created_at.getTime() ? row.updated_at : row.created_at;
}

/**
 * The platform accounts that speak for a page under their own names: the active people of its owner
 * department bound on the page's platform, and its responsible person. Their comments are the page's, not
 * a citizen's, and their reply to a citizen's comment is the page's reply.
 */
export async function pageVoiceAccounts(
  db: Executor,
  page: Pick<MonitoredPage, 'platform' | 'ownerDepartment' | 'responsibleOfficialId'>,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('official_account')
    .innerJoin('official', 'official.id', 'official_account.official_id')
    .select('official_account.user_id')
    .where('official_account.channel', '=', page.platform)
    .where('official.active', '=', true)
    .where((eb) =>
      eb.or([
        eb('official.department', '=', page.ownerDepartment),
        ...(page.responsibleOfficialId !== null ? [eb('official.id', '=', page.responsibleOfficialId)] : []),
      ]),
    )
    .execute();
  return new Set(rows.map((r) => r.user_id));
}
