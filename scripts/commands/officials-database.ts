/** The app's database for the `mcu officials` commands: DATABASE_URL, or the embedded PostgreSQL as `npm start` runs it. */
import type { DomainConfig } from '../../config/domain.js';
import { loadDomainConfig } from '../../config/domain.js';
import { type AppConfig, loadConfig, readEnvironment } from '../../config/index.js';
import type { Db } from '../../models/database.js';
import { openDatabase } from '../../models/database.js';
import { startEmbeddedPostgres } from '../../models/embedded-postgres.js';
import { migrateToLatest } from '../../models/migrate.js';

export interface OfficialsContext {
  config: Readonly<AppConfig>;
  domain: DomainConfig;
  db: Db;
}

/** Runs `work` on the migrated database and closes everything after, whatever happens. */
export async function withAppDatabase<T>(work: (ctx: OfficialsContext) => Promise<T>): Promise<T> {
  const config = loadConfig(readEnvironment());
  const domain = loadDomainConfig(config.domainConfigPath);
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const handle = openDatabase({ connectionString: config.databaseUrl ?? embedded?.connectionString ?? '' });
  try {
    await migrateToLatest(handle.db);
    return await work({ config, domain, db: handle.db });
  } finally {
    await handle.close();
    await embedded?.stop();
  }
}
