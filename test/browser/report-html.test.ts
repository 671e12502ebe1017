// report.html as an admin sees it: opened from disk in headless Chromium (Debian's package, driven by
// playwright-core; never a downloaded browser) with every network request blocked, asserted on the rendered
// page, and photographed into the test's folder (and into FEDCHECK_SCREENSHOT_DIR, for a person to look at).

import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { startLab } from '../../src/lab/lab.js';
import { PALETTE } from '../../src/report/html-styles.js';
import { fedcheck } from '../support/fedcheck.js';
import { writeNightlyConfig } from '../support/nightly-config.js';

const CHROMIUM = '/usr/bin/chromium';
/** For a person: the top of the report (summary, changes, certificates) and one failing domain. */
/** Where a person who wants to look at the screenshots asks for copies (npm test leaves nothing behind otherwise). */
const SHOTS_FOR_PEOPLE = process.env.FEDCHECK_SCREENSHOT_DIR;
const keepForPeople = (shot: string, name: string) => {
  if (SHOTS_FOR_PEOPLE !== undefined && SHOTS_FOR_PEOPLE !== '') copyFileSync(shot, join(SHOTS_FOR_PEOPLE, name));
};
/** The browser flags this machine needs (INTEROP.md): no sandbox as root, no background traffic to Google. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
const FAILING = 'expired-cert.test';

const haveChromium = existsSync(CHROMIUM);
const title = haveChromium
  ? 'report.html in headless Chromium'
  : `report.html in headless Chromium: SKIPPED, ${CHROMIUM} is missing (apt-get install -y chromium)`;

let dir: string;
let profile: string;
let report: Report;
let context: BrowserContext;
let page: Page;
/** Every request that was not for the file itself: there must be none. */
const attempted: string[] = [];

beforeAll(async () => {
  if (!haveChromium) return;
  const lab = await startLab();
  try {
    const written = writeNightlyConfig(lab, { timeoutMs: 5000 });
    dir = written.dir;
    const args = ['run', '--config', written.config, '--out-dir', join(dir, 'out'), '--history', join(dir, 'history')];
    // Twice, so the page also shows what changed since the last run.
    for (let run = 0; run < 2; run += 1) expect((await fedcheck(args)).code).toBe(2);
  } finally {
    await lab.close();
  }
  report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
  // A fresh profile each time: nothing from an earlier run (cache, cookies) may change what is shown.
  profile = mkdtempSync(join(tmpdir(), 'fedcheck-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 1600 },
  });
  await context.route('**', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    attempted.push(url);
    return route.abort();
  });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(pathToFileURL(join(dir, 'out', 'report.html')).href, { waitUntil: 'load' });
}, 180_000);

afterAll(async () => {
  await context?.close();
  // The screenshots for people were copied out of the test's folder; the folder, its reports and the profile go.
  for (const folder of [profile, dir]) {
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
});

/** An SVG colour attribute as the browser reports a computed colour. */
function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

describe.skipIf(!haveChromium)(title, () => {
  it('renders the summary counts on top, and takes the screenshots', async () => {
    for (const status of ['fail', 'error', 'warn', 'pass'] as const) {
      const count = page.locator(`#summary .tile.${status} .count`);
      await expect.poll(() => count.isVisible()).toBe(true);
      expect(await count.innerText()).toBe(String(report.summary.counts[status]));
    }
    const problems = report.domains.filter((d) => d.worst !== 'pass' && d.worst !== 'skip').length;
    const summary = page.getByRole('heading', { name: `Summary: ${problems} of ${report.domains.length} domains with problems` });
    await expect.poll(() => summary.isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('heading', { name: 'What changed since the last run' }).isVisible()).toBe(true);
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot });
    keepForPeople(shot, 'fedcheck-report.png');
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
  });

  it("shows a failing domain's heading, its path picture in colour, and the fix", async () => {
    const index = report.domains.findIndex((d) => d.domain === FAILING);
    const section = page.locator(`#domain-${index}`);
    const heading = section.getByRole('heading', { level: 2 });
    await heading.scrollIntoViewIfNeeded();
    expect(await heading.isVisible()).toBe(true);
    expect(await heading.innerText()).toMatch(new RegExp(`^FAIL\\s+${FAILING.replace('.', '\\.')}`));
    const svg = section.locator('svg.path');
    const box = await svg.boundingBox();
    expect(box?.width).toBeGreaterThan(0);
    expect(box?.height).toBeGreaterThan(0);
    // The boxes as drawn: computed fills, each box with a real size; a failing node red, a passing one green.
    const boxes = await svg.locator('rect[rx="6"]').evaluateAll((rects) =>
      rects.map((rect) => ({ fill: getComputedStyle(rect).fill, width: rect.getBoundingClientRect().width })),
    );
    expect(boxes.length).toBeGreaterThan(3);
    expect(boxes.every((b) => b.width > 0)).toBe(true);
    const fills = new Set(boxes.map((b) => b.fill));
    expect(fills).toContain(rgb(PALETTE.fail.fill));
    expect(fills).toContain(rgb(PALETTE.pass.fill));
    const fix = report.domains[index]?.findings.find((f) => f.status === 'fail' && f.fix)?.fix?.summary ?? '';
    const fixText = section.locator('.fix p', { hasText: fix }).first();
    await fixText.scrollIntoViewIfNeeded();
    expect(await fixText.isVisible()).toBe(true);
    const shot = join(dir, 'report-domain.png');
    await section.screenshot({ path: shot });
    keepForPeople(shot, 'fedcheck-report-domain.png');
  });

  it('draws the certificate timeline across all domains', async () => {
    const timeline = page.locator('#certificates svg.timeline');
    await timeline.scrollIntoViewIfNeeded();
    const box = await timeline.boundingBox();
    expect(box?.width).toBeGreaterThan(0);
    expect(box?.height).toBeGreaterThan(0);
    const rows = await timeline.locator('g').count();
    expect(rows).toBeGreaterThan(10);
    // The expired certificate is marked in the failure colour.
    const marks = await timeline.locator('g path, g rect[height]').evaluateAll((shapes) => shapes.map((s) => getComputedStyle(s).fill));
    expect(marks).toContain(rgb(PALETTE.fail.stroke));
  });

  it('"Show only domains with problems" hides the clean ones, with no script', async () => {
    const clean = page.locator('section.domain.clean').first();
    expect(await clean.count()).toBe(1);
    await page.locator('#only-problems').check();
    expect(await clean.isVisible()).toBe(false);
    expect(await page.locator(`section.domain.problem`).first().isVisible()).toBe(true);
    await page.locator('#only-problems').uncheck();
  });

  it('fetched nothing: every request but the file itself would have been blocked, and none was made', () => {
    expect(attempted).toEqual([]);
  });
});
