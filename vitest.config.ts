import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs every test file once, in one run, with this config. The tiers (unit, db, channels,
 * faults, e2e) are Vitest projects in vitest.tiers.config.ts, for `npm run test:unit` and the like; the
 * full run keeps its own scheduling so the timing-sensitive app and fault tests run as they always have.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Database tests share one embedded PostgreSQL started in globalSetup; each file gets its own database.
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
