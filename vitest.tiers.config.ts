import { defineConfig } from 'vitest/config';

/**
 * The test tiers, one Vitest project each, for `npm run test:unit`, `test:db`, `test:channels`, `test:faults`, `test:e2e`
 * (`npm test` runs everything once with vitest.config.ts); every test file belongs to exactly one tier
 * (`test/tiers.test.ts` checks it).
 * A new test file matches no tier until it is added here — put it in the cheapest tier whose needs it has.
 *
 * - unit: in-process code with fakes — no database, emulator, child process or listening server.
 * - db: in-process code against the real (embedded) PostgreSQL — repositories, handlers, workers, the queue.
 * - channels: an entry point driven from outside — the bots through the Telegram emulator or the local Bot API /
 *   VK fakes, the HTTP app, the `mcu` CLI and the app's own process.
 * - faults: the fault suite — the database killed or frozen under load, the app SIGKILLed, malformed payloads,
 *   the log scan for personal data, the embedded server's supervision, root in a 0700 home, Ctrl-C.
 * - e2e: the web console in a real browser (Debian's Chromium at /usr/bin/chromium, driven by playwright-core)
 *   against the app and its bot on the emulator; skipped with a message where Chromium is missing, failed in CI.
 */
export const tiers = {
  unit: [
    'test/config/**/*.test.ts',
    'test/lib/**/*.test.ts',
    'test/deadlines/**/*.test.ts',
    'test/exports/export-writers.test.ts',
    'test/logger.test.ts',
    'test/production/dependencies.test.ts',
    'test/tiers.test.ts',
    'test/privacy/{mask,forget-conversation}.test.ts',
    'test/logs/error-serializer.test.ts',
    'test/bots/telegram/poller.test.ts',
    'test/bots/city-texts.test.ts',
    'test/bots/outbound/**/*.test.ts',
    'test/bots/max/**/*.test.ts',
    'test/bots/broadcast/{pacer,render}.test.ts',
    'test/classifier/{calibrate,classifier,default-model,read-records,tokenize}.test.ts',
    'test/handlers/{micro-batcher,quality-gate,sanitize,subscriptions}.test.ts',
    'test/bots/subscription-screens.test.ts',
    'test/bots/broadcast-wizard.test.ts',
    'test/inbox/edge.test.ts',
    'test/models/{answer-target,case-lifecycle,codecs}.test.ts',
    'test/openapi/**/*.test.ts',
    'test/structuring/{assess,classifier-examples,eval-barnaul,gazetteer,geo,intent-ask,intent-model,intent,lookalikes}.test.ts',
    'test/page-monitoring/{alert-texts,figures,vk-reader,page-voices}.test.ts',
  ],
  db: [
    'test/handlers/{answers,case-actions,crash,digest,follow-up-choice,intent-question,invite,person-delivery,polls,prune-event-ledger,reminders,weekly-report}.test.ts',
    'test/handlers/analytics-*.test.ts',
    'test/handlers/{broadcast-progress,staff-broadcasts}.test.ts',
    'test/handlers/production-calendar.test.ts',
    'test/privacy/{retention,retention-cases,forget-handler}.test.ts',
    'test/broadcasts/**/*.test.ts',
    'test/exports/{analytics-export,cases-export,csv-copy}.test.ts',
    'test/inbox/{inbox-store,inbox-worker}.test.ts',
    'test/ingest/**/*.test.ts',
    'test/jobs/**/*.test.ts',
    'test/models/{business-metrics,intake-batch,migrate,staff-accounts,subscription-repository}.test.ts',
    'test/structuring/{retrain,structure-case}.test.ts',
    'test/pages/{registry,staff-pages}.test.ts',
    'test/page-monitoring/{monitoring,channels,max-comments,rating}.test.ts',
  ],
  channels: [
    'test/console/**/*.test.ts',
    'test/channels/**/*.test.ts',
    'test/http/**/*.test.ts',
    'test/bots/answer-photos.test.ts',
    'test/bots/broadcast/{telegram,vk,max}.test.ts',
    'test/cli/**/*.test.ts',
    'test/classifier/cli.test.ts',
    'test/privacy/forget.test.ts',
    'test/production/start-prod.test.ts',
    'test/app/{database-mode,reminders-two-instances,sandbox,sandbox-broadcasts,sandbox-officials,shutdown}.test.ts',
  ],
  faults: [
    'test/faults/**/*.test.ts',
    'test/logs/no-personal-data.test.ts',
    'test/app/{ctrl-c,embedded-supervision,root-home}.test.ts',
  ],
  e2e: ['test/e2e/**/*.test.ts'],
} as const;

/** Shared by every tier: forked workers, two at a time over the whole run, generous timeouts for the app tests. */
const common = { testTimeout: 30_000, hookTimeout: 60_000, pool: 'forks', maxWorkers: 2 } as const;

/**
 * The tiers that need PostgreSQL share one embedded server started by this globalSetup (see the file); the unit
 * tier has none, so `npm run test:unit` starts no database.
 */
const database = { globalSetup: ['test/global-setup.ts'] };

export default defineConfig({
  test: {
    ...common,
    projects: [
      { test: { name: 'unit', include: [...tiers.unit], ...common } },
      { test: { name: 'db', include: [...tiers.db], ...common, ...database } },
      { test: { name: 'channels', include: [...tiers.channels], ...common, ...database } },
      { test: { name: 'faults', include: [...tiers.faults], ...common, ...database } },
      { test: { name: 'e2e', include: [...tiers.e2e], ...common, ...database } },
    ],
  },
});
