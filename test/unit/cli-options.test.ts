import { describe, expect, it } from 'vitest';
import { shouldColor, terminalWidth } from '../../src/cli/output.js';
import { parseCheckOptions, parseOutputOptions } from '../../src/cli/options.js';
import { authoritativePortFor } from '../../src/probes/resolvers.js';
import type { CheckFlags, LiveSettings } from '../../src/cli/options.js';
import { progressWanted } from '../../src/cli/progress.js';
import { ALL_NON_PUBLIC } from '../../src/judge/address-scope.js';
import { UsageError } from '../../src/model/errors.js';

const live = (domains: string[], flags: Partial<CheckFlags> = {}): LiveSettings => {
  const { run } = parseCheckOptions(domains, { color: true, ...flags });
  if (run.mode !== 'live') throw new Error('expected a live run');
  return run;
};
const usageError = (domains: string[], flags: Partial<CheckFlags>) => () =>
  parseCheckOptions(domains, { color: true, ...flags });

describe('check options', () => {
  it('uses the documented defaults', () => {
    const run = live(['contoso.com']);
    expect(run).toMatchObject({
      vantage: 'external',
      timeoutMs: 5000,
      deadlineMs: 60000,
      concurrency: 32,
      allowPrivate: [],
      authoritativePort: 53,
      expiryWarningDays: 30,
      expiryCriticalDays: 7,
    });
    expect(run.resolvers).toBeUndefined();
    expect(parseCheckOptions(['contoso.com'], { color: true }).output).toEqual({ format: 'terminal', colorWanted: true });
  });

  it('normalizes domains, keeps what was typed, and drops duplicates', () => {
    expect(live(['Contoso.COM.', 'contoso.com', 'bücher.example']).targets).toEqual([
      { domain: 'contoso.com', input: 'Contoso.COM.', services: ['sip', 'xmpp'], expected: [] },
      { domain: 'xn--bcher-kva.example', input: 'bücher.example', services: ['sip', 'xmpp'], expected: [] },
    ]);
  });

  it('rejects a malformed domain, naming it', () => {
    expect(usageError(['exa mple..com'], {})).toThrow(UsageError);
    expect(usageError(['exa mple..com'], {})).toThrow('"exa mple..com"');
    expect(usageError([], {})).toThrow('no domain given');
  });

  it('derives the services from --sip and --xmpp', () => {
    expect(live(['a.com']).targets[0]?.services).toEqual(['sip', 'xmpp']);
    expect(live(['a.com'], { sip: true }).targets[0]?.services).toEqual(['sip']);
    expect(live(['a.com'], { xmpp: true }).targets[0]?.services).toEqual(['xmpp']);
    expect(live(['a.com'], { sip: true, xmpp: true }).targets[0]?.services).toEqual(['sip', 'xmpp']);
  });

  it('requires the services named by --sip, --xmpp, --expect and --edge, and nothing by default', () => {
    expect(live(['a.com']).targets[0]?.expected).toEqual([]);
    expect(live(['a.com'], { sip: true }).targets[0]?.expected).toEqual(['sip']);
    expect(live(['a.com'], { expect: 'xmpp' }).targets[0]).toMatchObject({ services: ['sip', 'xmpp'], expected: ['xmpp'] });
    expect(live(['a.com'], { expect: 'SIP, xmpp' }).targets[0]?.expected).toEqual(['sip', 'xmpp']);
    expect(live(['a.com'], { edge: 'sip.a.com' }).targets[0]?.expected).toEqual(['sip']);
    expect(usageError(['a.com'], { expect: 'h323' })).toThrow('invalid --expect "h323": expected sip, xmpp or sip,xmpp');
    expect(usageError(['a.com'], { expect: 'xmpp', sip: true })).toThrow('--expect xmpp names a service that is not checked');
  });

  it('normalizes --edge and allows it for one SIP domain only', () => {
    expect(live(['contoso.com'], { edge: 'SIP.Contoso.com.' }).targets[0]?.edge).toBe('sip.contoso.com');
    expect(usageError(['a.com', 'b.com'], { edge: 'sip.a.com' })).toThrow('exactly one domain');
    expect(usageError(['a.com'], { edge: 'sip.a.com', xmpp: true })).toThrow('--sip');
    expect(usageError(['a.com'], { edge: 'not an fqdn' })).toThrow('"not an fqdn"');
  });

  it('parses --resolver and picks the authoritative port', () => {
    const run = live(['a.com'], { resolver: ['127.0.0.1:5353'] });
    expect(run.resolvers).toEqual([{ address: '127.0.0.1', port: 5353 }]);
    expect(run.authoritativePort).toBe(5353);
    expect(live(['a.com'], { resolver: ['192.0.2.1'] }).authoritativePort).toBe(53);
    expect(authoritativePortFor([{ address: '127.0.0.1', port: 5353 }, { address: '127.0.0.2', port: 5353 }])).toBe(53);
    expect(authoritativePortFor([])).toBe(53);
    expect(usageError(['a.com'], { resolver: ['not-an-ip'] })).toThrow('"not-an-ip"');
  });

  it('reads --allow-private without a value as every non-public network, with a list as those networks', () => {
    expect(live(['a.com'], { allowPrivate: true }).allowPrivate).toEqual(ALL_NON_PUBLIC);
    expect(live(['a.com'], { allowPrivate: '127.0.0.0/8, ::1/128' }).allowPrivate).toEqual(['127.0.0.0/8', '::1/128']);
    expect(usageError(['a.com'], { allowPrivate: '10.0.0.0/33' })).toThrow('"10.0.0.0/33"');
    // The domain swallowed as the option's value is named, not reported as "no domain".
    expect(usageError([], { allowPrivate: 'contoso.com' })).toThrow('invalid --allow-private "contoso.com"');
  });

  it('accepts only whole positive numbers for --timeout, --deadline and --concurrency', () => {
    expect(live(['a.com'], { timeout: '500', deadline: '9000', concurrency: '4' })).toMatchObject({
      timeoutMs: 500,
      deadlineMs: 9000,
      concurrency: 4,
    });
    for (const bad of ['0', '-1', '1.5', 'abc', '']) {
      expect(usageError(['a.com'], { timeout: bad })).toThrow(`invalid --timeout "${bad}"`);
    }
    expect(usageError(['a.com'], { concurrency: '0' })).toThrow('--concurrency');
  });

  it('takes the certificate thresholds from --warning-days (or its former name --warn-days) and --critical-days', () => {
    expect(live(['a.com'], { warningDays: '45', criticalDays: '14' })).toMatchObject({ expiryWarningDays: 45, expiryCriticalDays: 14 });
    expect(live(['a.com'], { warnDays: '20' })).toMatchObject({ expiryWarningDays: 20, expiryCriticalDays: 7 });
    expect(usageError(['a.com'], { criticalDays: '0' })).toThrow('invalid --critical-days "0": expected a whole number of days, such as 7');
    expect(usageError(['a.com'], { warningDays: '7' })).toThrow('--critical-days 7 must be fewer than --warning-days 7');
    expect(usageError(['a.com'], { warnDays: '5' })).toThrow('--critical-days 7 must be fewer than --warn-days 5');
    expect(usageError(['a.com'], { warnDays: '40', warningDays: '40' })).toThrow('--warn-days is the former name of --warning-days');
    expect(usageError([], { replay: 'run.json', criticalDays: '3' })).toThrow('--critical-days cannot be combined');
  });

  it('checks --vantage and --format against their choices', () => {
    expect(live(['a.com'], { vantage: 'internal' }).vantage).toBe('internal');
    expect(usageError(['a.com'], { vantage: 'inside' })).toThrow('expected external or internal');
    expect(parseOutputOptions({ format: 'json', color: true }).format).toBe('json');
    expect(parseOutputOptions({ format: 'HTML', color: true }).format).toBe('html');
    expect(() => parseOutputOptions({ format: 'xml', color: true })).toThrow(
      'invalid --format "xml": expected terminal, json, junit, html, md, prom or nagios',
    );
  });

  it('replays a file for the domains given, or all of them, and refuses live-only options', () => {
    expect(parseCheckOptions([], { color: true, replay: 'run.json' }).run).toEqual({
      mode: 'replay',
      file: 'run.json',
      domains: [],
    });
    expect(parseCheckOptions(['Contoso.com'], { color: true, replay: 'run.json' }).run).toMatchObject({
      domains: ['contoso.com'],
    });
    expect(usageError([], { replay: 'run.json', resolver: ['192.0.2.1'], timeout: '5' })).toThrow(
      '--resolver, --timeout cannot be combined',
    );
    expect(usageError([], { replay: 'run.json', saveFacts: 'again.json' })).toThrow('--save-facts');
  });
});

