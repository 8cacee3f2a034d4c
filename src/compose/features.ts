import type { CasesApi, PeopleApi } from '../../bots/telegram/context.js';
import { forceDraft, startAnswer, submitOfficialText } from '../../handlers/answers/official-answer.js';
import { STATS_MIN_CASES } from '../../handlers/cases/stats.js';
import { takeCase } from '../../handlers/cases/take-case.js';
import {
  assignCommand,
  decideExtensionAs,
  mergeCommand,
  reviewHeldAs,
  statsCommand,
} from '../../handlers/commands/case-commands.js';
import { categoryCommand, queue } from '../../handlers/commands/operator-commands.js';
import { caseCardFor } from '../../handlers/people/case-card.js';
import { redeemInvite } from '../../handlers/people/invite.js';
import { myCases } from '../../handlers/people/my-cases.js';
import { overdue } from '../../handlers/people/overdue.js';
import { staffKind } from '../../handlers/people/role-of.js';
import { answerPoll, type PollsApi, requestPollComment } from '../../handlers/polls/index.js';
import { actionDeps, answerDeps, pollDeps, queryDeps } from './deps.js';
import type { Runtime } from './runtime.js';

/** The poll buttons of both bots; deps are resolved per press (the queue may come up after the bots). */
export function pollsApi(rt: Runtime): PollsApi {
  return {
    answer: (input) => answerPoll(pollDeps(rt), input),
    requestComment: (input) => requestPollComment(pollDeps(rt), input),
  };
}

/** Staff commands and invitations in the Telegram bot. */
export function peopleApi(rt: Runtime): PeopleApi {
  const deps = () => queryDeps(rt);
  return {
    redeem: (token, telegramUserId) => redeemInvite(deps(), { token, telegramUserId }),
    myCases: (telegramUserId) => myCases(deps(), telegramUserId),
    overdue: (telegramUserId, all) => overdue(deps(), { telegramUserId, all }),
    caseCard: (telegramUserId, number) => caseCardFor(deps(), { telegramUserId, number }),
    queue: (telegramUserId) => queue({ ...deps(), domain: rt.domain }, telegramUserId),
    category: (telegramUserId, number, category) =>
      categoryCommand({ ...deps(), domain: rt.domain, actions: actionDeps(rt) }, { telegramUserId, number, category }),
    assign: (telegramUserId, number, target) => assignCommand(actionDeps(rt), { telegramUserId, number, target }),
    merge: (telegramUserId, number, into) => mergeCommand(actionDeps(rt), { telegramUserId, number, into }),
    stats: (telegramUserId, days) => statsCommand(deps(), { telegramUserId, days, minCases: STATS_MIN_CASES }),
    staffKind: (telegramUserId) => staffKind(deps(), telegramUserId),
    titles: (role, department) => ({
      role: (rt.domain.roles as Record<string, string>)[role] ?? role,
      department: rt.domain.departments.find((d) => d.id === department)?.name ?? department,
    }),
  };
}

/** An official's buttons on a case card: take it, answer, extend, decide on requests. */
export function casesApi(rt: Runtime): CasesApi {
  return {
    take: (caseId, telegramUserId) => takeCase(queryDeps(rt), { caseId, telegramUserId }),
    startAnswer: (caseId, kind, telegramUserId) => startAnswer(answerDeps(rt), { caseId, kind, telegramUserId }),
    submit: (telegramUserId, text, replyToText, photos) =>
      submitOfficialText(answerDeps(rt), { telegramUserId, text, replyToText, ...(photos ? { photos } : {}) }),
    force: (telegramUserId) => forceDraft(answerDeps(rt), { telegramUserId }),
    decideExtension: (requestId, approve, telegramUserId) =>
      decideExtensionAs(actionDeps(rt), { requestId, approve, telegramUserId }),
    reviewHeld: (answerId, approve, telegramUserId) => reviewHeldAs(answerDeps(rt), { answerId, approve, telegramUserId }),
  };
}
