import type { Channel } from '../../models/intake.js';
import type { PollCommentOutcome } from './poll-comment.js';
import type { PollAnswerOutcome } from './polls.js';

export { COMMENT_WINDOW_MS, type PollCommentOutcome, requestPollComment, takePollComment } from './poll-comment.js';
export { answerPoll, askPoll, type PollAnswerOutcome, type PollDeps, schedulePoll } from './polls.js';

/** The poll use cases as the channel adapters see them (deps bound in src/app.ts). */
export interface PollsApi {
  answer(input: {
    caseId: number;
    sender: { channel: Channel; externalId: string };
    solved?: boolean;
    rating?: number;
  }): Promise<PollAnswerOutcome>;
  requestComment(input: { caseId: number; sender: { channel: Channel; externalId: string } }): Promise<PollCommentOutcome>;
}
