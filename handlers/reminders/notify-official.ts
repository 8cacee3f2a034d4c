import { type CaseCard, caseCard } from '../../models/case-query.js';
import type { Db } from '../../models/database.js';

/** Sends a reminder card to one official (the Telegram adapter renders it with its buttons). */
export interface OfficialNotifier {
  remind(telegramUserId: string, card: CaseCard): Promise<void>;
}

/** One reminder message; a case that no longer exists is skipped. Failures throw so the queue retries. */
export async function notifyOfficial(
  deps: { db: Db; notifier: OfficialNotifier | null },
  payload: { telegramUserId: string; caseId: number; kind: string },
): Promise<'sent' | 'skipped'> {
  const card = await caseCard(deps.db, payload.caseId);
  if (!card) return 'skipped';
  if (!deps.notifier) throw new Error('no Telegram sender for officials in this instance');
  await deps.notifier.remind(payload.telegramUserId, {
    id: card.id,
    number: card.number,
    text: card.text,
    channel: card.channel,
    district: card.district,
    deadlineAt: card.deadline_at,
    priority: card.priority,
    kind: payload.kind,
    permalink: card.permalink ?? null,
  });
  return 'sent';
}
