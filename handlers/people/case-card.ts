import { answerOnPage } from '../../models/answer-target.js';
import type { CaseCard } from '../../models/case-query.js';
import { caseIdByNumber } from '../../models/people-repository.js';
import type { StaffAccount } from '../../models/staff-account.js';
import type { HandlerDeps } from '../deps.js';
import { authorizeForCase } from './authorize-case.js';

/** /case <номер>: the card of one case, for those who may act on it. */
export async function caseCardFor(
  deps: Pick<HandlerDeps, 'db'>,
  input: { account: StaffAccount; number: string },
): Promise<{ status: 'ok'; card: CaseCard } | { status: 'forbidden' | 'not_found' }> {
  const caseId = await caseIdByNumber(deps.db, input.number);
  if (caseId === undefined) return { status: 'not_found' };
  const access = await authorizeForCase(deps.db, input.account, caseId);
  if (access.status !== 'ok') return access;
  const c = access.card;
  return {
    status: 'ok',
    card: {
      id: c.id,
      number: c.number,
      text: c.text,
      channel: c.channel,
      district: c.district,
      deadlineAt: c.deadline_at,
      priority: c.priority,
      kind: null,
      permalink: c.permalink ?? null,
      answerOnPage: answerOnPage(c.answer_place),
      deadlineProvisional: c.deadline_provisional,
    },
  };
}
