import { loadDomainConfig } from '../config/domain.js';
import { ConfigError, loadConfig, readEnvironment } from '../config/index.js';
import { App } from './app.js';
import { createLogger, type Logger, scrubSecrets } from './logger.js';

/** Hard limit for a graceful stop; past it we exit anyway (the brief's promise: exit within 10 s). */
const STOP_DEADLINE_MS = 9_000;
/**
 * One Ctrl-C can arrive twice: the terminal signals the whole foreground group (npm and node) and
 * npm forwards its copy to us. The same signal again within this window is that echo, not a
 * second press; a real second Ctrl-C (later, or a different signal) still forces the exit.
 */
const DUPLICATE_SIGNAL_MS = 300;

async function main(): Promise<void> {
  let app: App;
  let log: Logger;
  try {
    const config = loadConfig(readEnvironment());
    const domain = loadDomainConfig(config.domainConfigPath);
    log = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
    app = new App(config, domain, log);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Invalid configuration — ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  installSignalHandlers(app, log);

  try {
    await app.start();
  } catch (error) {
    if (error instanceof ConfigError) process.stderr.write(`Cannot start — ${error.message}\n`);
    log.fatal({ err: error }, 'start failed');
    await app.stop();
    process.exit(1);
  }
  announce(app, log);
}

function installSignalHandlers(app: App, log: Logger): void {
  let first: { signal: NodeJS.Signals; at: number } | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (first) {
      const gap = Date.now() - first.at;
      if (signal === first.signal && gap < DUPLICATE_SIGNAL_MS) {
        log.debug({ signal, gapMs: gap }, 'same signal again at once (terminal and npm both deliver it); ignored');
        return;
      }
      log.warn({ signal }, 'second signal: forcing exit');
      process.exit(130);
    }
    first = { signal, at: Date.now() };
    log.info({ signal }, 'stopping: intake, then workers, then the database');
    const deadline = setTimeout(() => {
      log.error('graceful stop took too long; exiting');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    app.stop().then(
      () => {
        log.info({ order: app.stopOrder }, 'stopped');
        process.exit(0);
      },
      (error) => {
        log.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection (continuing)'));
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception: stopping');
    app.stop().finally(() => process.exit(1));
  });
}

function announce(app: App, log: Logger): void {
  const info = app.info;
  const lines = [
    `МЦУ platform is up (roles: ${app.config.roles.join(', ')})`,
    info.httpUrl ? `  health:  ${info.httpUrl}/health` : '  http role is off',
    info.httpUrl ? `  metrics: ${info.httpUrl}/metrics` : '',
    info.httpUrl ? `  API:     ${info.httpUrl}/api/v1/status  (Authorization: Bearer <token>)` : '',
    info.httpUrl
      ? `  console: ${app.config.consoleUrl}  (sign in: /login in the staff bot, or npx mcu officials login --role operator)`
      : '',
  ];
  // The token itself is never logged (logs are shipped and kept); it is in a 0600 file.
  if (!app.config.apiToken && (info.apiTokenGenerated || app.config.sandbox)) {
    lines.push(
      `  API token: in ${app.config.dataDir}/api-token  (e.g. Authorization: Bearer $(cat ${app.config.dataDir}/api-token))`,
    );
  }
  if (info.sandbox) {
    lines.push(
      '',
      '  THIS IS A SANDBOX: a local Telegram Bot API emulator, a MAX Bot API fake, simulated citizens',
      '  and officials on drill deadlines (minutes, not days), no real accounts.',
      `  Bot API emulator: ${info.sandbox.telegramApiRoot}`,
      info.sandbox.maxApiBaseUrl ? `  MAX Bot API fake: ${info.sandbox.maxApiBaseUrl}` : '',
      '  Set TELEGRAM_BOT_TOKEN, VK_GROUP_TOKEN and/or MAX_BOT_TOKEN (see .env.example) to run for real.',
    );
  }
  log.info(lines.filter((l) => l !== '').join('\n'));
}

main().catch((error) => {
  process.stderr.write(`fatal: ${scrubSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
  process.exit(1);
});
