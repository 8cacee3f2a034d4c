import { inTransaction } from '../../models/database.js';
import {
  findAppeal,
  insertExternalAppeal,
  lockAppealKey,
  updateExternalAppeal,
} from '../../models/external-appeal-repository.js';
import { checkAppeal } from './appeal.js';
import type { IngestDeps } from './deps.js';
import { openAppealCase } from './open-appeal-case.js';
import { type AppealChange, syncAppeal } from './sync-appeal.js';

export type IngestOutcome =
  /** A new appeal: its case was opened. */
  | { status: 'created'; caseId: number; number: string; changes: AppealChange[] }
  /** Known already: what the source says now that it did not before was applied to its case. */
  | { status: 'updated'; caseId: number; number: string; changes: AppealChange[] }
  /** Known already, and nothing new. */
  | { status: 'unchanged'; caseId: number; number: string; changes: [] }
  | { status: 'invalid'; code: 'VALIDATION_FAILED' | 'UNKNOWN_SOURCE'; issues: string[] };

/**
 * One appeal from another system (the API's push, a row of an export): check it → find it by its
 * key (source, externalId) → open its case, or apply what changed. One transaction, serialised per
 * key, so a second delivery — also at the same moment, also after a crash halfway — never opens a
 * second case, and a failure leaves nothing behind.
 */
export async function ingestAppeal(deps: IngestDeps, raw: unknown): Promise<IngestOutcome> {
  const now = deps.clock.now();
  const checked = checkAppeal(deps.domain, raw, now);
  if (!checked.ok) return { status: 'invalid', code: checked.code, issues: checked.issues };
  const appeal = checked.appeal;
  const config = deps.domain.sources?.[appeal.source];
  if (!config) return { status: 'invalid', code: 'UNKNOWN_SOURCE', issues: [`source: unknown source "${appeal.source}"`] };
  const source = { name: appeal.source, config };
  const key = { source: appeal.source, externalId: appeal.externalId };

  return inTransaction(deps.db, async (tx): Promise<IngestOutcome> => {
    await lockAppealKey(tx, key);
    const known = await findAppeal(tx, key);
    if (known) {
      const c = { caseId: known.case_id, status: known.case_status };
      const { changes, state } = await syncAppeal(deps, tx, c, source, appeal, known, now);
      if (changes.length === 0) return { status: 'unchanged', caseId: known.case_id, number: known.case_number, changes: [] };
      await updateExternalAppeal(tx, key, state, now);
      return { status: 'updated', caseId: known.case_id, number: known.case_number, changes };
    }
    const opened = await openAppealCase(deps, tx, source, appeal, now);
    const { changes, state } = await syncAppeal(
      deps,
      tx,
      { caseId: opened.caseId, status: opened.status },
      source,
      appeal,
      null,
      now,
    );
    await insertExternalAppeal(
      tx,
      { ...key, caseId: opened.caseId, messageId: opened.messageId, receivedAt: appeal.receivedAt, state },
      now,
    );
    deps.log.info({ caseId: opened.caseId, source: source.name }, 'appeal from another system: case opened');
    return { status: 'created', caseId: opened.caseId, number: opened.number, changes };
  });
}
