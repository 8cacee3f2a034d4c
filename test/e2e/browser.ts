import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * The browser of the e2e tier: Debian's Chromium (`apt-get install chromium`, which `.ci/run` does when it
 * is missing), driven by playwright-core. Playwright never downloads a browser here: the machines have no
 * route to its CDN, and the distribution's package is the one kept patched.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const INSTALL_HINT = 'apt-get install -y --no-install-recommends chromium';

/**
 * Whether the browser tests can run. In CI (`CI` set) a missing Chromium fails the file with this message,
 * since `.ci/run` installs it and a skip would hide a broken install; on a developer's machine the suite is
 * skipped and says why and how to get it.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `Chromium is not installed at ${CHROMIUM_PATH}; the browser tests need it: ${INSTALL_HINT}`;
  if (process.env.CI) throw new Error(message);
  console.warn(`Skipping the browser tests (test/e2e): ${message}`);
  return false;
}

/**
 * Headless Chromium with a fresh temporary profile (launch()'s default, removed on close). The flags keep it
 * off the network it would otherwise call at start (component updates, sync, Google's hosts), which this
 * closed network refuses many at a time; --no-sandbox because CI runs as root; --disable-dev-shm-usage
 * because a container's /dev/shm is often 64 MB and Chromium crashes when it fills.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
