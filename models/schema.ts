import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Row types of every table the application owns (pg-boss keeps its own schema). */
export interface Database {
  dead_letter: DeadLetterTable;
  audit_log: AuditLogTable;
}

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** Inputs we could not parse or process: kept with their raw body, never dropped silently. */
export interface DeadLetterTable {
  id: Generated<number>;
  source: string;
  reason: string;
  raw: JSONColumnType<object, string, string>;
  created_at: CreatedAt;
}

/** Append-only trail of every change (who, what, when); the table refuses UPDATE and DELETE. */
export interface AuditLogTable {
  id: Generated<number>;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  created_at: CreatedAt;
}
