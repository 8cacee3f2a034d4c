import type { Regime } from '../../config/domain.js';
import { appendAudit } from '../../models/audit-repository.js';
import type { Tx } from '../../models/database.js';
import {
  caseIdsAt,
  claimSpikeAlert,
  countCasesAt,
  createProblem,
  insertAlert,
  linkCasesToProblem,
  recentCasesAt,
  saveCaseStructure,
} from '../../models/structuring-repository.js';
import { startCaseClock } from '../cases/deadline-clock.js';
import type { HandlerDeps } from '../deps.js';
import { announceAssignment } from '../reminders/reminders.js';
import type { Assessment, Structurer } from './assess.js';
import { routeCase } from './routing.js';
import { contentStems, jaccard } from './similarity.js';
import { wordsOf } from './text.js';

/** The structurer is structuring's own; without the calendar (working time) the case gets no deadlines. */
export type StructuringDeps = Pick<HandlerDeps, 'domain'> & Partial<Pick<HandlerDeps, 'calendar'>> & { structurer: Structurer };

type Deps = StructuringDeps & Pick<HandlerDeps, 'log' | 'jobs'>;

/**
 * What a case from another system brings of its own (handlers/ingest): the department its source
 * named (mapped to ours) instead of the routing rules, and its source's legal regime.
 */
export interface StructuringOverride {
  route?: { department: string; rule: string };
  regime?: Regime;
}

export interface StructuringResult {
  status: 'triage' | 'assigned';
  reason: string | null;
  priority: 'urgent' | 'normal';
  problemId: number | null;
}

/**
 * Fills a new case from its assessment: category (or triage with three suggestions), district with
 * its reason, urgency, routing, duplicate linking into a problem, spike and urgency alerts.
 */
export async function structureCase(
  deps: Deps,
  tx: Tx,
  input: { caseId: number; text: string; channel: string; assessment: Assessment; at: Date; override?: StructuringOverride },
): Promise<StructuringResult> {
  const { assessment: a, at, caseId } = input;
  const category = a.category.category;
  const district = a.district.district;
  const route = input.override?.route ?? routeCase(deps.domain, category, district);
  const status = category ? 'assigned' : 'triage';
  const reason = category ? null : a.category.suggestions.length > 0 ? 'low_confidence' : 'no_category';
  await saveCaseStructure(
    tx,
    caseId,
    {
      status,
      category,
      categoryAuto: a.category.auto,
      categoryConfidence: a.category.confidence,
      categoryRule: a.category.rule,
      modelVersion: a.category.modelVersion,
      suggestions: a.category.suggestions,
      district,
      districtReason: a.district.reason,
      priority: a.urgency.priority,
      urgencyRule: a.urgency.rule,
      department: route.department,
      routingRule: route.rule,
      triageReason: reason,
    },
    at,
  );
  await appendAudit(tx, {
    actor: { type: 'system' },
    action: 'status_changed',
    entity: 'case',
    entityId: caseId,
    details: { from: 'new', to: status, comment: category ? `${a.category.rule} → ${route.rule}` : reason },
  });

  // Deadlines run from registration.
  if (deps.calendar)
    await startCaseClock(
      tx,
      { jobs: deps.jobs, calendar: deps.calendar, domain: deps.domain },
      {
        caseId,
        channel: input.channel,
        priority: a.urgency.priority,
        start: at,
        ...(input.override?.regime ? { regime: input.override.regime } : {}),
      },
    );

  // The department's officials get the new case on their messenger right away.
  if (status === 'assigned' && route.department)
    await announceAssignment(tx, deps.jobs, { caseId, department: route.department, assigneeId: null, at });

  if (a.urgency.priority === 'urgent') {
    const alertId = await insertAlert(
      tx,
      { kind: 'urgent', caseId, problemId: null, details: { rule: a.urgency.rule, department: route.department } },
      at,
    );
    await deps.jobs.send('notify-operators', { alertId }, { tx });
    deps.log.warn({ caseId, rule: a.urgency.rule }, 'urgent case: operators alerted');
  }

  const problemId =
    category && district ? await linkDuplicates(deps, tx, { caseId, text: input.text, category, district, at }) : null;
  return { status, reason, priority: a.urgency.priority, problemId };
}

/** Near-duplicates (same category and district, similar words, within the window) share one problem. */
async function linkDuplicates(
  deps: Deps,
  tx: Tx,
  c: { caseId: number; text: string; category: string; district: string; at: Date },
): Promise<number | null> {
  const settings = deps.structurer.settings;
  const place = { category: c.category, district: c.district };
  const mine = contentStems(wordsOf(c.text));
  const candidates = await recentCasesAt(tx, place, new Date(c.at.getTime() - settings.duplicateWindowMs), c.caseId);
  let best: { id: number; problem_id: number | null; score: number } | null = null;
  for (const other of candidates) {
    const score = jaccard(mine, contentStems(wordsOf(other.text)));
    if (score >= settings.duplicateSimilarity && (!best || score > best.score)) best = { ...other, score };
  }
  let problemId: number | null = null;
  if (best) {
    problemId = best.problem_id ?? (await createProblem(tx, { ...place, title: c.text.slice(0, 140) }, c.at));
    await linkCasesToProblem(tx, problemId, [best.id, c.caseId], c.at);
  }

  // A spike: many cases of one category in one district within the window, similar or not.
  const since = new Date(c.at.getTime() - settings.spikeWindowMs);
  const count = await countCasesAt(tx, place, since);
  if (count >= settings.spikeCases) {
    problemId ??= await createProblem(tx, { ...place, title: `Всплеск: ${c.text.slice(0, 120)}` }, c.at);
    await linkCasesToProblem(tx, problemId, await caseIdsAt(tx, place, since), c.at);
    if (await claimSpikeAlert(tx, problemId, since, c.at)) {
      const alertId = await insertAlert(
        tx,
        { kind: 'spike', caseId: c.caseId, problemId, details: { ...place, cases: count, withinMs: settings.spikeWindowMs } },
        c.at,
      );
      await deps.jobs.send('notify-operators', { alertId }, { tx });
      deps.log.warn({ problemId, ...place, cases: count }, 'spike: operators alerted');
    }
  }
  return problemId;
}
