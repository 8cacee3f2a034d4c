import { randomBytes } from 'node:crypto';
import emulatorModule from 'telegram-test-api';
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { freeLoopbackPort } from '../../models/embedded-postgres.js';

export interface TelegramEmulator {
  apiRoot: string;
  token: string;
  server: TelegramServer;
  stop(): Promise<void>;
}

// The package is CommonJS compiled from TypeScript: under Node's ESM loader its class sits on `.default`.
const TelegramServerClass = ((emulatorModule as unknown as { default?: typeof TelegramServer }).default ??
  emulatorModule) as unknown as typeof TelegramServer;

/** Starts telegram-test-api (a local Bot API emulator) on a free loopback port with a fresh bot token. */
export async function startTelegramEmulator(port?: number): Promise<TelegramEmulator> {
  const chosenPort = port ?? (await freeLoopbackPort());
  const server = new TelegramServerClass({ port: chosenPort, host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  const token = `7000000000:SANDBOX${randomBytes(12).toString('hex')}`;
  let stopped: Promise<void> | null = null;
  return {
    apiRoot: server.config.apiURL,
    token,
    server,
    stop: () => {
      if (!stopped) stopped = server.stop().then(() => undefined);
      return stopped;
    },
  };
}
