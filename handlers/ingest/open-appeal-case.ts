import type { ExternalSource } from '../../config/domain.js';
import { appendAudit } from '../../models/audit-repository.js';
import { attachMessageToCase, insertCase, nextCaseNumber } from '../../models/case-repository.js';
import type { Tx } from '../../models/database.js';
import {
  IMPORT_CHANNEL,
  importSourceId,
  insertAppealAuthor,
  insertAppealMessage,
} from '../../models/external-appeal-repository.js';
import { yearIn } from '../intake/open-case.js';
import type { Assessment } from '../structuring/assess.js';
import { type StructuringOverride, structureCase } from '../structuring/structure-case.js';
import { triageUnstructured } from '../structuring/triage-unstructured.js';
import type { Appeal } from './appeal.js';
import type { IngestDeps } from './deps.js';
import { mappedCategory, mappedDepartment } from './source-mapping.js';

/**
 * Opens the case of a new appeal the way a citizen's message opens one — a message, a case number,
 * structuring, deadlines, the department's card — with what the source decided kept: its category and
 * executor when the domain file maps them, its regime's clock, counted from when the source
 * registered it. Nobody is told anything: the citizen deals with the source system.
 */
export async function openAppealCase(
  deps: IngestDeps,
  tx: Tx,
  source: { name: string; config: ExternalSource },
  appeal: Appeal,
  now: Date,
): Promise<{ caseId: number; number: string; messageId: number; status: string }> {
  const key = { source: source.name, externalId: appeal.externalId };
  const at = appeal.receivedAt;
  const sourceId = await importSourceId(tx, { name: source.name, title: source.config.name }, now);
  const citizenId = appeal.author ? await insertAppealAuthor(tx, { key, ...appeal.author }, now) : null;
  // The address is part of what officials read, and what the gazetteer finds the district in.
  const text = appeal.address ? `${appeal.text}\n📍 ${appeal.address}` : appeal.text;
  const messageId = await insertAppealMessage(
    tx,
    {
      key,
      sourceId,
      citizenId,
      text,
      geo: appeal.geo,
      receivedAt: at,
      // What the source said besides the text, without the author (citizen data lives on `citizen`).
      raw: { source: source.name, category: appeal.category, department: appeal.department, address: appeal.address },
    },
    now,
  );
  const number = await nextCaseNumber(tx, yearIn(at, deps.domain.city.timezone));
  const caseId = await insertCase(tx, {
    number,
    status: 'new',
    channel: IMPORT_CHANNEL,
    sourceId,
    citizenId,
    text,
    triageReason: null,
    at,
  });
  await attachMessageToCase(tx, messageId, caseId, now);
  await appendAudit(tx, {
    actor: { type: 'platform', channel: source.name },
    action: 'case_opened',
    entity: 'case',
    entityId: caseId,
    details: { number, messageId, source: source.name, externalId: appeal.externalId },
  });

  if (!deps.structuring) {
    await triageUnstructured(tx, caseId, now);
    return { caseId, number, messageId, status: 'triage' };
  }
  const assessment = keepSourceCategory(deps.structuring.structurer.assess(text, at, appeal.geo), source.config, appeal);
  const department = mappedDepartment(source.config, appeal.department);
  const override: StructuringOverride = {
    regime: source.config.regime,
    ...(department ? { route: { department, rule: `source: ${appeal.department}` } } : {}),
  };
  const result = await structureCase({ ...deps.structuring, log: deps.log, jobs: deps.jobs }, tx, {
    caseId,
    text,
    channel: IMPORT_CHANNEL,
    assessment,
    at,
    override,
  });
  return { caseId, number, messageId, status: result.status };
}

/** The source's own category, when mapped, wins over the classifier (which is kept as `category_auto`). */
function keepSourceCategory(a: Assessment, source: ExternalSource, appeal: Appeal): Assessment {
  const category = mappedCategory(source, appeal.category);
  if (!category) return a;
  return {
    ...a,
    category: {
      category,
      auto: a.category.auto ?? a.category.category,
      confidence: 1,
      rule: `source: ${appeal.category}`,
      modelVersion: a.category.modelVersion,
      suggestions: [],
    },
  };
}
