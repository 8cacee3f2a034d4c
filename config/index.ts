import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

export {
  APP_ROLES,
  type AppConfig,
  type AppRole,
  loadConfig,
  type MaxConfig,
  type TelegramConfig,
  type VkConfig,
} from './env.js';
export { ConfigError } from './errors.js';

/**
 * The process environment merged over `.env` (if present in `cwd`): real variables win, so a
 * deployment can override a developer's file. This and loadConfig are the only readers of the env.
 */
export function readEnvironment(cwd: string = process.cwd()): Record<string, string | undefined> {
  const file = resolve(cwd, '.env');
  // Node's own .env parser (util.parseEnv): the same KEY=value, quotes and # comments as dotenv.
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}
