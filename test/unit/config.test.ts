// The config file: valid ones load with their defaults; each bad one is one line naming the file, the line,
// the field's path and what was expected.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configTargets, loadConfig, parseConfig } from '../../src/config/load.js';
import { CISCO_BLOCK_START, STARTER_CONFIG } from '../../src/config/starter.js';
import { UsageError } from '../../src/model/errors.js';
import { lintPolicy } from '../../src/policy/lint.js';
import { ROOT } from '../support/fedcheck.js';
import { tempFolders } from '../support/temp-folders.js';

const tempFolder = tempFolders();

const MINIMAL = 'own:\n  sipDomains: [contoso.com]\n';

/** The error a config text raises, asserted to be one UsageError line. */
function errorOf(text: string, source = 'test.yaml'): string {
  try {
    parseConfig(text, source);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('the config loaded, but an error was expected');
}

/** The starter with its Cisco block uncommented, as an admin with IM and Presence would. */
function starterWithCisco(): string {
  const lines = STARTER_CONFIG.split('\n');
  const start = lines.indexOf(CISCO_BLOCK_START);
  let end = start;
  while (lines[end]?.startsWith('  # ')) end += 1;
  return [...lines.slice(0, start), ...lines.slice(start, end).map((line) => line.replace(/^ {2}# /, '  ')), ...lines.slice(end)].join('\n');
}

describe('valid configs', () => {
  it('loads the starter config fedcheck init writes, and it lints clean', () => {
    const config = parseConfig(STARTER_CONFIG, 'fedcheck.yaml');
    expect(config.own.sipDomains).toEqual(['contoso.com']);
    expect(config.own.cisco).toBeUndefined();
    const problems = lintPolicy(config).filter((finding) => finding.status !== 'pass' && finding.status !== 'skip');
    expect(problems.map((finding) => finding.message)).toEqual([]);
  });

  it('loads the starter with its Cisco block uncommented, and that lints clean too (no next hop probed)', () => {
    const config = parseConfig(starterWithCisco(), 'fedcheck.yaml');
    expect(config.own.cisco?.staticRoutes).toEqual([
      { destinationPattern: '.com.fabrikam', nextHop: '10.0.0.21', nextHopPort: 5061, protocol: 'TLS', priority: 1, routeType: 'domain' },
    ]);
    const problems = lintPolicy(config).filter((finding) => finding.status !== 'pass' && finding.status !== 'skip');
    expect(problems.map((finding) => finding.message)).toEqual([]);
  });

  it('fills every default from a minimal file', () => {
    const config = parseConfig(MINIMAL, 'min.yaml');
    expect(config.source).toBe('min.yaml');
    expect(config.own.xmppDomains).toEqual([]);
    expect(config.own.federation).toEqual({
      mode: 'allow-all-except-blocked',
      partnerDiscovery: true,
      allowedDomains: [],
      blockedDomains: [],
      hostingProviders: [],
      xmppPartners: [],
      externalAccessPolicies: [],
    });
    expect(config.partners).toEqual([]);
    expect(config.thresholds).toEqual({ certificateWarningDays: 30, certificateCriticalDays: 7 });
    expect(config.check).toEqual({ resolvers: [], allowPrivate: [], timeoutMs: 5000, deadlineMs: 60000, concurrency: 32, caFiles: [], vantage: 'external', revocation: false });
    expect(config.outputs).toEqual({});
    expect(config.history).toEqual({ keep: 30 });
    expect(config.fromDomain).toBe('contoso.com');
  });

  it('normalizes domains as DNS sees them and accepts bare domains in lists', () => {
    const config = parseConfig(
      ['own:', '  sipDomains: [Contoso.COM.]', '  xmppDomains: [bücher.example]', '  federation:', '    allowedDomains: [Fabrikam.com]', 'partners: [FABRIKAM.com.]'].join('\n'),
      'test.yaml',
    );
    expect(config.own.sipDomains).toEqual(['contoso.com']);
    expect(config.own.xmppDomains).toEqual(['xn--bcher-kva.example']);
    expect(config.own.federation.allowedDomains).toEqual([{ domain: 'fabrikam.com' }]);
    // A bare domain requires no service: its services stay unwritten.
    expect(config.partners).toEqual([{ domain: 'fabrikam.com' }]);
    // XMPP first: the `from` of an XMPP stream is the XMPP domain.
    expect(config.fromDomain).toBe('xn--bcher-kva.example');
  });

  it('reads Cisco protocols in any case and fills the route defaults', () => {
    const config = parseConfig(`${MINIMAL}  cisco:\n    staticRoutes:\n      - { destinationPattern: .com.fabrikam, nextHop: 10.0.0.21, protocol: tcp, nextHopPort: 5060 }\n`, 'test.yaml');
    expect(config.own.cisco).toEqual({
      federationDomains: [],
      staticRoutes: [{ destinationPattern: '.com.fabrikam', nextHop: '10.0.0.21', nextHopPort: 5060, protocol: 'TCP', priority: 1, routeType: 'domain' }],
      emailAddressForFederation: false,
      partitionedIntradomainFederation: false,
    });
  });

  it('resolves file paths against the config file, not the working directory', () => {
    const dir = tempFolder('config');
    const path = join(dir, 'fedcheck.yaml');
    writeFileSync(path, `${MINIMAL}check:\n  caFiles: [certs/partner-ca.pem, /etc/ssl/ca.pem]\noutputs:\n  dir: reports\n  historyDir: /var/lib/fedcheck\n`);
    const config = loadConfig(path);
    expect(config.check.caFiles).toEqual([join(dir, 'certs/partner-ca.pem'), '/etc/ssl/ca.pem']);
    expect(config.outputs).toEqual({ dir: join(dir, 'reports'), historyDir: '/var/lib/fedcheck' });
  });

  it('loads the shared fixtures', () => {
    for (const name of ['policy-clean.yaml', 'policy-contradictions.yaml']) {
      expect(loadConfig(join(ROOT, 'fixtures', 'configs', name)).own.sipDomains).toEqual(['contoso.com']);
    }
  });
});

describe('configTargets', () => {
  it('lists own domains first with the services we run, then partners once each', () => {
    const config = parseConfig(
      [
        'own:',
        '  sipDomains: [contoso.com, contoso.net]',
        '  xmppDomains: [contoso.com, chat.contoso.com]',
        '  federation:',
        '    allowedDomains: [{ domain: tailspintoys.com, proxyFqdn: sip.tailspintoys.com }]',
        '    xmppPartners: [{ domain: litware.com, proxyFqdn: xmpp.litware.com }]',
        'partners:',
        '  - { domain: fabrikam.com, services: [sip] }',
        '  - { domain: tailspintoys.com, services: [sip] }',
        '  - { domain: fabrikam.com, services: [xmpp] }',
        '  - contoso.com',
        '  - { domain: litware.com, edge: edge.litware.com }',
      ].join('\n'),
      'test.yaml',
    );
    expect(configTargets(config)).toEqual([
      // Our own domains must offer what they are listed for.
      { domain: 'contoso.com', input: 'contoso.com', services: ['sip', 'xmpp'], expected: ['sip', 'xmpp'], role: 'own' },
      { domain: 'contoso.net', input: 'contoso.net', services: ['sip'], expected: ['sip'], role: 'own' },
      { domain: 'chat.contoso.com', input: 'chat.contoso.com', services: ['xmpp'], expected: ['xmpp'], role: 'own' },
      // Written services are required; two entries require both.
      { domain: 'fabrikam.com', input: 'fabrikam.com', services: ['sip', 'xmpp'], expected: ['sip', 'xmpp'], role: 'partner' },
      // Direct federation: the allowed list's ProxyFqdn is where the partner is probed, and SIP is required there.
      { domain: 'tailspintoys.com', input: 'tailspintoys.com', services: ['sip'], expected: ['sip'], role: 'partner', edge: 'sip.tailspintoys.com' },
      // No services written: both looked at, and only what a configured server implies is required.
      {
        domain: 'litware.com',
        input: 'litware.com',
        services: ['sip', 'xmpp'],
        expected: ['sip', 'xmpp'],
        role: 'partner',
        edge: 'edge.litware.com',
        xmppEdge: 'xmpp.litware.com',
      },
    ]);
  });

  it('requires nothing of a bare partner: a service it does not publish is information', () => {
    const config = parseConfig(`${MINIMAL}partners: [fabrikam.com]\n`, 'test.yaml');
    expect(configTargets(config)[1]).toEqual({ domain: 'fabrikam.com', input: 'fabrikam.com', services: ['sip', 'xmpp'], expected: [], role: 'partner' });
  });
});

describe('bad configs: one line with the file, the line, the field path and the expectation', () => {
  const cases: { name: string; text: string; expected: string }[] = [
    {
      name: 'a misspelt key, with the key meant',
      text: 'own:\n  sipDomains: [contoso.com]\n  federation:\n    alowedDomains: []\n',
      expected: 'test.yaml:4:5: own.federation: unknown key "alowedDomains": did you mean "allowedDomains"?',
    },
    {
      name: 'an unknown key far from any known one, with the keys allowed',
      text: `${MINIMAL}colour: blue\n`,
      expected: '(top level): unknown key "colour": expected one of own, partners, thresholds, fromDomain, check, outputs',
    },
    {
      name: 'a bad Edge FQDN deep in a list',
      text: `${MINIMAL}  federation:\n    allowedDomains:\n      - a.com\n      - b.com\n      - { domain: c.com, proxyFqdn: "sip_edge" }\n`,
      expected: 'test.yaml:7:26: own.federation.allowedDomains[2].proxyFqdn: invalid domain "sip_edge": expected a DNS name such as example.com',
    },
    {
      name: 'an unknown federation mode',
      text: `${MINIMAL}  federation:\n    mode: open\n`,
      expected: 'own.federation.mode: expected allow-all-except-blocked, allow-listed-only or disabled, got "open"',
    },
    {
      name: 'a timeout with a unit',
      text: `${MINIMAL}check:\n  timeoutMs: 5s\n`,
      expected: 'test.yaml:4:3: check.timeoutMs: expected a whole number of milliseconds, got "5s"',
    },
    { name: 'no own section', text: 'partners: [fabrikam.com]\n', expected: 'test.yaml: own: missing: expected a mapping of keys to values' },
    { name: 'an empty file', text: '', expected: 'test.yaml: own: missing: expected a mapping of keys to values' },
    { name: 'no own domain', text: 'own:\n  sipDomains: []\n', expected: 'own.sipDomains: expected at least one own domain in sipDomains or xmppDomains' },
    { name: 'a domain that is a number', text: 'own:\n  sipDomains: [42]\n', expected: 'own.sipDomains[0]: expected a domain name such as contoso.com, got 42' },
    {
      name: 'a resolver that is a host name',
      text: `${MINIMAL}check:\n  resolvers: [dns.google]\n`,
      expected: 'check.resolvers[0]: invalid resolver "dns.google": expected an IP address with an optional port',
    },
    { name: 'a network without a prefix length', text: `${MINIMAL}check:\n  allowPrivate: [10.0.0.0/33]\n`, expected: 'check.allowPrivate[0]: invalid network "10.0.0.0/33"' },
    {
      name: 'a static route protocol Cisco does not offer',
      text: `${MINIMAL}  cisco:\n    staticRoutes:\n      - { destinationPattern: .com.fabrikam, nextHop: 10.0.0.1, protocol: sctp }\n`,
      expected: 'own.cisco.staticRoutes[0].protocol: expected TLS, TCP or UDP, got "SCTP"',
    },
    {
      name: 'a port out of range',
      text: `${MINIMAL}  cisco:\n    staticRoutes:\n      - { destinationPattern: .com.fabrikam, nextHop: 10.0.0.1, nextHopPort: 70000 }\n`,
      expected: 'own.cisco.staticRoutes[0].nextHopPort: expected a port number from 1 to 65535, such as 5061, got 70000',
    },
    {
      name: 'a next hop that is neither an address nor a name',
      text: `${MINIMAL}  cisco:\n    staticRoutes:\n      - { destinationPattern: .com.fabrikam, nextHop: "10.0.0" }\n`,
      expected: 'own.cisco.staticRoutes[0].nextHop: invalid next hop "10.0.0": expected a DNS name such as example.com (the last label is numeric: an address, not a domain) or an IP address such as 10.0.0.21',
    },
    {
      name: 'thresholds the wrong way round',
      text: `${MINIMAL}thresholds:\n  certificateWarningDays: 7\n  certificateCriticalDays: 14\n`,
      expected: 'thresholds.certificateCriticalDays: expected fewer days than certificateWarningDays',
    },
    {
      name: 'a service fedcheck does not check',
      text: `${MINIMAL}partners:\n  - { domain: fabrikam.com, services: [sip, irc] }\n`,
      expected: 'partners[0].services[1]: expected sip or xmpp, got "irc"',
    },
    { name: 'no run kept in the history', text: `${MINIMAL}history:\n  keep: 0\n`, expected: 'test.yaml:4:3: history.keep: expected at least 1 (runs), got 0' },
    { name: 'a fraction of a run kept', text: `${MINIMAL}history:\n  keep: 2.5\n`, expected: 'test.yaml:4:3: history.keep: expected a whole number of runs, got 2.5' },
    { name: 'a key of history misspelt', text: `${MINIMAL}history:\n  keeep: 5\n`, expected: 'test.yaml:4:3: history: unknown key "keeep"' },
    { name: 'a webhook that is not http', text: `${MINIMAL}outputs:\n  webhookUrl: ftp://example.com/hook\n`, expected: 'outputs.webhookUrl: expected an http:// or https:// URL, got "ftp://example.com/hook"' },
    { name: 'a list given as a string', text: 'own:\n  sipDomains: contoso.com\n', expected: 'own.sipDomains: expected a list, got "contoso.com"' },
    { name: 'a switch given as a word', text: `${MINIMAL}  federation:\n    partnerDiscovery: yes\n`, expected: 'own.federation.partnerDiscovery: expected true or false, got "yes"' },
    {
      name: 'several problems: the first, and how many more',
      text: 'own:\n  sipDomains: [contoso.com]\n  federation:\n    mode: open\n    partnerDiscovery: sometimes\n',
      expected: 'own.federation.mode: expected allow-all-except-blocked, allow-listed-only or disabled, got "open" (and 1 more problem)',
    },
    { name: 'a YAML syntax error, with line and column', text: 'own:\n  sipDomains: [contoso.com\npartners: []\n', expected: 'test.yaml:3:1: YAML syntax error:' },
    { name: 'a key given twice', text: `${MINIMAL}partners: []\npartners: []\n`, expected: 'test.yaml:4:1: YAML syntax error: Map keys must be unique' },
  ];
  for (const { name, text, expected } of cases) {
    it(name, () => {
      expect(errorOf(text)).toContain(expected);
    });
  }

  it('names an unreadable file', () => {
    expect(() => loadConfig('/nonexistent/fedcheck.yaml')).toThrow(/^cannot read config file "\/nonexistent\/fedcheck.yaml": ENOENT/);
  });
});
