import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { tempDir } from './cli-harness.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The browser tests skip when /usr/bin/chromium is absent (a machine without it: `npm test` still
 * passes) or when DNBOT_SKIP_BROWSER=1. CI installs chromium first (.ci/run), so there they run.
 */
export const SKIP_BROWSER = process.env['DNBOT_SKIP_BROWSER'] === '1' || !existsSync(CHROMIUM);

/**
 * Debian's chromium driven by playwright-core, in a fresh profile.
 * @throws Error with how to install it when /usr/bin/chromium is absent.
 */
export async function launchChromium(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y --no-install-recommends chromium; .ci/run does it) or set DNBOT_SKIP_BROWSER=1 to skip the browser tests`);
  }
  return chromium.launchPersistentContext(tempDir('dnbot-chromium-'), { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1440, height: 900 } });
}