describe('colour and progress', () => {
  const terminal = parseOutputOptions({ color: true });
  const tty = { isTTY: true };

  it('colours only a terminal report going to a TTY, without NO_COLOR or --no-color', () => {
    expect(shouldColor(terminal, tty, {})).toBe(true);
    expect(shouldColor(terminal, {}, {})).toBe(false);
    expect(shouldColor(terminal, tty, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor(terminal, tty, { NO_COLOR: '' })).toBe(true);
    expect(shouldColor(parseOutputOptions({ color: false }), tty, {})).toBe(false);
    expect(shouldColor(parseOutputOptions({ color: true, out: 'report.txt' }), tty, {})).toBe(false);
    expect(shouldColor(parseOutputOptions({ color: true, format: 'json' }), tty, {})).toBe(false);
  });

  it("lays the terminal report out at the terminal's width, COLUMNS over it, 80 without a terminal", () => {
    expect(terminalWidth({ isTTY: true, columns: 132 }, {})).toBe(132);
    expect(terminalWidth({ columns: 132 }, {})).toBe(80);
    expect(terminalWidth({}, {})).toBe(80);
    expect(terminalWidth({ isTTY: true, columns: 132 }, { COLUMNS: '100' })).toBe(100);
    expect(terminalWidth({}, { COLUMNS: '100' })).toBe(100);
    for (const columns of ['', 'wide', '0', '-5', '99.5']) expect(terminalWidth({ isTTY: true, columns: 132 }, { COLUMNS: columns })).toBe(132);
  });

  it('shows the spinner only on a TTY, outside CI, for the terminal format', () => {
    expect(progressWanted('terminal', tty, {})).toBe(true);
    expect(progressWanted('terminal', tty, { CI: 'true' })).toBe(false);
    expect(progressWanted('terminal', {}, {})).toBe(false);
    expect(progressWanted('json', tty, {})).toBe(false);
    expect(progressWanted('terminal', { isTTY: true, columns: 0 }, {})).toBe(false);
  });
});
