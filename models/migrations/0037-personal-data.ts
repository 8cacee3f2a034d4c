import { type Kysely, sql } from 'kysely';

/**
 * Personal data (152-ФЗ): docs/operations/personal-data.md.
 *
 * - `citizen.anonymised_at`: when the citizen's personal data were removed (retention, /forget, an
 *   operator's request); set once, so the job is idempotent and a second run skips them. No index: the
 *   daily job scans the citizen table once, and an index on `updated_at` (which every message's upsert
 *   moves) would cost intake a non-HOT update per message.
 * - The audit trail stays append-only, with one controlled exception: inside a transaction that set
 *   `mcu.privacy_scrub` to `on` (`set_config(…, true)`, so it ends with the transaction), an UPDATE may
 *   rewrite `details` and `entity_id` — the masking of a citizen's words and platform id — and nothing
 *   else: who, what, which entity kind and when stay as written. DELETE is refused as before. The scrub
 *   itself is audited (`citizen_anonymised`, with the number of entries masked).
 * - `case.texts_masked_at`: when a finished case's texts were masked by age (retention's case pass),
 *   whatever its citizen does now; a case updated after it (a late message) is masked again once it is
 *   old again. No index: the daily pass reads the case table, which is small beside `message`.
 * - `message_citizen_other`: a citizen's messages other than private ones, by citizen. With
 *   `message_citizen_private` (0030) it finds all of a citizen's messages without reading the table, for
 *   anonymisation and the export (models/privacy-repository.ts `citizenMessages`). Partial, so intake
 *   pays for it only on public messages with an author (comments, group posts), not on private ones.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('citizen').addColumn('anonymised_at', 'timestamptz').execute();
  await db.schema.alterTable('case').addColumn('texts_masked_at', 'timestamptz').execute();
  await sql`create index message_citizen_other on message (citizen_id)
             where kind <> 'private' and citizen_id is not null`.execute(db);
  await sql`
    create or replace function audit_log_is_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and current_setting('mcu.privacy_scrub', true) = 'on'
         and new.id = old.id and new.actor = old.actor and new.action = old.action
         and new.entity = old.entity and new.created_at = old.created_at then
        return new;
      end if;
      raise exception 'audit_log is append-only';
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function audit_log_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$;
  `.execute(db);
  await sql`drop index if exists message_citizen_other`.execute(db);
  await db.schema.alterTable('case').dropColumn('texts_masked_at').execute();
  await db.schema.alterTable('citizen').dropColumn('anonymised_at').execute();
}
