import { answerOnPage } from '../../models/answer-target.js';
import { type CaseCard, caseCard } from '../../models/case-query.js';
import { findOfficialByAccount } from '../../models/people-repository.js';
import { parseOfficialNotice } from '../../models/reminder-kind.js';
import type { HandlerDeps } from '../deps.js';
import { deliverToPerson, type PersonDeliveryDeps } from './deliver-to-person.js';

/** A person, or (a job queued before staff accounts) their Telegram account. */
export type NotifyOfficialPayload = ({ officialId: number } | { telegramUserId: string }) & { caseId: number; kind: string };

/**
 * One case card to one person, on their preferred messenger or, if the bot is blocked there, another
 * they bound; a case that no longer exists is skipped. A person no messenger reaches any more (every
 * account blocked or unbound) is skipped and logged: the officials' list shows whose accounts are
 * blocked. Other failures throw so the queue retries.
 */
export async function notifyOfficial(
  deps: PersonDeliveryDeps & Pick<HandlerDeps, 'log'>,
  payload: NotifyOfficialPayload,
): Promise<'sent' | 'skipped' | 'unreachable'> {
  const officialId =
    'officialId' in payload
      ? payload.officialId
      : (await findOfficialByAccount(deps.db, { channel: 'telegram', userId: payload.telegramUserId }))?.id;
  const row = await caseCard(deps.db, payload.caseId);
  if (!row) return 'skipped';
  const card: CaseCard = {
    id: row.id,
    number: row.number,
    text: row.text,
    channel: row.channel,
    district: row.district,
    deadlineAt: row.deadline_at,
    priority: row.priority,
    // The job schema let only a readable kind through.
    kind: parseOfficialNotice(payload.kind),
    permalink: row.permalink ?? null,
    answerOnPage: answerOnPage(row.answer_place),
    deadlineProvisional: row.deadline_provisional,
  };
  const outcome =
    officialId === undefined
      ? 'unreachable'
      : await deliverToPerson(
          deps,
          officialId,
          { kind: 'case_card', card },
          `remind:${payload.caseId}:${payload.kind}:${officialId}`,
        );
  // No person's id or name in the log: the case and the kind say which notice it was.
  if (outcome === 'unreachable')
    deps.log.warn(
      { caseId: payload.caseId, kind: payload.kind },
      'case card not delivered: the person has no messenger the bot can reach',
    );
  return outcome;
}
