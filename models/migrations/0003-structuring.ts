import { type Kysely, sql } from 'kysely';

/**
 * Structuring: what the classifier said (and what an operator corrected), district and urgency with
 * their reasons, routing, problems (clusters of similar cases) and spike alerts, positive feedback,
 * training examples from corrections and the classifier model versions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('problem')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('case_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('first_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_at', 'timestamptz', (c) => c.notNull())
    .addColumn('spike_alerted_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('problem_place_idx').on('problem').columns(['category', 'district', 'last_at']).execute();

  await db.schema
    .alterTable('case')
    .addColumn('category_auto', 'text')
    .addColumn('category_confidence', 'double precision')
    .addColumn('category_rule', 'text')
    .addColumn('model_version', 'text')
    .addColumn('suggestions', 'jsonb')
    .addColumn('district_reason', 'text')
    .addColumn('urgency_rule', 'text')
    .addColumn('routing_rule', 'text')
    .addColumn('problem_id', 'bigint', (c) => c.references('problem.id'))
    .execute();
  await db.schema.createIndex('case_place_idx').on('case').columns(['category', 'district', 'created_at']).execute();

  await db.schema
    .createTable('alert')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('case_id', 'bigint', (c) => c.references('case.id'))
    .addColumn('problem_id', 'bigint', (c) => c.references('problem.id'))
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('acknowledged_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('feedback')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('department', 'text')
    .addColumn('case_id', 'bigint', (c) => c.references('case.id'))
    .addColumn('message_id', 'bigint', (c) => c.notNull().references('message.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('training_example')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('case_id', 'bigint', (c) => c.references('case.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('classifier_model')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('version', 'text', (c) => c.notNull().unique())
    .addColumn('model', 'jsonb', (c) => c.notNull())
    .addColumn('metrics', 'jsonb', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // At most one active model.
  await sql`create unique index classifier_model_one_active on classifier_model (active) where active`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['classifier_model', 'training_example', 'feedback', 'alert']) await db.schema.dropTable(table).execute();
  await db.schema
    .alterTable('case')
    .dropColumn('problem_id')
    .dropColumn('routing_rule')
    .dropColumn('urgency_rule')
    .dropColumn('district_reason')
    .dropColumn('suggestions')
    .dropColumn('model_version')
    .dropColumn('category_rule')
    .dropColumn('category_confidence')
    .dropColumn('category_auto')
    .execute();
  await db.schema.dropTable('problem').execute();
}
