// The shipped Prometheus examples (examples/prometheus/) are what Prometheus itself accepts, checked by its own
// promtool as a reader would run it: the scrape config and the alerting rules are valid, and the rules' unit tests
// pass. Those unit tests are worth something only if they can fail: a rule file with one threshold or one `for:`
// changed must fail them, naming the alert. And the jobs the alerts select are the jobs the config defines, so that
// renaming one in either file does not silently leave an alert watching nothing.

import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../support/fedcheck.js';
import { runProcess } from '../support/run-process.js';
import type { ProcessResult } from '../support/run-process.js';
import { tempFolders } from '../support/temp-folders.js';
import { HAVE_PROMTOOL } from '../support/validators.js';

const tempFolder = tempFolders();

const CONFIG = 'examples/prometheus/prometheus.yml';
const RULES = 'examples/prometheus/fedcheck-alerts.yml';
const RULE_TESTS = 'examples/prometheus/fedcheck-alerts.test.yml';
const RULE_COUNT = 6;

/** promtool as the README says to run it, from the checkout's root so that it prints the paths a reader types. */
function promtool(args: string[], cwd = ROOT): Promise<ProcessResult> {
  return runProcess('promtool', args, { cwd, timeoutMs: 30000 });
}

describe.skipIf(!HAVE_PROMTOOL)('promtool on examples/prometheus', () => {
  it('check config: the scrape config is valid, and so is the rule file it names', async () => {
    expect(await promtool(['check', 'config', CONFIG])).toEqual({
      code: 0,
      stdout:
        `Checking ${CONFIG}\n  SUCCESS: 1 rule files found\n SUCCESS: ${CONFIG} is valid prometheus config file syntax\n\n` +
        `Checking ${RULES}\n  SUCCESS: ${RULE_COUNT} rules found\n\n`,
      stderr: '',
    });
  });

  it('check rules: the alerting rules are valid', async () => {
    expect(await promtool(['check', 'rules', RULES])).toEqual({ code: 0, stdout: `Checking ${RULES}\n  SUCCESS: ${RULE_COUNT} rules found\n\n`, stderr: '' });
  });

  it("test rules: every alert's unit tests pass", async () => {
    expect(await promtool(['test', 'rules', RULE_TESTS])).toEqual({ code: 0, stdout: `Unit Testing:  ${RULE_TESTS}\n  SUCCESS\n\n`, stderr: '' });
  });

  // One change each that a careless edit could make: the unit tests must catch it, at the negative case meant for
  // it (a certificate 20 days from its end; 9 minutes down), and say which alert broke.
  it.each([
    {
      change: 'the warning at 30 days instead of 14',
      from: 'probe_ssl_earliest_cert_expiry{job=~"fedcheck.*"} - time() < 14 * 86400',
      to: 'probe_ssl_earliest_cert_expiry{job=~"fedcheck.*"} - time() < 30 * 86400',
      alert: 'FedcheckCertificateExpiring',
      at: '15m',
      firing: 'instance="contoso.com"',
    },
    {
      change: 'federation down after 5 minutes instead of 10',
      from: 'expr: probe_success{job=~"fedcheck.*"} == 0\n        for: 10m',
      to: 'expr: probe_success{job=~"fedcheck.*"} == 0\n        for: 5m',
      alert: 'FedcheckFederationDown',
      at: '9m',
      firing: 'instance="contoso.com"',
    },
  ])('test rules fails with $change, naming $alert', async ({ from, to, alert, at, firing }) => {
    const dir = tempFolder('prometheus-rules');
    const rules = readFileSync(join(ROOT, RULES), 'utf8');
    expect(rules, 'the expression to change').toContain(from);
    writeFileSync(join(dir, 'fedcheck-alerts.yml'), rules.replace(from, to));
    copyFileSync(join(ROOT, RULE_TESTS), join(dir, 'fedcheck-alerts.test.yml'));
    // The changed file is still valid: only its tests can tell.
    expect((await promtool(['check', 'rules', 'fedcheck-alerts.yml'], dir)).code).toBe(0);
    const result = await promtool(['test', 'rules', 'fedcheck-alerts.test.yml'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toContain('FAILED:');
    expect(result.stderr).toContain(`alertname: ${alert}, time: ${at}, `);
    const got = result.stderr.slice(result.stderr.indexOf(`alertname: ${alert}, time: ${at}, `)).split('got:[')[1]?.split(']')[0] ?? '';
    expect(got, 'the alert that fired though it should not have').toContain(firing);
  });
});

describe('examples/prometheus/prometheus.yml and the alerts', () => {
  const config = parse(readFileSync(join(ROOT, CONFIG), 'utf8')) as {
    rule_files: string[];
    scrape_configs: { job_name: string; metrics_path?: string; params?: Record<string, string[]>; scrape_interval?: string; scrape_timeout?: string }[];
  };
  const rules = readFileSync(join(ROOT, RULES), 'utf8');
  const probeJobs = config.scrape_configs.filter((job) => job.metrics_path === '/probe');
  /** A Prometheus duration such as 60s or 2m, in seconds; NaN for any other, which no comparison passes. */
  const seconds = (duration = '') => {
    const [, count, unit] = /^(\d+)([sm])$/.exec(duration) ?? [];
    return Number(count) * (unit === 'm' ? 60 : 1);
  };

  it('loads the alert rules', () => {
    expect(config.rule_files).toEqual(['fedcheck-alerts.yml']);
  });

  it('names every probe job so that the alerts select it, and the exporter job as FedcheckServeDown does', () => {
    expect(probeJobs.map((job) => job.job_name)).toContain('fedcheck');
    for (const job of probeJobs) expect(job.job_name).toMatch(/^fedcheck.*$/);
    expect(rules).toContain('probe_success{job=~"fedcheck.*"}');
    expect(config.scrape_configs.map((job) => job.job_name)).toContain('fedcheck_exporter');
    expect(rules).toContain('up{job="fedcheck_exporter"} == 0');
  });

  it('probes with the federation module, and gives each probe less time than the interval between two', () => {
    for (const job of probeJobs) {
      expect(job.params, job.job_name).toEqual({ module: ['federation'] });
      expect(seconds(job.scrape_timeout), job.job_name).toBeLessThan(seconds(job.scrape_interval));
    }
  });
});
