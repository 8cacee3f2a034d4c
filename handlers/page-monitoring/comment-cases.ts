import { DAY_MS } from '../../lib/deadlines/index.js';
import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import { attachMessageToCase, insertCase, nextCaseNumber } from '../../models/case-repository.js';
import { inTransaction, type Tx } from '../../models/database.js';
import { recordSourceAnswer, stepCaseStatus } from '../../models/external-appeal-repository.js';
import {
  commenterId,
  type DueComment,
  firstReadAt,
  insertCommentMessage,
  lockUnjudgedComment,
  type MonitoredPage,
  pageSourceId,
  repliedOpenCases,
  settleCaseComment,
  settleComment,
  storedMessage,
  unalertedCaseComments,
  unjudgedComments,
} from '../../models/page-monitoring-repository.js';
import { answerSettingsFor, checkAnswer } from '../answers/index.js';
import type { HandlerDeps } from '../deps.js';
import { lifecyclePath } from '../ingest/index.js';
import { yearIn } from '../intake/open-case.js';
import { structureCase } from '../structuring/index.js';
import type { StructuringDeps } from '../structuring/structure-case.js';
import { triageUnstructured } from '../structuring/triage-unstructured.js';
import { isOverdue } from './figures.js';
import type { CommentSource } from './ports.js';
import { pageSettings } from './settings.js';

/**
 * Unanswered comments become cases (docs/architecture/official-pages.md, «Комментарии без ответа»): a
 * citizen's comment with no reply from the page within `pages.replyTermHours` working hours that the
 * structuring pipeline judges a problem becomes a case of the page's owner department, with the
 * comment's link; a reply the page posts later is recorded on the case as its answer «на странице».
 */

export type CommentCaseDeps = Pick<HandlerDeps, 'db' | 'jobs' | 'calendar' | 'domain' | 'log'> & {
  /** Category, district, urgency, duplicates; without it a comment's case goes to the operators' triage. */
  structuring?: StructuringDeps;
};

/** What the page's comments became this round. */
export interface JudgedComments {
  /** Cases opened for comments (and intake's cases of comments linked to them). */
  cases: { caseId: number; commentId: string }[];
  notProblems: number;
  /** Comments intake already made cases of that went past the term without the page's reply (alerted, once). */
  overdueWithCase: { caseId: number; commentId: string }[];
  /** Comments whose stored message intake has not decided yet: judged next round. */
  waiting: number;
  /** Comments whose judging failed (logged; judged again next round). */
  failed: number;
}

/** The place a page's comments are stored as messages, and each comment's key there. */
function messageKey(page: MonitoredPage, source: CommentSource, c: { commentId: string; postId: string }) {
  return page.platform === 'vk'
    ? {
        channel: 'vk',
        sourceExternalId: source.sourceExternalId,
        externalId: `wall:${source.sourceExternalId}_${c.postId}:${c.commentId}`,
      }
    : { channel: source.channel, sourceExternalId: source.sourceExternalId, externalId: c.commentId };
}

/**
 * Judges the page's comments that went unanswered past the term: each in its own transaction, locked, so a
 * comment becomes at most one case however many rounds and refreshes run. A comment already stored as a
 * message (the city's own VK community, a Telegram discussion group) keeps what intake decided for it.
 */
export async function judgeOverdueComments(
  deps: CommentCaseDeps,
  page: MonitoredPage,
  source: CommentSource,
  now: Date,
): Promise<JudgedComments> {
  const settings = pageSettings(deps.domain);
  const term = settings.replyTermHours;
  const result: JudgedComments = { cases: [], overdueWithCase: [], notProblems: 0, waiting: 0, failed: 0 };
  // The page's backlog — what was written before its first readable round — is counted, never made cases.
  const madeAfter = (await firstReadAt(deps.db, page.id)) ?? now;
  const candidates = await unjudgedComments(deps.db, page.id, {
    before: new Date(now.getTime() - term * 3_600_000),
    since: new Date(now.getTime() - settings.windowDays * DAY_MS),
    madeAfter,
  });
  for (const comment of candidates) {
    if (!isOverdue(deps.calendar, comment.createdAt, now, term)) continue;
    let outcome: Awaited<ReturnType<typeof judgeOne>>;
    try {
      outcome = await inTransaction(deps.db, (tx) => judgeOne(deps, tx, page, source, comment, now));
    } catch (error) {
      // One comment's failure is not the page's: its transaction rolled back, it is judged again next round,
      // and the other comments go on. Logged without personal data (no text, no author, no error message).
      deps.log.error(
        { pageId: page.id, error: (error as Error)?.name ?? 'Error' },
        'official page: a comment could not be judged',
      );
      result.failed += 1;
      continue;
    }
    if (outcome === 'waiting') result.waiting += 1;
    else if (outcome === 'not_problem') result.notProblems += 1;
    else if (outcome !== 'judged_meanwhile') result.cases.push({ caseId: outcome, commentId: comment.commentId });
  }
  // A comment intake already made a case of (a discussion group, the city's own community) is not judged, but
  // its going unanswered past the term is alerted all the same — once.
  const window = {
    before: new Date(now.getTime() - term * 3_600_000),
    since: new Date(now.getTime() - settings.windowDays * DAY_MS),
    madeAfter,
  };
  for (const comment of await unalertedCaseComments(deps.db, page.id, window)) {
    if (!isOverdue(deps.calendar, comment.createdAt, now, term)) continue;
    if (await settleCaseComment(deps.db, page.id, comment.commentId, now))
      result.overdueWithCase.push({ caseId: comment.caseId, commentId: comment.commentId });
  }
  return result;
}

