/**
 * bench/reminders: 10,000 cases whose reminders fall due within two minutes, two worker instances
 * (two pg-boss clients, as two app instances) on one PostgreSQL. Prints the p50/p99 lateness of
 * each reminder (sent − due), the share sent, and how many were sent twice (goal: all, p99 ≤ 3 s, none).
 *
 *   npx tsx bench/reminders.ts [--cases 10000] [--window 120]
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadDomainConfig } from '../config/domain.js';
import { remind } from '../handlers/reminders/index.js';
import { systemClock } from '../lib/clock.js';
import { openDatabase } from '../models/database.js';
import { migrateToLatest } from '../models/migrate.js';
import { encodeReminderKind } from '../models/reminder-kind.js';
import { QueueService } from '../src/jobs/queue.js';
import { createLogger } from '../src/logger.js';
import { benchDatabase, percentile, printTable } from './lib.js';

/** The reminder at half the term, as the reminder planner stores it. */
const HALF_TIME = encodeReminderKind({ type: 'before', percent: 50 });

const LEAD_MS = 100_000;

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { cases: { type: 'string', default: '10000' }, window: { type: 'string', default: '120' } },
  });
  const total = Number(values.cases);
  const windowMs = Number(values.window) * 1000;
  const database = await benchDatabase('reminders');
  const log = createLogger({ level: 'silent' });
  const domain = loadDomainConfig('config/barnaul.yaml');
  // Drill: no quiet hours, so the figures do not depend on the hour the bench runs.
  const drill = { ...domain, sla: { ...domain.sla, quietHours: { start: '00:00', end: '00:00' } } } as typeof domain;
  const handle = openDatabase({ connectionString: database.url, max: 10 });
  await migrateToLatest(handle.db);
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  try {
    // One bound official for the department, so every reminder has one recipient.
    const official = (
      await admin.query(
        `insert into official (name, department, role, preferred_channel, created_at) values ('Бенч', 'roads-transport', 'official', 'telegram', now()) returning id`,
      )
    ).rows[0].id as number;
    await admin.query(
      `insert into official_account (official_id, channel, user_id, chat_id, bound_at) values ($1, 'telegram', '1', '1', now())`,
      [official],
    );
    const source = (
      await admin.query(
        `insert into source (channel, external_id, kind, official, status) values ('api', 'bench', 'private', false, 'active') returning id`,
      )
    ).rows[0].id as number;
    const workers = [new QueueService(database.url, log), new QueueService(database.url, log)];
    for (const w of workers) await w.start();
    let enqueuedNotifications = 0;
    for (const w of workers) {
      await w.work(
        'remind',
        async (payload) => {
          await remind(
            {
              db: handle.db,
              clock: systemClock,
              log,
              domain: drill,
              jobs: {
                send: async () => {
                  enqueuedNotifications++;
                  return 'counted';
                },
                sendMany: async () => {},
              },
            },
            payload,
          );
        },
        { batchSize: 50, pollingIntervalSeconds: 0.5 },
      );
    }

    // Enqueueing 20,000 delayed jobs takes a while; the first reminder falls due only after it.
    const setupStarted = Date.now();
    const start = setupStarted + LEAD_MS;
    const due: Date[] = [];
    for (let i = 0; i < total; i += 1000) {
      const n = Math.min(1000, total - i);
      const params: unknown[] = [];
      const rows = Array.from({ length: n }, (_, j) => {
        params.push(`МЦУ-2026-${String(i + j + 1).padStart(6, '0')}`, source);
        return `($${j * 2 + 1}, 'assigned', 'api', $${j * 2 + 2}, 'Бенч', 'roads-transport', now(), now(), now())`;
      });
      const ids = (
        await admin.query(
          `insert into "case" (number, status, channel, source_id, text, department, last_message_at, created_at, updated_at) values ${rows.join(',')} returning id`,
          params,
        )
      ).rows.map((r) => r.id as number);
      for (const id of ids) {
        const at = new Date(start + Math.random() * windowMs);
        due.push(at);
        await admin.query('insert into reminder (case_id, kind, due_at) values ($1, $2, $3)', [id, HALF_TIME, at]);
        // Like a retry or a second instance: every reminder is enqueued twice.
        await workers[0]?.send('remind', { caseId: id, kind: HALF_TIME }, { startAfter: at });
        await workers[1]?.send('remind', { caseId: id, kind: HALF_TIME }, { startAfter: at });
      }
    }
    if (Date.now() > start)
      console.log(
        `warning: setup took ${((Date.now() - setupStarted) / 1000).toFixed(0)} s, longer than the lead; early reminders are late by construction`,
      );
    const deadline = start + windowMs + 60_000;
    let sent = 0;
    while (Date.now() < deadline) {
      sent = Number((await admin.query(`select count(*) from reminder where sent_at is not null`)).rows[0].count);
      if (sent >= total) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const lateness = (
      await admin.query(`select extract(epoch from sent_at - due_at) * 1000 as ms from reminder where sent_at is not null`)
    ).rows
      .map((r) => Number(r.ms))
      .sort((a, b) => a - b);
    for (const w of workers) await w.stop(2_000);
    printTable(`bench/reminders — ${total} reminders due within ${windowMs / 1000} s, 2 workers, each enqueued twice`, [
      ['sent', `${sent} of ${total} (${((100 * sent) / total).toFixed(1)} %)`],
      ['lateness p50', `${(percentile(lateness, 50) / 1000).toFixed(2)} s`],
      ['lateness p99', `${(percentile(lateness, 99) / 1000).toFixed(2)} s`],
      ['messages enqueued', `${enqueuedNotifications} (sent twice: ${Math.max(0, enqueuedNotifications - sent)})`],
      ['goals', 'all sent, p99 ≤ 3 s, none twice'],
    ]);
  } finally {
    await admin.end();
    await handle.close();
    await database.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
