// `fedcheck check --format nagios` against the embedded lab, as Nagios or Icinga runs it: for each plugin exit code
// 0 to 3 the output follows the Monitoring Plugins guidelines (one status line first whose state word is the exit
// code, perfdata in their grammar, long text after), and --warning-days / --critical-days move a certificate that
// expires between them from one state to another.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fedcheck } from '../support/fedcheck.js';
import type { CliResult } from '../support/fedcheck.js';
import { labArgs } from '../support/lab-args.js';
import { exitCodeOf, parseNagios } from '../support/nagios-output.js';
import type { NagiosOutput } from '../support/nagios-output.js';
import { tempFolders } from '../support/temp-folders.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const DAY = 86_400;
const tempFolder = tempFolders();
let lab: SharedLab;
let caFile: string;

beforeAll(async () => {
  lab = sharedLab();
  caFile = lab.caFile;
});
afterAll(async () => {
});

/** Runs the plugin and holds its output to the guidelines, the state word to the exit code. */
async function plugin(args: string[]): Promise<NagiosOutput & { result: CliResult }> {
  const result = await fedcheck(['check', ...args, '--format', 'nagios']);
  const parsed = parseNagios(result.stdout);
  expect(result.code, result.stdout).toBe(exitCodeOf(parsed.state));
  return { ...parsed, result };
}

const labCheck = (...args: string[]) => plugin([...args, ...labArgs(lab, [caFile])]);

describe('fedcheck check --format nagios on the lab', () => {
  it('0 OK: healthy.test, with the certificate time left in seconds and the default thresholds', async () => {
    const { state, text, perfdata, longText, result } = await labCheck('healthy.test');
    expect(state).toBe('OK');
    expect(result.stderr).toBe('');
    expect(text).toBe('1 domain, no problems; SIP 1 ok, 0 with problems, XMPP 1 ok, 0 with problems; earliest certificate expires in 364 days (healthy.test)');
    // The lab's certificates are valid for a year from the lab's start.
    const left = Number(perfdata.certificate_expiry?.value);
    expect(left).toBeGreaterThan(363 * DAY);
    expect(left).toBeLessThan(366 * DAY);
    expect(perfdata.certificate_expiry).toMatchObject({ uom: 's', warn: `${30 * DAY}:`, crit: `${7 * DAY}:` });
    expect(perfdata.fail).toEqual({ value: '0', uom: '', warn: '', crit: '', min: '0', max: '' });
    expect(Object.keys(perfdata)).toEqual(['certificate_expiry', 'fail', 'warn', 'error', 'domains', 'sip_problems', 'xmpp_problems']);
    expect(longText).toEqual([]);
  });

  it('1 WARNING: expiring-soon.test, its certificate under the 30 warning days, named in the long text', async () => {
    const { state, text, perfdata, longText } = await labCheck('expiring-soon.test');
    expect(state).toBe('WARNING');
    expect(text).toMatch(/^1 of 1 domains with problems: 0 fail, 0 error, 2 warn; worst: expiring-soon\.test; .*earliest certificate expires in (9|10) days \(expiring-soon\.test\)$/);
    expect(perfdata.warn?.value).toBe('2');
    expect(longText).toHaveLength(1);
    expect(longText[0]).toMatch(/^expiring-soon\.test: WARN tls\.certificate-expiry: sip\.expiring-soon\.test \S+:5061: the certificate expires on \S+, in (9|10) days \(warning at 30\) \(\+1 more problem\)$/);
  });

  it('the thresholds move that certificate: CRITICAL under --critical-days 15, OK under --warning-days 5', async () => {
    const critical = await labCheck('expiring-soon.test', '--critical-days', '15');
    expect(critical.state).toBe('CRITICAL');
    expect(critical.perfdata.fail?.value).toBe('2');
    expect(critical.perfdata.certificate_expiry).toMatchObject({ warn: `${30 * DAY}:`, crit: `${15 * DAY}:` });
    expect(critical.longText[0]).toMatch(/: FAIL tls\.certificate-expiry: .* in only (9|10) days \(critical at 15\): renew it now/);
    const ok = await labCheck('expiring-soon.test', '--warning-days', '5', '--critical-days', '2');
    expect(ok.state).toBe('OK');
    expect(ok.perfdata.certificate_expiry).toMatchObject({ warn: `${5 * DAY}:`, crit: `${2 * DAY}:` });
  });

  it('a replay judges with the thresholds the facts were gathered with', async () => {
    const facts = join(tempFolder('nagios-replay'), 'facts.json');
    const live = await labCheck('expiring-soon.test', '--critical-days', '15', '--save-facts', facts);
    const again = await plugin(['--replay', facts]);
    expect([live.state, again.state]).toEqual(['CRITICAL', 'CRITICAL']);
    expect(again.perfdata.certificate_expiry?.crit).toBe(`${15 * DAY}:`);
  });

  it('2 CRITICAL: expired-cert.test, its certificate expired, the time left negative', async () => {
    const { state, perfdata, longText } = await labCheck('expired-cert.test');
    expect(state).toBe('CRITICAL');
    expect(Number(perfdata.certificate_expiry?.value)).toBeLessThan(-10 * DAY);
    expect(longText).toEqual([expect.stringMatching(/^expired-cert\.test: FAIL /)]);
  });

  it('3 UNKNOWN: the run deadline cut the probes short', async () => {
    const { state, text } = await labCheck('healthy.test', '--deadline', '1');
    expect(state).toBe('UNKNOWN');
    expect(text).toMatch(/^the run deadline was reached before every probe finished; /);
  });

  it('3 UNKNOWN: no resolver answers, with the reason on stdout and on stderr', async () => {
    // The discard port on loopback: nothing listens there, so the resolver answers nothing.
    const { state, text, perfdata, longText, result } = await plugin(['healthy.test', '--resolver', '127.0.0.1:9', '--allow-private', '--timeout', '500']);
    expect(state).toBe('UNKNOWN');
    expect(text).toBe('resolver 127.0.0.1:9 did not answer (network): check --resolver');
    expect(perfdata).toEqual({});
    expect(longText).toEqual([]);
    expect(result.stderr).toBe(`fedcheck: ${text}\n`);
  });

  it('3 UNKNOWN from fedcheck run too: a config file that cannot be read', async () => {
    const result = await fedcheck(['run', '--config', join(tempFolder('nagios-run'), 'missing.yaml'), '--format', 'nagios']);
    const { state, text } = parseNagios(result.stdout);
    expect([state, result.code]).toEqual(['UNKNOWN', 3]);
    expect(text).toMatch(/^cannot read config file ".*missing\.yaml": ENOENT/);
  });

  it.each([
    [['--warning-days', '0'], 'invalid --warning-days "0": expected a whole number of days, such as 30'],
    [['--critical-days', 'soon'], 'invalid --critical-days "soon": expected a whole number of days, such as 7'],
    [['--critical-days', '30'], '--critical-days 30 must be fewer than --warning-days 30: a certificate is a warning first, then critical'],
    [['--warn-days', '10', '--warning-days', '20'], '--warn-days is the former name of --warning-days: give only one of them'],
    [['--no-such-option'], "unknown option '--no-such-option'"],
  ])('3 UNKNOWN: bad input %j, in one line', async (args, reason) => {
    const { state, text, result } = await plugin(['healthy.test', ...args]);
    expect(state).toBe('UNKNOWN');
    expect(text).toBe(reason);
    expect(result.stderr).toBe(`fedcheck: ${reason}\n`);
  });
});
