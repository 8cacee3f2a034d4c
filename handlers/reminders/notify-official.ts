import { type CaseCard, caseCard } from '../../models/case-query.js';
import { type ChannelPort, sentOrThrow } from '../../models/outbound.js';
import { parseOfficialNotice } from '../../models/reminder-kind.js';
import type { HandlerDeps } from '../deps.js';

/**
 * One reminder card in the official's Telegram chat; a case that no longer exists is skipped.
 * Every failure throws so the queue retries, a blocked chat too (the job ends in the dead letters,
 * where an operator sees that the official cannot be reached).
 */
export async function notifyOfficial(
  deps: Pick<HandlerDeps, 'db'> & { outbound: ChannelPort },
  payload: { telegramUserId: string; caseId: number; kind: string },
): Promise<'sent' | 'skipped'> {
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
  };
  sentOrThrow(
    await deps.outbound.send(
      { channel: 'telegram', chatId: payload.telegramUserId },
      { kind: 'case_card', card },
      `remind:${payload.caseId}:${payload.kind}:${payload.telegramUserId}`,
    ),
  );
  return 'sent';
}
