import { type Actor, encodeActor } from './actor.js';
import type { Executor } from './database.js';

export interface AuditEntry {
  actor: Actor;
  action: string;
  entity: string;
  entityId: string | number | null;
  details?: Record<string, unknown>;
}

/** Appends to the audit trail (the table itself refuses updates and deletes). */
export async function appendAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: encodeActor(entry.actor),
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId === null ? null : String(entry.entityId),
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** The audit trail of one entity, oldest first. */
export async function auditOf(
  db: Executor,
  entity: string,
  entityId: string,
): Promise<{ actor: string; action: string; details: Record<string, unknown>; createdAt: Date }[]> {
  return db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'details', 'created_at as createdAt'])
    .where('entity', '=', entity)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
}
