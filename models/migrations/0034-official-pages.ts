import { type Kysely, sql } from 'kysely';

/**
 * Official pages (regulation 2.2.12, 4.7; Federal Law 270-ФЗ): docs/architecture/official-pages.md.
 *
 * - `official_page`: the registry — a page of the administration, a body or a subordinate organisation in
 *   VK, Telegram or MAX, its owner department (and organisation), the responsible person, status; what the
 *   last monitoring round could read (`readable` false with the reason: never scored as zero).
 * - `page_snapshot`: one row per page and monitoring round — the set-up items and the figures of that
 *   round (posts per week, answered share, median reply time…) and the page's score; history is kept.
 * - `page_post`: the page's posts as last read (views, likes, reposts, comments).
 * - `page_comment`: citizens' comments under the page's posts, whether and when the page replied (the
 *   reply time in working hours is computed from these), and the case an unanswered one became.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('official_page')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull().check(sql`platform in ('vk', 'telegram', 'max')`))
    /** VK: the community's screen name or id (club123); Telegram: @username or -100… chat id; MAX: the channel's id or link name. */
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('owner_department', 'text', (c) => c.notNull())
    /** A subordinate organisation's name when the page is not the department's own. */
    .addColumn('organisation', 'text')
    .addColumn('responsible_official_id', 'bigint', (c) => c.references('official.id').onDelete('set null'))
    /** Who runs the page when they are not a person of the platform (a name and a contact, as the city's list has it). */
    .addColumn('responsible_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'planned', 'closed')`))
    .addColumn('readable', 'boolean')
    .addColumn('unreadable_reason', 'text')
    .addColumn('last_checked_at', 'timestamptz')
    /** The platform says the page is gone or private (marked and alerted; history kept). */
    .addColumn('gone_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index official_page_platform_external on official_page (platform, lower(external_id))`.execute(db);
  await sql`create index official_page_owner on official_page (owner_department)`.execute(db);

  await db.schema
    .createTable('page_snapshot')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('page_id', 'bigint', (c) => c.notNull().references('official_page.id').onDelete('cascade'))
    .addColumn('taken_at', 'timestamptz', (c) => c.notNull())
    .addColumn('readable', 'boolean', (c) => c.notNull())
    .addColumn('reason', 'text')
    /** The set-up items and figures of the round (docs/architecture/official-pages.md lists them). */
    .addColumn('figures', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    /** 0–100, null when the page could not be read. */
    .addColumn('score', sql`numeric(5,2)`)
    .execute();
  await sql`create index page_snapshot_page_taken on page_snapshot (page_id, taken_at desc)`.execute(db);

  await db.schema
    .createTable('page_post')
    .addColumn('page_id', 'bigint', (c) => c.notNull().references('official_page.id').onDelete('cascade'))
    .addColumn('post_id', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('views', 'integer')
    .addColumn('likes', 'integer')
    .addColumn('reposts', 'integer')
    .addColumn('comments', 'integer')
    .addColumn('url', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('page_post_pk', ['page_id', 'post_id'])
    .execute();
  await sql`create index page_post_page_posted on page_post (page_id, posted_at desc)`.execute(db);

  await db.schema
    .createTable('page_comment')
    .addColumn('page_id', 'bigint', (c) => c.notNull().references('official_page.id').onDelete('cascade'))
    .addColumn('comment_id', 'text', (c) => c.notNull())
    .addColumn('post_id', 'text', (c) => c.notNull())
    /** The platform's id of the commenter (personal data: never logged). */
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('url', 'text')
    /** The page's first reply to it (a reply in its thread by the community itself). */
    .addColumn('replied_at', 'timestamptz')
    .addColumn('reply_id', 'text')
    /** The case an unanswered problem comment became (answered on the platform later → recorded there). */
    .addColumn('case_id', 'bigint', (c) => c.references('case.id').onDelete('set null'))
    /** When the structuring pipeline looked at it (whatever it decided). */
    .addColumn('assessed_at', 'timestamptz')
    .addPrimaryKeyConstraint('page_comment_pk', ['page_id', 'comment_id'])
    .execute();
  await sql`create index page_comment_unanswered on page_comment (page_id, created_at) where replied_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['page_comment', 'page_post', 'page_snapshot', 'official_page'])
    await db.schema.dropTable(table).ifExists().execute();
}
