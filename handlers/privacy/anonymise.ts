import { maskJsonStrings, maskPersonalData } from '../../lib/privacy/mask.js';
import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import type { Tx } from '../../models/database.js';
import { type CitizenToAnonymise, markTextsMasked } from '../../models/privacy-repository.js';
import { removePlatformIds, stopWaitingFor } from '../../models/privacy-scrub.js';
import {
  type CaseTexts,
  type CitizenTexts,
  loadCaseTexts,
  loadCitizenTexts,
  saveMaskedTexts,
  type TextRow,
} from '../../models/privacy-texts.js';

/** Why a citizen is anonymised: the retention period passed, they sent /forget, an operator was asked to. */
export type AnonymiseReason = 'retention' | 'forget' | 'operator';

/** What one citizen's anonymisation changed (the audit entry's details: counts only, no personal data). */
export interface AnonymisedCounts {
  cases: number;
  messages: number;
  answers: number;
  pollComments: number;
  pageComments: number;
  auditEntries: number;
  /** Texts whose masking changed something. */
  masked: number;
}

/** The rows whose masking changed their text, masked. */
function masked<K>(rows: readonly TextRow<K>[]): TextRow<K>[] {
  return rows.flatMap((r) => {
    const text = maskPersonalData(r.text);
    return text === r.text ? [] : [{ ...r, text }];
  });
}

/** JSON details (alerts, audit): every string inside masked. */
const maskedJson = (rows: readonly TextRow[]) =>
  rows.flatMap((r) => {
    const text = JSON.stringify(maskJsonStrings(JSON.parse(r.text) as unknown));
    return text === JSON.stringify(JSON.parse(r.text)) ? [] : [{ ...r, text }];
  });

function maskedCaseTexts(texts: CaseTexts): CaseTexts {
  return {
    cases: masked(texts.cases),
    messages: masked(texts.messages),
    editsBefore: masked(texts.editsBefore),
    editsAfter: masked(texts.editsAfter),
    answers: masked(texts.answers),
    appealAnswers: masked(texts.appealAnswers),
    pollComments: masked(texts.pollComments),
    training: masked(texts.training),
    problems: masked(texts.problems),
    alerts: maskedJson(texts.alerts),
    audit: maskedJson(texts.audit),
  };
}

const ofOwner = (rows: readonly TextRow<unknown>[], owner?: number) =>
  owner === undefined ? rows.length : rows.filter((r) => r.owner === owner).length;
const changedCount = (changed: Record<string, readonly TextRow<unknown>[]>, owner?: number) =>
  Object.values(changed).reduce((sum, rows) => sum + ofOwner(rows, owner), 0);

/**
 * Anonymises the given citizens in the caller's transaction (they are locked and not yet anonymised):
 * free texts masked (kept for statistics; their cases marked `texts_masked_at`), platform ids, profiles,
 * raw updates and chat ids removed, what waits for them stopped, and one `citizen_anonymised` audit
 * entry each, with counts.
 */
export async function anonymiseInTx(
  tx: Tx,
  citizens: readonly CitizenToAnonymise[],
  a: { reason: AnonymiseReason; actor: Actor; now: Date },
): Promise<Map<number, AnonymisedCounts>> {
  if (citizens.length === 0) return new Map();
  const texts: CitizenTexts = await loadCitizenTexts(tx, citizens);
  const changed = { ...maskedCaseTexts(texts), pageComments: masked(texts.pageComments) };
  await saveMaskedTexts(tx, changed);
  await markTextsMasked(
    tx,
    texts.cases.map((c) => c.key),
    a.now,
  );
  await stopWaitingFor(
    tx,
    citizens.map((c) => c.id),
    a.now,
  );
  await removePlatformIds(tx, citizens, a.now, a.reason !== 'retention');

  const counts = new Map<number, AnonymisedCounts>();
  for (const c of citizens) {
    const n: AnonymisedCounts = {
      cases: ofOwner(texts.cases, c.id),
      messages: ofOwner(texts.messages, c.id),
      answers: ofOwner(texts.answers, c.id),
      pollComments: ofOwner(texts.pollComments, c.id),
      pageComments: ofOwner(texts.pageComments, c.id),
      auditEntries: ofOwner(changed.audit, c.id),
      masked: changedCount(changed, c.id),
    };
    counts.set(c.id, n);
    await appendAudit(tx, {
      actor: a.actor,
      action: 'citizen_anonymised',
      entity: 'citizen',
      entityId: c.id,
      details: { reason: a.reason, ...n },
    });
  }
  return counts;
}

/** What masking a batch of cases' texts changed (the audit entry's details). */
export interface CaseTextsCounts {
  cases: number;
  messages: number;
  answers: number;
  pollComments: number;
  auditEntries: number;
  masked: number;
}

/**
 * Masks the texts of the given finished cases (locked by the caller) and marks them, whoever their
 * citizen is and whatever they do now; platform ids stay (they are the citizen's, removed with the
 * citizen). One `case_texts_masked` audit entry for the batch, with counts.
 */
export async function maskCaseTextsInTx(tx: Tx, caseIds: readonly number[], now: Date): Promise<CaseTextsCounts> {
  const texts = await loadCaseTexts(tx, caseIds);
  const changed = maskedCaseTexts(texts);
  await saveMaskedTexts(tx, changed);
  await markTextsMasked(tx, caseIds, now);
  const counts: CaseTextsCounts = {
    cases: caseIds.length,
    messages: texts.messages.length,
    answers: texts.answers.length,
    pollComments: texts.pollComments.length,
    auditEntries: changed.audit.length,
    masked: changedCount({ ...changed }),
  };
  await appendAudit(tx, {
    actor: { type: 'system' },
    action: 'case_texts_masked',
    entity: 'case',
    entityId: null,
    details: { reason: 'retention', ...counts },
  });
  return counts;
}
