// report.html as an admin sees it: opened from disk in headless Chromium (Debian's package, driven by
// playwright-core; never a downloaded browser) with every network request blocked, asserted on the rendered
// page at a phone's width (390 px) and a desktop's (1280 px), with and without JavaScript, and photographed into
// test-results/screenshots/ (or FEDCHECK_SCREENSHOT_DIR), which CI keeps as artifacts.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { PALETTE } from '../../src/report/html-styles.js';
import { renderHtml } from '../../src/report/html.js';
import { mostUrgentFix } from '../../src/report/rank.js';
import { fedcheck } from '../support/fedcheck.js';
import { manyDomainReport } from '../support/many-domain-report.js';
import { writeNightlyConfig } from '../support/nightly-config.js';
import { sharedLab } from '../support/lab.js';
import { CHROMIUM, CHROMIUM_ARGS, HAVE_CHROMIUM, PHONE, browserTitle, shotPath } from '../support/chromium.js';

const DESKTOP = { width: 1280, height: 1600 };
const FAILING = 'expired-cert.test';

const title = browserTitle('report.html in headless Chromium');

let dir: string;
let profile: string;
let report: Report;
let context: BrowserContext;
let page: Page;
/** Every request that was not for the file itself: there must be none. */
const attempted: string[] = [];

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  const lab = sharedLab();
  try {
    const written = writeNightlyConfig(lab, { timeoutMs: 5000 });
    dir = written.dir;
    const args = ['run', '--config', written.config, '--out-dir', join(dir, 'out'), '--history', join(dir, 'history')];
    // Twice, so the page also shows what changed since the last run.
    for (let run = 0; run < 2; run += 1) expect((await fedcheck(args)).code).toBe(2);
  } finally {
  }
  report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
  // A fresh profile each time: nothing from an earlier run (cache, cookies) may change what is shown.
  profile = mkdtempSync(join(tmpdir(), 'fedcheck-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: DESKTOP,
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
  // The screenshots stay in their folder; the run's folder, its reports and the profile go.
  for (const folder of [profile, dir]) {
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
});

/** An SVG colour attribute as the browser reports a computed colour. */
function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

describe.skipIf(!HAVE_CHROMIUM)(title, () => {
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
    const shot = shotPath('report-1280.png');
    await page.screenshot({ path: shot });
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
    // The viewport with the section at its top: an element screenshot of a section taller than the screen makes
    // Chromium resize the page to the element, which re-lays out a thousand-line page until the capture times out.
    await heading.evaluate((element) => element.scrollIntoView());
    const shot = shotPath('report-domain-1280.png');
    await page.screenshot({ path: shot });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
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

  it('lists our own domains first, then the partners, each with the fix to make first', async () => {
    const rows = await page.locator('#domains tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ name: tr.querySelector('td.name a')?.textContent ?? '', role: tr.querySelector('.role')?.textContent ?? '', fix: tr.querySelector('td.fix-first')?.textContent ?? '' })),
    );
    expect(rows).toHaveLength(report.domains.length);
    const roles = rows.map((row) => row.role);
    expect(roles[0]).toBe('own');
    expect(roles.lastIndexOf('own')).toBeLessThan(roles.indexOf('partner'));
    const failing = report.domains.find((d) => d.domain === FAILING);
    const fix = mostUrgentFix(failing!);
    expect(fix).toBeDefined();
    const header = await page.locator('#domains thead th').allInnerTexts();
    expect(header.at(-1)).toMatch(/fix first/i);
    expect(rows.find((row) => row.name === FAILING)?.fix).toBe(fix);
    // The cell as shown on the screen, in its column.
    const cell = page.locator('#domains tbody tr', { hasText: FAILING }).locator('td.fix-first');
    expect(await cell.isVisible()).toBe(true);
    expect(await cell.innerText()).toBe(fix);
  });

  it('filters the table and the sections by status, service and text', async () => {
    const form = page.locator('#filters');
    expect(await form.isVisible()).toBe(true);
    const visibleRows = () => page.locator('#domains tbody tr:visible');
    const all = report.domains.length;
    expect(await visibleRows().count()).toBe(all);
    await form.locator('select[name="status"]').selectOption('fail');
    const failing = report.domains.filter((d) => d.worst === 'fail');
    expect(await visibleRows().count()).toBe(failing.length);
    expect(await page.locator('#filter-count').innerText()).toBe(`${failing.length} of ${all} domains shown`);
    expect(await page.locator('section.domain:visible').count()).toBe(failing.length);
    expect(await page.locator('section.domain.clean').first().isVisible()).toBe(false);
    // A service: the domains whose XMPP (not SIP) fails.
    await form.locator('select[name="service"]').selectOption('xmpp');
    const xmppFailing = report.domains.filter((d) => d.serviceSummaries?.some((s) => s.service === 'xmpp' && s.worst === 'fail'));
    expect(xmppFailing.length).toBeLessThan(failing.length);
    expect(await visibleRows().count()).toBe(xmppFailing.length);
    // Text: a domain's name, or a check of its problems.
    await form.locator('select[name="service"]').selectOption('all');
    await form.locator('select[name="status"]').selectOption('all');
    await form.locator('input[name="text"]').fill(FAILING);
    expect(await visibleRows().count()).toBe(1);
    expect(await page.locator('section.domain:visible').count()).toBe(1);
    expect(await page.locator('section.domain:visible h2').innerText()).toContain(FAILING);
    await form.locator('input[name="text"]').fill('tls.certificate-expiry');
    const byCheck = report.domains.filter((d) => d.findings.some((f) => f.checkId === 'tls.certificate-expiry' && ['fail', 'warn', 'error'].includes(f.status)));
    expect(await visibleRows().count()).toBe(byCheck.length);
    await form.locator('input[name="text"]').fill('');
    expect(await visibleRows().count()).toBe(all);
  });

  it('on a phone (390 px): nothing wider than the screen, the fix still in view, and a screenshot', async () => {
    const phone = await context.newPage();
    try {
      await phone.setViewportSize(PHONE);
      await phone.goto(pathToFileURL(join(dir, 'out', 'report.html')).href, { waitUntil: 'load' });
      const widths = await phone.evaluate(() => ({ page: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth }));
      expect(widths.view).toBe(PHONE.width);
      expect(widths.page).toBeLessThanOrEqual(PHONE.width);
      expect(widths.body).toBeLessThanOrEqual(PHONE.width);
      const cell = phone.locator('#domains tbody tr', { hasText: FAILING }).locator('td.fix-first');
      const box = await cell.boundingBox();
      expect(box?.width).toBeGreaterThan(200);
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
      const shot = shotPath('report-390.png');
      await phone.screenshot({ path: shot });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await phone.close();
    }
  });

  it('without JavaScript: no filter controls, and every domain shown', async () => {
    const plain = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const noScript = await plain.newContext({ javaScriptEnabled: false, viewport: PHONE });
      await noScript.route('**', (route) => (route.request().url().startsWith('file:') ? route.continue() : (attempted.push(route.request().url()), route.abort())));
      const view = await noScript.newPage();
      await view.goto(pathToFileURL(join(dir, 'out', 'report.html')).href, { waitUntil: 'load' });
      expect(await view.locator('#filters').isVisible()).toBe(false);
      expect(await view.locator('#domains tbody tr:visible').count()).toBe(report.domains.length);
      expect(await view.locator('section.domain:visible').count()).toBe(report.domains.length);
      expect(await view.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await plain.close();
    }
  });

  it('a thousand domains: under 2 MB, fits a phone, and the filters still find one', async () => {
    const file = join(dir, 'thousand.html');
    writeFileSync(file, renderHtml(manyDomainReport(1000)));
    expect(readFileSync(file).length).toBeLessThanOrEqual(2_000_000);
    const phone = await context.newPage();
    try {
      await phone.setViewportSize(PHONE);
      await phone.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      expect(await phone.locator('#domains tbody tr').count()).toBe(1000);
      await phone.locator('input[name="text"]').fill('wrong-port-007.test');
      expect(await phone.locator('#domains tbody tr:visible').count()).toBe(1);
      expect(await phone.locator('section.domain:visible').count()).toBe(1);
      await phone.screenshot({ path: shotPath('thousand-390.png') });
    } finally {
      await phone.close();
    }
  });

  it('fetched nothing: every request but the file itself would have been blocked, and none was made', () => {
    expect(attempted).toEqual([]);
  });
});
