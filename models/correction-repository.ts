import type { Executor } from './database.js';

export async function loadCaseForCorrection(
  db: Executor,
  caseId: number,
): Promise<
  | {
      id: number;
      text: string;
      category: string | null;
      district: string | null;
      department: string | null;
      status: string;
      updated_at: Date;
    }
  | undefined
> {
  return db
    .selectFrom('case')
    .select(['id', 'text', 'category', 'district', 'department', 'status', 'updated_at'])
    .where('id', '=', caseId)
    .forUpdate()
    .executeTakeFirst();
}

export async function setCaseCategory(
  db: Executor,
  caseId: number,
  c: { category: string; department: string; routingRule: string },
  at: Date,
): Promise<void> {
  await db
    .updateTable('case')
    .set((eb) => ({
      category: c.category,
      department: c.department,
      routing_rule: c.routingRule,
      category_rule: 'operator',
      // A case waiting in triage for its category is routed now.
      status: eb.case().when('status', 'in', ['new', 'triage']).then('assigned').else(eb.ref('status')).end(),
      triage_reason: eb.case().when('status', 'in', ['new', 'triage']).then(null).else(eb.ref('triage_reason')).end(),
      updated_at: at,
    }))
    .where('id', '=', caseId)
    .execute();
}

export async function addTrainingExample(
  db: Executor,
  e: { text: string; label: string; source: 'correction' | 'import'; caseId: number | null },
  at: Date,
): Promise<void> {
  await db
    .insertInto('training_example')
    .values({ text: e.text, label: e.label, source: e.source, case_id: e.caseId, created_at: at })
    .execute();
}

export async function listTrainingExamples(db: Executor): Promise<{ text: string; label: string; source: string }[]> {
  return db.selectFrom('training_example').select(['text', 'label', 'source']).orderBy('id').execute();
}

export async function activeModel(db: Executor): Promise<{ version: string; model: unknown } | undefined> {
  return db.selectFrom('classifier_model').select(['version', 'model']).where('active', '=', true).executeTakeFirst();
}

/** Records a trained model; `activate` makes it the one in use (and retires the previous one). */
export async function saveModel(
  db: Executor,
  m: { version: string; model: unknown; metrics: Record<string, unknown>; activate: boolean },
  at: Date,
): Promise<void> {
  if (m.activate) await db.updateTable('classifier_model').set({ active: false }).where('active', '=', true).execute();
  await db
    .insertInto('classifier_model')
    .values({
      version: m.version,
      model: JSON.stringify(m.model),
      metrics: JSON.stringify(m.metrics),
      active: m.activate,
      created_at: at,
    })
    .execute();
}

export async function listModels(
  db: Executor,
): Promise<{ version: string; active: boolean; metrics: Record<string, unknown>; createdAt: Date }[]> {
  return db
    .selectFrom('classifier_model')
    .select(['version', 'active', 'metrics', 'created_at as createdAt'])
    .orderBy('id', 'desc')
    .execute();
}

export async function activeModelVersion(db: Executor): Promise<string | undefined> {
  const row = await db.selectFrom('classifier_model').select('version').where('active', '=', true).executeTakeFirst();
  return row?.version;
}
