// Headless Chromium (Debian's package) as the browser tests drive it through playwright-core: where it is, the flags
// this machine needs (INTEROP.md), and where screenshots go.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fedcheck.js';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** No sandbox as root, no background traffic to Google. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export const PHONE = { width: 390, height: 844 };

/** The test's output folder (gitignored), kept by CI as artifacts; FEDCHECK_SCREENSHOT_DIR to put them elsewhere. */
const SHOTS = process.env.FEDCHECK_SCREENSHOT_DIR || join(ROOT, 'test-results', 'screenshots');

export function shotPath(name: string): string {
  mkdirSync(SHOTS, { recursive: true });
  return join(SHOTS, name);
}

/** The title of a browser test's describe: it says SKIPPED, and the package to install, when Chromium is missing. */
export function browserTitle(what: string): string {
  return HAVE_CHROMIUM ? what : `${what}: SKIPPED, ${CHROMIUM} is missing (apt-get install -y chromium)`;
}
