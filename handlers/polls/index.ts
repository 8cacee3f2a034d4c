import type { Channel } from '../../models/intake.js';
import type { HandlerDeps } from '../deps.js';
import { type PollCommentOutcome, requestPollComment } from './poll-comment.js';
import { answerPoll, type PollAnswerOutcome } from './polls.js';

export { COMMENT_WINDOW_MS, type PollCommentOutcome, requestPollComment, takePollComment } from './poll-comment.js';
export { answerPoll, askPoll, type PollAnswerOutcome, type PollDeps, schedulePoll } from './polls.js';

/** The poll buttons of both bots: «Да» / «Нет», the rating, «Добавить комментарий». */
export interface PollsApi {
  answer(input: {
    caseId: number;
    sender: { channel: Channel; externalId: string };
    solved?: boolean;
    rating?: number;
  }): Promise<PollAnswerOutcome>;
  requestComment(input: { caseId: number; sender: { channel: Channel; externalId: string } }): Promise<PollCommentOutcome>;
}

/** Binds the poll buttons; `deps` is called on every press (the database or queue may not be up yet). */
export function bindPolls(deps: () => HandlerDeps): PollsApi {
  return {
    answer: (input) => answerPoll(deps(), input),
    requestComment: (input) => requestPollComment(deps(), input),
  };
}
