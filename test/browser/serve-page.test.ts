// The page of `fedcheck serve` as a person with a browser uses it: the real server (`node bin/fedcheck.js serve`)
// against the shared lab, driven in headless Chromium (Debian's package, through playwright-core) at a phone's width
// (390 px) and a desktop's (1280 px). It proves what the README promises of the page: the probe lines arrive while
// the check still runs, before the report; a failing domain shows its failing check and the fix; the plain form
// post works without JavaScript; the two downloads are the JSON report and the facts of the domain shown; nothing
// is wider than a phone; the Content-Security-Policy blocks nothing the page needs (and does block what it must
// not run); a name that is not a domain, or a domain outside serve.targets, gets the form back with the reason.
// Every request but to the server is blocked, so the page can lean on nothing from the network.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { sharedLab } from '../support/lab.js';
import { tempFolders } from '../support/temp-folders.js';
import { CHROMIUM, CHROMIUM_ARGS, HAVE_CHROMIUM, PHONE, browserTitle, shotPath } from '../support/chromium.js';
import { startServe } from '../support/serve.js';
import type { RunningServe } from '../support/serve.js';

const DESKTOP = { width: 1280, height: 1000 };
/** Its Edge accepts connections and never speaks: the SIP, XMPP and TLS-version probes each wait out the timeout. */
const SLOW = 'silent-edge.test';
const FAILING = 'expired-cert.test';
const HEALTHY = 'healthy.test';

const title = browserTitle('the fedcheck serve page in headless Chromium');

const folder = tempFolders();
let server: RunningServe | undefined;
let origin = '';
let browser: Browser;
/** Requests to anywhere but the server: each was blocked, and there must be none. */
const elsewhere: string[] = [];

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  const lab = sharedLab();
  const dir = folder('serve-page');
  const config = join(dir, 'serve.yaml');
  writeFileSync(
    config,
    stringify({
      own: { sipDomains: [HEALTHY], xmppDomains: [HEALTHY] },
      check: { resolvers: [formatServer(lab.resolver)], allowPrivate: lab.allowPrivate, caFiles: [lab.caFile], timeoutMs: 3000 },
      serve: { targets: ['*.test'] },
    }),
  );
  server = await startServe(['--config', config]);
  origin = server.url;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server === undefined) return;
  // SIGTERM is how a service manager stops it: the probes in flight finish (none are left), then exit 0.
  expect(await server.stop(), server.stderr()).toBe(0);
  expect(server.stdout()).toContain('fedcheck serve: stopped');
});

interface Visit {
  context: BrowserContext;
  page: Page;
  /** The console's CSP complaints: Chromium logs each blocked resource or script there. */
  violations: string[];
  /** Script errors of the page, which would mean the filter script broke. */
  errors: string[];
}

