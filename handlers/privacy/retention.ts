import type { DomainConfig } from '../../config/domain.js';
import { maskPersonalData } from '../../lib/privacy/mask.js';
import { appendAudit } from '../../models/audit-repository.js';
import { inTransaction } from '../../models/database.js';
import {
  anonymisePageComments,
  lockCitizens,
  lockExpiredCases,
  oldPageComments,
  retentionCandidates,
} from '../../models/privacy-repository.js';
import type { HandlerDeps } from '../deps.js';
import { anonymiseInTx, maskCaseTextsInTx } from './anonymise.js';

export interface RetentionSettings {
  /** Calendar months after the last case finished (and the last message) before anonymisation; 0 = never. */
  retentionMonths: number;
  /** Citizens, cases or page comments per transaction. */
  batchSize: number;
  /** Batches per pass and run at most: a first run over years of data goes on at the next day's run. */
  maxBatches: number;
}

/** The domain file's `privacy` section; without it nothing is anonymised by age (only /forget and operators). */
export function retentionSettingsFor(domain: Pick<DomainConfig, 'privacy'>): RetentionSettings {
  return {
    retentionMonths: domain.privacy?.retentionMonths ?? 0,
    batchSize: domain.privacy?.batchSize ?? 500,
    maxBatches: 20,
  };
}

/** `months` calendar months before `at` (UTC calendar; a day more or less does not matter at this scale). */
export function monthsBefore(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

export interface RetentionReport {
  cutoff: string | null;
  /** Citizens anonymised, with their cases and messages. */
  citizens: number;
  cases: number;
  messages: number;
  /** Finished cases whose texts were masked by the case pass (their citizens keep their platform ids). */
  maskedCases: number;
  pageComments: number;
  batches: number;
}

/**
 * The daily retention job, three passes of at most `maxBatches` batches (one transaction each, idempotent):
 * citizens whose every case finished and who wrote nothing for `retentionMonths` are anonymised
 * (`anonymised_at`); the texts of every case finished more than that ago are masked whatever its citizen
 * does now (`texts_masked_at`); page comments older than that are anonymised, whoever wrote them.
 */
export async function anonymiseExpired(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  settings: RetentionSettings,
): Promise<RetentionReport> {
  const report: RetentionReport = {
    cutoff: null,
    citizens: 0,
    cases: 0,
    messages: 0,
    maskedCases: 0,
    pageComments: 0,
    batches: 0,
  };
  if (settings.retentionMonths <= 0) return report;
  const now = deps.clock.now();
  const cutoff = monthsBefore(now, settings.retentionMonths);
  report.cutoff = cutoff.toISOString();
  for (let batch = 0; batch < settings.maxBatches; batch += 1) {
    const ids = await retentionCandidates(deps.db, cutoff, settings.batchSize);
    if (ids.length === 0) break;
    report.batches += 1;
    const counts = await inTransaction(deps.db, async (tx) =>
      anonymiseInTx(tx, await lockCitizens(tx, ids, cutoff), { reason: 'retention', actor: { type: 'system' }, now }),
    );
    for (const n of counts.values()) {
      report.citizens += 1;
      report.cases += n.cases;
      report.messages += n.messages;
    }
    // Locked by another run (skip locked): the rest is that run's, or the next day's.
    if (counts.size === 0) break;
  }
  for (let batch = 0; batch < settings.maxBatches; batch += 1) {
    const masked = await inTransaction(deps.db, async (tx) => {
      const ids = await lockExpiredCases(tx, cutoff, settings.batchSize);
      return ids.length === 0 ? 0 : (await maskCaseTextsInTx(tx, ids, now)).cases;
    });
    if (masked === 0) break;
    report.batches += 1;
    report.maskedCases += masked;
  }
  for (let batch = 0; batch < settings.maxBatches; batch += 1) {
    const comments = await oldPageComments(deps.db, cutoff, settings.batchSize);
    if (comments.length === 0) break;
    report.batches += 1;
    const rows = comments.map((c) => ({ ...c, text: maskPersonalData(c.text) }));
    await inTransaction(deps.db, async (tx) => {
      await anonymisePageComments(tx, rows);
      await appendAudit(tx, {
        actor: { type: 'system' },
        action: 'page_comments_anonymised',
        entity: 'page_comment',
        entityId: null,
        details: {
          reason: 'retention',
          comments: rows.length,
          masked: rows.filter((r, i) => r.text !== comments[i]?.text).length,
        },
      });
    });
    report.pageComments += comments.length;
  }
  return report;
}