async function judgeOne(
  deps: CommentCaseDeps,
  tx: Tx,
  page: MonitoredPage,
  source: CommentSource,
  comment: DueComment,
  now: Date,
): Promise<number | 'not_problem' | 'waiting' | 'judged_meanwhile'> {
  if (!(await lockUnjudgedComment(tx, page.id, comment.commentId))) return 'judged_meanwhile';
  const key = messageKey(page, source, comment);
  const stored = await storedMessage(tx, key);
  if (stored) {
    if (stored.processedAt === null) return 'waiting';
    await settleComment(tx, page.id, comment.commentId, stored.caseId, now);
    return stored.caseId ?? 'not_problem';
  }
  // VK and MAX comments are read from the platform; a Telegram comment always comes from a stored message.
  if (page.platform === 'telegram') {
    await settleComment(tx, page.id, comment.commentId, null, now);
    return 'not_problem';
  }
  const assessment = deps.structuring?.structurer.assess(comment.text, comment.createdAt, null) ?? null;
  if (assessment?.notProblem) {
    await settleComment(tx, page.id, comment.commentId, null, now);
    return 'not_problem';
  }

  const at = comment.createdAt;
  const sourceId = await pageSourceId(tx, { channel: key.channel, externalId: key.sourceExternalId, title: page.title }, now);
  const citizenId = await commenterId(tx, key.channel, comment.authorId, now);
  const messageId = await insertCommentMessage(
    tx,
    {
      channel: key.channel,
      sourceId,
      externalId: key.externalId,
      citizenId,
      text: comment.text,
      permalink: comment.url,
      postId: comment.postId,
      platformIds:
        page.platform === 'max'
          ? {
              // `channel_id`, not `chat_id`: the answer to a channel's comment is never sent (models/answer-target.ts).
              channel_id: Number(key.sourceExternalId),
              post_id: comment.postId,
              message_id: comment.commentId,
              user_id: Number(comment.authorId),
            }
          : {
              // `page_owner_id`, not `owner_id`: the answer is recorded, never posted on another community's wall.
              page_owner_id: Number(key.sourceExternalId),
              post_id: Number(comment.postId),
              comment_id: Number(comment.commentId),
              from_id: Number(comment.authorId),
            },
      platformAt: at,
      pageId: page.id,
    },
    now,
  );
  const number = await nextCaseNumber(tx, yearIn(at, deps.domain.city.timezone));
  const caseId = await insertCase(tx, {
    number,
    status: 'new',
    channel: key.channel,
    sourceId,
    citizenId,
    text: comment.text,
    triageReason: null,
    at,
  });
  await attachMessageToCase(tx, messageId, caseId, now);
  await appendAudit(tx, {
    actor: { type: 'system' },
    action: 'case_opened',
    entity: 'case',
    entityId: caseId,
    details: { number, messageId, pageId: page.id, via: 'page_comment_unanswered', url: comment.url },
  });
  if (deps.structuring && assessment) {
    await structureCase({ ...deps.structuring, log: deps.log, jobs: deps.jobs }, tx, {
      caseId,
      text: comment.text,
      channel: key.channel,
      assessment,
      at,
      // The page's owner answers for what is written under its page.
      override: { route: { department: page.ownerDepartment, rule: `page: ${page.id}` } },
    });
  } else await triageUnstructured(tx, caseId, now);
  await settleComment(tx, page.id, comment.commentId, caseId, now);
  return caseId;
}

/** The comment text of the audit and the answer: what the page's reply was, in one place for review. */
export const ANSWERED_ON_PAGE = 'ответ на странице';

/**
 * Records the page's replies to comments that have a case: the reply is the case's final answer
 * (`recorded`, never sent: the citizen read it on the page) and the case moves to «answered» step by step,
 * every step audited «ответ на странице» — as an answer given in another system is recorded (handlers/ingest).
 */
export async function recordPageReplies(
  deps: Pick<CommentCaseDeps, 'db' | 'domain'>,
  page: MonitoredPage,
  replyTexts: ReadonlyMap<string, string>,
  now: Date,
): Promise<number[]> {
  return inTransaction(deps.db, async (tx) => {
    const answered: number[] = [];
    const actor: Actor = { type: 'platform', channel: page.platform };
    const rules = answerSettingsFor(deps.domain).rules;
    for (const r of await repliedOpenCases(tx, page.id)) {
      const text = replyTexts.get(r.commentId) || ANSWERED_ON_PAGE;
      const quality = checkAnswer(text, rules);
      const answerId = await recordSourceAnswer(
        tx,
        { caseId: r.caseId, text, author: actor, quality: { ...quality, source: 'page', pageId: page.id } },
        r.repliedAt,
      );
      await appendAudit(tx, {
        actor,
        action: 'answer_recorded',
        entity: 'case',
        entityId: r.caseId,
        details: { answerId, answeredAt: r.repliedAt.toISOString(), pageId: page.id, comment: ANSWERED_ON_PAGE },
      });
      let status = r.caseStatus;
      for (const to of lifecyclePath(status, 'answered')) {
        await stepCaseStatus(tx, r.caseId, to, now);
        await appendAudit(tx, {
          actor,
          action: 'status_changed',
          entity: 'case',
          entityId: r.caseId,
          details: { from: status, to, comment: ANSWERED_ON_PAGE },
        });
        status = to;
      }
      answered.push(r.caseId);
    }
    return answered;
  });
}