/** A fresh context (no cache, no cookies) at one width, with every request elsewhere than the server blocked. */
async function visit(viewport: { width: number; height: number }, options: { javaScriptEnabled?: boolean } = {}): Promise<Visit> {
  const context = await browser.newContext({ viewport, javaScriptEnabled: options.javaScriptEnabled ?? true, acceptDownloads: true });
  await context.route('**', async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const violations: string[] = [];
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/`, { waitUntil: 'load' });
  return { context, page, violations, errors };
}

/** What a person does: types the domain into the form and presses Check; resolves once the answer's headers came. */
async function submit(page: Page, domain: string): Promise<number> {
  await page.getByRole('textbox', { name: 'Domain', exact: true }).fill(domain);
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.url() === `${origin}/check` && candidate.request().method() === 'POST'),
    page.getByRole('button', { name: 'Check' }).click(),
  ]);
  return response.status();
}

/** The report has arrived and the stream has ended: its sections are there, and the page's end after them. */
async function waitForReport(page: Page): Promise<void> {
  await page.locator('#certificates').waitFor({ state: 'attached', timeout: 30_000 });
  await page.waitForLoadState('load');
}

function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: shotPath(name) });
}

/** The page's width against the screen's: anything wider than the screen makes the whole page scroll sideways. */
function widths(page: Page): Promise<{ page: number; body: number; view: number }> {
  return page.evaluate(() => ({ page: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth }));
}

describe.skipIf(!HAVE_CHROMIUM)(title, () => {
  for (const viewport of [PHONE, DESKTOP]) {
    describe(`at ${viewport.width} px`, () => {
      it(`shows each probe's line while ${SLOW} is still being checked, before the report`, async () => {
        const { context, page, violations, errors } = await visit(viewport);
        try {
          const started = Date.now();
          expect(await submit(page, SLOW)).toBe(200);
          // One look at the page, in the page, at the first moment a probe line shows: what a person sees then.
          const early = await (
            await page.waitForFunction(
              () => {
                const lines = [...document.querySelectorAll('ol.probes li')].filter((li) => li.checkVisibility());
                if (lines.length === 0) return undefined;
                return {
                  lines: lines.length,
                  summary: document.querySelector('#summary') !== null,
                  certificates: document.querySelector('#certificates') !== null,
                  downloads: document.querySelector('p.downloads') !== null,
                  heading: document.querySelector('#progress-title')?.textContent ?? '',
                };
              },
              undefined,
              { polling: 50, timeout: 20_000 },
            )
          ).jsonValue();
          if (early === undefined) throw new Error('no probe line showed');
          expect(early.heading).toBe(`Checking ${SLOW} (federation)`);
          expect(early.lines).toBeGreaterThan(0);
          expect(early).toMatchObject({ summary: false, certificates: false, downloads: false });
          await waitForReport(page);
          // The silent Edge's probes each waited out the 3 s timeout: the report came seconds after the first lines,
          // which kept coming meanwhile, the waited-out ones among them.
          expect(Date.now() - started).toBeGreaterThan(2500);
          const lines = await page.locator('ol.probes li').allInnerTexts();
          expect(lines.length).toBeGreaterThan(early.lines);
          expect(lines.some((line) => /^sip .*timed out/.test(line))).toBe(true);
          expect(await page.locator('#summary').isVisible()).toBe(true);
          expect(await page.locator('section.domain h2').innerText()).toContain(SLOW);
          expect(violations).toEqual([]);
          expect(errors).toEqual([]);
          expect((await screenshot(page, `serve-slow-${viewport.width}.png`)).subarray(1, 4).toString()).toBe('PNG');
        } finally {
          await context.close();
        }
      });

      it(`shows ${FAILING}'s failing certificate check and the fix to make`, async () => {
        const { context, page, violations, errors } = await visit(viewport);
        try {
          expect(await submit(page, FAILING)).toBe(200);
          await waitForReport(page);
          const section = page.locator('section.domain', { has: page.getByRole('heading', { level: 2, name: new RegExp(FAILING.replace('.', '\\.')) }) });
          const heading = section.getByRole('heading', { level: 2 });
          expect(await heading.innerText()).toMatch(new RegExp(`^FAIL\\s+${FAILING.replace('.', '\\.')}`));
          const finding = section.locator('article.finding.fail', { has: page.locator('.check', { hasText: /^tls\.certificate-expiry$/ }) }).first();
          await finding.scrollIntoViewIfNeeded();
          expect(await finding.isVisible()).toBe(true);
          expect(await finding.locator('.message').innerText()).toMatch(/^sip\.expired-cert\.test .*: the certificate expired on .*: partners refuse it$/);
          // checks/tls/certificate-expiry.ts, fix `renew`, filled in for the lab's Edge.
          const fix = finding.locator('.fix p', { hasText: `Renew the certificate of sip.${FAILING} (for ${FAILING}) and install it on every server that presents it` });
          expect(await fix.isVisible()).toBe(true);
          expect(await finding.locator('.fix li').first().innerText()).toMatch(/^Lync \/ Skype for Business Edge: request the new Access Edge external certificate/);
          // The domain table's cell says what to fix first, in view.
          expect(await page.locator('#domains tbody tr', { hasText: FAILING }).locator('td.fix-first').isVisible()).toBe(true);
          // The report's filters run (their script is allowed by its hash) and find the failing domain.
          const filters = page.locator('#filters');
          expect(await filters.isVisible()).toBe(true);
          await filters.locator('select[name="status"]').selectOption('fail');
          expect(await page.locator('#filter-count').innerText()).toBe('1 of 1 domains shown');
          expect(violations).toEqual([]);
          expect(errors).toEqual([]);
          await heading.evaluate((element) => element.scrollIntoView());
          await screenshot(page, `serve-failing-${viewport.width}.png`);
        } finally {
          await context.close();
        }
      });

      it('works without JavaScript: the plain form post shows the probes and the report', async () => {
        const { context, page, violations } = await visit(viewport, { javaScriptEnabled: false });
        try {
          expect(await submit(page, HEALTHY)).toBe(200);
          await waitForReport(page);
          expect(await page.locator('ol.probes li').count()).toBeGreaterThan(5);
          expect(await page.getByRole('heading', { level: 2, name: 'Summary: 0 of 1 domain with problems' }).isVisible()).toBe(true);
          const heading = await page.locator('section.domain h2').innerText();
          expect(heading).toMatch(new RegExp(`^PASS\\s+${HEALTHY.replace('.', '\\.')}`));
          // Without the filter script its controls stay hidden: none is shown that would do nothing.
          expect(await page.locator('#filters').isVisible()).toBe(false);
          expect(await page.getByRole('link', { name: 'Download the JSON report' }).isVisible()).toBe(true);
          // The form is there again, holding the domain, for the next check.
          expect(await page.getByRole('textbox', { name: 'Domain', exact: true }).inputValue()).toBe(HEALTHY);
          expect(violations).toEqual([]);
        } finally {
          await context.close();
        }
      });

      it('downloads the JSON report and the facts of the domain checked', async () => {
        const { context, page } = await visit(viewport);
        try {
          expect(await submit(page, FAILING)).toBe(200);
          await waitForReport(page);
          const fetched = async (name: string) => {
            const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
            const path = await download.path();
            return { file: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
          };
          const json = await fetched('Download the JSON report');
          expect(json.file).toBe(`fedcheck-${FAILING}.json`);
          const report = JSON.parse(json.text) as Report;
          expect(report.domains).toHaveLength(1);
          expect(report.domains[0]?.domain).toBe(FAILING);
          expect(report.domains[0]?.worst).toBe('fail');
          // The report downloaded is the one shown: the same counts as the page's summary.
          expect(await page.locator('#summary .tile.fail .count').innerText()).toBe(String(report.summary.counts.fail));
          const facts = await fetched('Download the facts');
          expect(facts.file).toBe(`fedcheck-${FAILING}-facts.json`);
          const saved = JSON.parse(facts.text) as { format: string; targets: { domain: string }[] };
          expect(saved.format).toBe('fedcheck-facts');
          expect(saved.targets.map((target) => target.domain)).toEqual([FAILING]);
          // A certificate, never a key: the facts are for a ticket.
          expect(facts.text).not.toMatch(/PRIVATE KEY/);
        } finally {
          await context.close();
        }
      });

      it('refuses a name that is not a domain (400) and one outside serve.targets (403), with the form and the reason', async () => {
        const { context, page, violations } = await visit(viewport);
        try {
          expect(await submit(page, 'bad..name')).toBe(400);
          expect(await page.getByRole('alert').innerText()).toMatch(/^Not checked\s+invalid domain "bad\.\.name": expected a DNS name such as example\.com/);
          expect(await page.getByRole('textbox', { name: 'Domain', exact: true }).inputValue()).toBe('bad..name');
          expect(await page.locator('ol.probes').count()).toBe(0);
          expect(await submit(page, 'contoso.com')).toBe(403);
          expect(await page.getByRole('alert').innerText()).toMatch(/^Not checked\s+contoso\.com is not a domain this server probes: add it to serve\.targets/);
          expect(await page.getByRole('textbox', { name: 'Domain', exact: true }).inputValue()).toBe('contoso.com');
          expect(await page.locator('ol.probes').count()).toBe(0);
          expect(violations).toEqual([]);
          await screenshot(page, `serve-refused-${viewport.width}.png`);
        } finally {
          await context.close();
        }
      });
    });
  }

  it('on a phone (390 px): the form and a result page fit the screen, and the CSP blocks nothing the page needs', async () => {
    const { context, page, violations, errors } = await visit(PHONE);
    try {
      expect(await widths(page)).toEqual({ page: PHONE.width, body: PHONE.width, view: PHONE.width });
      // The form's controls are each within the screen.
      for (const control of [page.getByRole('textbox', { name: 'Domain', exact: true }), page.getByRole('combobox', { name: 'What', exact: true }), page.getByRole('button', { name: 'Check' })]) {
        const box = await control.boundingBox();
        expect(box).not.toBeNull();
        expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
      }
      await screenshot(page, 'serve-form-390.png');
      expect(await submit(page, FAILING)).toBe(200);
      await waitForReport(page);
      // The wide parts (the path picture, the commands) scroll inside their figures; the page itself does not.
      const result = await widths(page);
      expect(result.page).toBeLessThanOrEqual(PHONE.width);
      expect(result.body).toBeLessThanOrEqual(PHONE.width);
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
      // The listener hears a violation when there is one: a script the page did not bring is refused and logged.
      await page.evaluate(() => {
        const injected = document.createElement('script');
        injected.textContent = 'document.title = "injected"';
        document.body.append(injected);
      });
      await expect.poll(() => violations.length).toBeGreaterThan(0);
      expect(await page.title()).toBe(`fedcheck: checking ${FAILING}`);
    } finally {
      await context.close();
    }
  });

  it('fetched nothing but from the server', () => {
    expect(elsewhere).toEqual([]);
  });
});
