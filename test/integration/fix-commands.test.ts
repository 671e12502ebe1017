// Every command a fix offers runs as written. fedcheck checks lab scenarios whose fixes carry commands; each shell
// snippet (and each command quoted in a step) is run here, against the lab: openssl against its TLS listeners,
// dig / kdig against its name servers, curl against its web server. Each must end by itself within a timeout and
// show what the fix says it shows (the certificate subject, the SRV record, the dates...).
//
// How the lab stands in for the internet: the fixes name listeners by address and port, and name servers with
// `@address -p port`, both of which are the lab's own, so those commands run unchanged. A `fedcheck` line uses the
// system resolver, which knows nothing of the lab: it runs as `node bin/fedcheck.js` with the lab's --resolver,
// --allow-private and --timeout appended. A file the admin holds (the `<host>.pem` a fix concatenates) is stood in
// by the certificate the listener serves. Commands that act on the admin's own server (certbot, prosodyctl, rndc...)
// are listed and not run; PowerShell cannot run here, so its cmdlets are checked against their documented parameters.

import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFinding } from '../../src/model/check.js';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { formatServer } from '../../src/probes/resolvers.js';
import optionsResponse from '../../checks/sip/options-response.js';
import { ROOT, fedcheck } from '../support/fedcheck.js';
import { tempFolders } from '../support/temp-folders.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const tempFolder = tempFolders();

/** Scenarios whose fixes carry shell commands: DNS, certificate, TLS version and port faults. */
const DOMAINS = [
  'missing-dot.test',
  'ip-target.test',
  'stale-priority.test',
  'private-root.test',
  'missing-intermediate.test',
  'expired-cert.test',
  'revoked-cert.test',
  'tls10-only.test',
  'ns-disagree.test',
  'wrong-name.test',
  'weak-key.test',
  'self-signed.test',
  'wrong-port.test',
];
/** Loopback answers in milliseconds; the bound is for a loaded machine, and a command that hangs meets it. */
const COMMAND_TIMEOUT_MS = 30_000;
const OUTPUT_CAP = 1024 * 1024;
const BIN = join(ROOT, 'bin', 'fedcheck.js');

/** Tools a fix's shell line may start with that run here, against the lab or on local files. */
const RUNS_HERE = new Set(['openssl', 'dig', 'kdig', 'curl', 'cat', 'awk', 'printf', 'ss', 'fedcheck']);
/** Tools that change the admin's own server: not run against the lab. */
const ON_THE_ADMINS_SERVER = new Set(['certbot', 'prosodyctl', 'ejabberdctl', 'kamcmd', 'rndc', 'systemctl']);
/** `<CRL URL>`: a value the admin fills in; `</dev/null` and `<sip:...>` are not placeholders. */
const PLACEHOLDER = /<[A-Za-z][A-Za-z0-9 -]*>/;

interface FixCommand {
  finding: Finding;
  text: string;
  from: 'snippet' | 'step';
}

interface RunResult {
  code: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  dir: string;
}

let lab: SharedLab;
let report: Report;
let labFlags: string[];

beforeAll(async () => {
  lab = sharedLab();
  const caFile = lab.caFile;
  labFlags = ['--resolver', formatServer(lab.resolver), `--allow-private=${lab.allowPrivate.join(',')}`, '--timeout', '5000'];
  // --revocation: tls.certificate-revocation judges only when asked, and revoked-cert.test's fix carries the serial line.
  const result = await fedcheck(['check', ...DOMAINS, ...labFlags, '--revocation', '--ca-file', caFile, '--format', 'json']);
  expect(result.stderr).toBe('');
  report = JSON.parse(result.stdout) as Report;
});
afterAll(async () => {
});

const findingsWithFixes = () => report.domains.flatMap((domain) => domain.findings.filter((finding) => finding.fix));

/** The tools a shell text invokes: the first word of each line and of each piped or chained part. */
function toolsOf(text: string): string[] {
  return text
    .split(/\n|\||&&/)
    .map((part) => part.trim().replace(/^\(+/, ''))
    .filter((part) => part !== '' && !part.startsWith('#'))
    .map((part) => part.split(/\s+/)[0] ?? '');
}

/** Each fix once, as the commands it offers: its shell snippets, then the commands quoted in its steps, in order. */
function fixCommands(findings: Finding[]): FixCommand[][] {
  const seen = new Set<string>();
  const fixes: FixCommand[][] = [];
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix) continue;
    const snippets = fix.snippets.filter((s) => s.lang === 'shell').map((s): FixCommand => ({ finding, text: s.text, from: 'snippet' }));
    const quoted = fix.steps.flatMap((step) => [...step.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''));
    const steps = quoted
      .filter((text) => [...RUNS_HERE, ...ON_THE_ADMINS_SERVER].includes(toolsOf(text)[0] ?? ''))
      .filter((text) => !snippets.some((snippet) => snippet.text === text))
      .map((text): FixCommand => ({ finding, text, from: 'step' }));
    const commands = [...snippets, ...steps];
    const key = commands.map((command) => command.text).join('\n\n');
    if (commands.length === 0 || seen.has(key)) continue;
    seen.add(key);
    fixes.push(commands);
  }
  return fixes;
}

function hasBinary(name: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a shell text in `dir` with bash, as a user pastes it, killing its process group at the timeout. */
function runShell(text: string, dir: string): Promise<RunResult> {
  const prelude = `fedcheck() { node ${JSON.stringify(BIN)} "$@" ${labFlags.map((flag) => JSON.stringify(flag)).join(' ')}; }\n`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', prelude + text], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, COMMAND_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = (stdout + chunk).slice(0, OUTPUT_CAP)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(0, OUTPUT_CAP)));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, stdout, stderr, dir });
    });
  });
}

/** The listener a TLS finding is about, from its subject `<host> <address>:<port>`. */
function listenerOf(finding: Finding): { host: string; address: string; port: number } {
  const match = /^(\S+) (\S+):(\d+)$/.exec(finding.subject);
  if (!match) throw new Error(`not a listener subject: ${finding.subject}`);
  return { host: match[1] ?? '', address: match[2] ?? '', port: Number(match[3]) };
}

/**
 * The certificate an Edge serves, as PEM: the stand-in for the admin's own `<host>.pem`. Read on 5061, direct TLS:
 * a lab Edge serves one certificate for SIP and XMPP, as an Access Edge does.
 */
function servedCertificate(address: string, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: address, port: 5061, servername, rejectUnauthorized: false, timeout: COMMAND_TIMEOUT_MS }, () => {
      const pem = new X509Certificate(socket.getPeerCertificate().raw).toString();
      socket.destroy();
      resolve(pem);
    });
    socket.once('error', reject);
    socket.once('timeout', () => socket.destroy(new Error(`no TLS handshake with ${address}:5061`)));
  });
}

const certificatesIn = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;

/** The host a DNS or port finding is about: the subject of dns findings, `(IPv4, <host>)` in a port message. */
function hostOf(finding: Finding): string {
  return /\(IPv[46], ([^)]+)\)/.exec(finding.message)?.[1] ?? finding.subject;
}

interface Expectation {
  what: string;
  matches: RegExp;
  check(result: RunResult, command: FixCommand): void;
}

/** What each command shows, as its fix promises; the first match applies, and a command with none fails the test. */
const EXPECTATIONS: Expectation[] = [
  {
    what: 'the private root the server sends, saved, then trusted by fedcheck through --ca-file',
    matches: /> root\.pem\n/,
    check: ({ stdout, code }) => {
      expect(stdout).toMatch(/^subject=O = fedcheck private, CN = fedcheck private Root CA$/m);
      expect(stdout).toMatch(/^sha256 Fingerprint=([0-9A-F]{2}:){31}[0-9A-F]{2}$/m);
      expect(stdout).toContain('PASS  private-root.test');
      expect(stdout).not.toContain('issued by a private or unknown root');
      expect(code).toBe(0);
    },
  },
  {
    what: 'the intermediate downloaded from the AIA URL and a full-chain file built with it',
    matches: /^curl -o intermediate\.cer /,
    check: ({ dir, code }) => {
      expect(code).toBe(0);
      expect(new X509Certificate(readFileSync(join(dir, 'intermediate.pem'))).subject).toContain('CN=fedcheck lab Intermediate CA');
      expect(certificatesIn(readFileSync(join(dir, 'fullchain.pem'), 'utf8'))).toBe(2);
    },
  },
  {
    what: 'the subject and issuer of the downloaded intermediate',
    matches: /^openssl x509 -inform DER -in intermediate\.cer -noout -subject -issuer$/,
    check: ({ stdout }) => {
      expect(stdout).toMatch(/^subject=O = fedcheck lab, CN = fedcheck lab Intermediate CA$/m);
      expect(stdout).toMatch(/^issuer=O = fedcheck lab, CN = fedcheck lab Root CA$/m);
    },
  },
  {
    what: 'the certificate dates partners see',
    matches: /\| openssl x509 -noout (-serial )?-dates$/,
    check: ({ stdout, code }, { text }) => {
      expect(code).toBe(0);
      expect(stdout).toMatch(/^notBefore=.+\nnotAfter=.+$/m);
      if (text.includes('-serial')) expect(stdout).toMatch(/^serial=[0-9A-F]+$/m);
    },
  },
  {
    what: 'the serial partners see',
    matches: /\| openssl x509 -noout -serial$/,
    check: ({ stdout }) => expect(stdout).toMatch(/^serial=[0-9A-F]+$/m),
  },
  {
    what: 'the chain the listener sends, leaf first',
    matches: /^openssl s_client .* -showcerts <\/dev\/null$/,
    check: ({ stdout }, { finding }) => {
      expect(stdout).toContain('Certificate chain');
      expect(stdout).toMatch(/^ 0 s:CN = \S+/m);
      expect(certificatesIn(stdout)).toBeGreaterThan(0);
      expect(stdout).toContain(`Server certificate\nsubject=CN = ${listenerOf(finding).host}`);
    },
  },
  {
    what: 'a TLS 1.2 handshake attempt: the TLS 1.0-only Edge refuses it',
    matches: /^openssl s_client .* -tls1_2 <\/dev\/null$/,
    check: ({ stdout, stderr }) => {
      expect(stdout).toContain('CONNECTED(');
      expect(stderr).toMatch(/unsupported protocol|alert protocol version/);
    },
  },
  {
    what: 'a TLS handshake with the listener',
    matches: /^openssl s_client .*<\/dev\/null$/,
    check: ({ stdout }) => {
      expect(stdout).toContain('CONNECTED(');
      expect(stdout).toMatch(/^Verify return code: \d+/m);
    },
  },
  {
    what: 'the SRV records the resolver fedcheck asked hands out, naming the host the finding is about',
    matches: /^dig \+short @\S+ -p \d+ \S+ SRV$/,
    check: ({ stdout, code }, { finding }) => {
      expect(code).toBe(0);
      const lines = stdout.trim().split('\n');
      for (const line of lines) expect(line).toMatch(/^\d+ \d+ \d+ \S+\.$/);
      expect(lines.some((line) => line.endsWith(` ${hostOf(finding)}.`))).toBe(true);
    },
  },
  {
    what: 'what one authoritative name server answers',
    matches: /^dig \+norecurse @\S+ -p \d+ /,
    check: ({ stdout, code }, { text }) => {
      expect(code).toBe(0);
      expect(stdout).toContain('status: NOERROR');
      expect(stdout).toMatch(/\bIN\s+SRV\s+\d+ \d+ \d+ \S+\./);
      if (text.includes(' SOA')) expect(stdout).toMatch(/\bIN\s+SOA\s+\S+ \S+ \d+ /);
    },
  },
  {
    what: 'a certificate signing request for the names the fix lists',
    matches: /^openssl req -new -newkey /,
    check: ({ dir, code }, { text }) => {
      expect(code).toBe(0);
      const csr = / -out (\S+)/.exec(text)?.[1] ?? '';
      const shown = spawnSync('openssl', ['req', '-in', join(dir, csr), '-noout', '-subject', '-text'], { encoding: 'utf8' });
      expect(shown.stdout).toContain(`subject=CN = ${/-subj "\/CN=([^"]+)"/.exec(text)?.[1] ?? ''}`);
      for (const name of /subjectAltName=([^"]+)"/.exec(text)?.[1]?.split(',') ?? []) expect(shown.stdout).toContain(name);
    },
  },
  {
    what: 'what listens on the port, as the Edge sees it',
    matches: /^ss -ltn "sport = :\d+"$/,
    check: ({ stdout, code }) => {
      expect(code).toBe(0);
      expect(stdout).toMatch(/^State\s+Recv-Q/);
    },
  },
  {
    what: 'the answer to an OPTIONS sent over the listener\'s TLS',
    matches: /^\(printf 'OPTIONS sip:/,
    check: ({ stdout, code }) => {
      expect(code).toBe(0);
      expect(stdout).toMatch(/^SIP\/2\.0 200 OK\r?$/m);
    },
  },
];

/** Why a command is not run here, or undefined when it is. */
function notRunBecause(text: string): string | undefined {
  const tools = toolsOf(text);
  const remote = tools.find((tool) => ON_THE_ADMINS_SERVER.has(tool));
  if (remote) return `${remote} changes the admin's own server`;
  const placeholder = PLACEHOLDER.exec(text)?.[0];
  if (placeholder) return `the admin fills in ${placeholder}`;
  const missing = tools.find((tool) => RUNS_HERE.has(tool) && tool !== 'fedcheck' && !hasBinary(tool));
  if (missing) return `${missing} is not installed (Debian: ${missing === 'dig' ? 'bind9-dnsutils' : missing === 'kdig' ? 'knot-dnsutils' : missing})`;
  return undefined;
}

/** Runs one fix's commands in one folder, in order, as the admin would; returns what was checked. */
async function runFix(commands: FixCommand[]): Promise<string[]> {
  const dir = tempFolder('fix');
  const ran: string[] = [];
  for (const command of commands) {
    const unknown = toolsOf(command.text).filter((tool) => !RUNS_HERE.has(tool) && !ON_THE_ADMINS_SERVER.has(tool));
    expect(unknown, `${command.finding.checkId}: classify the tools of \`${command.text}\``).toEqual([]);
    const because = notRunBecause(command.text);
    if (because) {
      console.info(`not run (${because}): ${command.finding.checkId}: ${command.text}`);
      continue;
    }
    const expectation = EXPECTATIONS.find((candidate) => candidate.matches.test(command.text));
    expect(expectation, `${command.finding.checkId}: say what \`${command.text}\` shows`).toBeDefined();
    const standIn = /^cat (\S+)\.pem intermediate\.pem > fullchain\.pem$/m.exec(command.text)?.[1];
    if (standIn) {
      const { address, host } = listenerOf(command.finding);
      writeFileSync(join(dir, `${standIn}.pem`), await servedCertificate(address, host));
    }
    const result = await runShell(command.text, dir);
    expect(result.timedOut, `\`${command.text}\` did not end within ${COMMAND_TIMEOUT_MS} ms`).toBe(false);
    try {
      expectation?.check(result, command);
    } catch (error) {
      throw new Error(`${command.finding.checkId} (${command.finding.subject}): \`${command.text}\`\n` +
        `stdout: ${result.stdout.slice(0, 2000)}\nstderr: ${result.stderr.slice(0, 2000)}\n${(error as Error).message}`);
    }
    ran.push(`${command.finding.checkId}: ${expectation?.what ?? ''}`);
  }
  return ran;
}

describe('the commands in fix texts run as written against the lab', () => {
  it('every shell command of the lab\'s fixes ends by itself and shows what its fix says', async () => {
    const fixes = fixCommands(findingsWithFixes());
    const ran: string[] = [];
    for (const commands of fixes) ran.push(...(await runFix(commands)));
    // The run must meet these, or a scenario stopped producing its fix and this test proves less than it says.
    const kinds = new Set(ran);
    const required = [
      'tls.certificate-chain: the private root the server sends, saved, then trusted by fedcheck through --ca-file',
      'tls.certificate-chain: the intermediate downloaded from the AIA URL and a full-chain file built with it',
      'tls.certificate-chain: the subject and issuer of the downloaded intermediate',
      'tls.certificate-chain: the chain the listener sends, leaf first',
      'tls.certificate-expiry: the certificate dates partners see',
      'tls.certificate-revocation: the serial partners see',
      'tls.handshake: a TLS 1.2 handshake attempt: the TLS 1.0-only Edge refuses it',
      'tls.sip-certificate-names: a certificate signing request for the names the fix lists',
      'net.federation-port: what listens on the port, as the Edge sees it',
      ...(hasBinary('dig')
        ? [
            'dns.srv-target-address: the SRV records the resolver fedcheck asked hands out, naming the host the finding is about',
            'net.federation-port: the SRV records the resolver fedcheck asked hands out, naming the host the finding is about',
            'dns.authoritative-consistency: what one authoritative name server answers',
          ]
        : []),
    ];
    expect(required.filter((kind) => !kinds.has(kind))).toEqual([]);
  }, 600_000);

  it('the OPTIONS line of sip.options-response gets the healthy Edge\'s SIP answer and ends by itself', async () => {
    // No lab scenario yields that fix without a hostile peer, whose endless header would flood the terminal:
    // the same template is rendered for healthy.test's listener, as fedcheck renders it for a listener that is not SIP.
    const endpoint = report.domains.length > 0 ? await healthyListener() : undefined;
    expect(endpoint).toBeDefined();
    const finding = renderFinding(optionsResponse, 'healthy.test', {
      status: 'fail',
      subject: `sip.healthy.test ${endpoint}`,
      messageId: 'notSip',
      data: {
        subject: `sip.healthy.test ${endpoint}`,
        host: 'sip.healthy.test',
        address: endpoint?.split(':')[0] ?? '',
        port: 5061,
        endpoint: endpoint ?? '',
        servername: 'sip.healthy.test',
        domain: 'healthy.test',
        sniAndStarttls: '-servername sip.healthy.test',
        detail: 'HTTP/1.1 400 Bad Request',
      },
      fixId: 'sipListener',
    });
    const [commands] = fixCommands([finding]);
    expect(commands?.map((command) => command.text)).toHaveLength(1);
    expect(await runFix(commands ?? [])).toEqual(['sip.options-response: the answer to an OPTIONS sent over the listener\'s TLS']);
  }, 120_000);
});

/**
 * The parameters of each cmdlet the lab's fixes use, from its Microsoft reference page (common parameters aside).
 * PowerShell matches parameter names without regard to case.
 */
const CMDLETS: Record<string, { url: string; parameters: string[] }> = {
  'Request-CsCertificate': {
    url: 'https://learn.microsoft.com/powershell/module/skype/request-cscertificate',
    parameters: ['New', 'Type', 'CA', 'CaAccount', 'CaPassword', 'City', 'ClientEKU', 'ComputerFqdn', 'Country', 'DomainName',
      'FriendlyName', 'GlobalCatalog', 'GlobalSettingsDomainController', 'KeyAlg', 'KeySize', 'Organization', 'OU', 'Output',
      'PrivateKeyExportable', 'State', 'Template', 'Force', 'Report', 'WhatIf', 'Confirm', 'AllSipDomain'],
  },
  'Import-CsCertificate': {
    url: 'https://learn.microsoft.com/powershell/module/skype/import-cscertificate',
    parameters: ['Path', 'Password', 'PrivateKeyExportable', 'EffectiveDate', 'Roll', 'Force', 'Report', 'WhatIf', 'Confirm', 'Identity', 'Type'],
  },
  'Set-CsCertificate': {
    url: 'https://learn.microsoft.com/powershell/module/skype/set-cscertificate',
    parameters: ['Reference', 'Type', 'Identity', 'Path', 'Password', 'Thumbprint', 'Confirm', 'EffectiveDate', 'Force', 'Report', 'Roll', 'WhatIf'],
  },
  'New-CsAllowedDomain': {
    url: 'https://learn.microsoft.com/powershell/module/skype/new-csalloweddomain',
    parameters: ['Identity', 'Domain', 'Comment', 'MarkForMonitoring', 'ProxyFqdn', 'Force', 'InMemory', 'WhatIf', 'Confirm', 'VerificationLevel'],
  },
  'Set-CsAccessEdgeConfiguration': {
    url: 'https://learn.microsoft.com/powershell/module/skype/set-csaccessedgeconfiguration',
    parameters: ['Identity', 'AllowAnonymousUsers', 'AllowFederatedUsers', 'AllowOutsideUsers', 'EnableArchivingDisclaimer',
      'EnablePartnerDiscovery', 'KeepCrlsUpToDateForPeers', 'MarkSourceVerifiableOnOutgoingMessages', 'OutgoingTlsCountForFederatedPartners',
      'UseDnsSrvRouting', 'Force', 'WhatIf', 'Confirm'],
  },
  'Test-CsFederatedPartner': {
    url: 'https://learn.microsoft.com/powershell/module/skype/test-csfederatedpartner',
    parameters: ['TargetFqdn', 'Domain', 'Certificate', 'ProxyFqdn', 'Force', 'Verbose', 'OutVerboseVariable', 'OutLoggerVariable'],
  },
  'Set-CsXmppAllowedPartner': {
    url: 'https://learn.microsoft.com/powershell/module/skype/set-csxmppallowedpartner',
    parameters: ['Identity', 'Instance', 'AdditionalDomains', 'ConnectionLimit', 'Description', 'EnableKeepAlive', 'Force', 'PartnerType',
      'ProxyFqdn', 'SaslNegotiation', 'SupportDialbackNegotiation', 'TlsNegotiation', 'WhatIf', 'Confirm'],
  },
  'Get-CsWindowsService': { url: 'https://learn.microsoft.com/powershell/module/skype/get-cswindowsservice', parameters: ['Name', 'ComputerName', 'ExcludeActivityLevel'] },
  'Start-CsWindowsService': { url: 'https://learn.microsoft.com/powershell/module/skype/start-cswindowsservice', parameters: ['Name', 'ComputerName', 'NoWait', 'Graceful'] },
  'Stop-CsWindowsService': { url: 'https://learn.microsoft.com/powershell/module/skype/stop-cswindowsservice', parameters: ['Name', 'ComputerName', 'NoWait', 'Graceful'] },
  'Import-Certificate': { url: 'https://learn.microsoft.com/powershell/module/pki/import-certificate', parameters: ['FilePath', 'CertStoreLocation', 'WhatIf', 'Confirm'] },
  'New-NetFirewallRule': {
    url: 'https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule',
    parameters: ['PolicyStore', 'GPOSession', 'Name', 'DisplayName', 'Description', 'Group', 'Enabled', 'Profile', 'Platform', 'Direction',
      'Action', 'EdgeTraversalPolicy', 'LooseSourceMapping', 'LocalOnlyMapping', 'Owner', 'LocalAddress', 'RemoteAddress', 'Protocol',
      'LocalPort', 'RemotePort', 'IcmpType', 'DynamicTarget', 'Program', 'Package', 'Service', 'InterfaceAlias', 'InterfaceType',
      'LocalUser', 'RemoteUser', 'RemoteMachine', 'Authentication', 'Encryption', 'OverrideBlockRules', 'CimSession', 'ThrottleLimit', 'AsJob', 'WhatIf', 'Confirm'],
  },
  'Add-DnsServerResourceRecord': {
    // Its SRV parameter set, as the reference page's "Add an SRV resource record" example uses it.
    url: 'https://learn.microsoft.com/powershell/module/dnsserver/add-dnsserverresourcerecord',
    parameters: ['Srv', 'Name', 'ZoneName', 'DomainName', 'Priority', 'Weight', 'Port', 'TimeToLive', 'AllowUpdateAny', 'AgeRecord',
      'ComputerName', 'ZoneScope', 'PassThru', 'CimSession', 'ThrottleLimit', 'AsJob', 'WhatIf', 'Confirm'],
  },
  'Add-DnsServerResourceRecordA': {
    url: 'https://learn.microsoft.com/powershell/module/dnsserver/add-dnsserverresourcerecorda',
    parameters: ['Name', 'ZoneName', 'IPv4Address', 'AllowUpdateAny', 'CreatePtr', 'TimeToLive', 'AgeRecord', 'ComputerName', 'ZoneScope', 'PassThru', 'CimSession', 'ThrottleLimit', 'AsJob', 'WhatIf', 'Confirm'],
  },
  'Start-DnsServerZoneTransfer': {
    url: 'https://learn.microsoft.com/powershell/module/dnsserver/start-dnsserverzonetransfer',
    parameters: ['Name', 'AsJob', 'CimSession', 'ComputerName', 'FullTransfer', 'PassThru', 'ThrottleLimit', 'Confirm', 'WhatIf'],
  },
  'Resolve-DnsName': {
    url: 'https://learn.microsoft.com/powershell/module/dnsclient/resolve-dnsname',
    parameters: ['Name', 'Type', 'Server', 'DnsOnly', 'CacheOnly', 'DnssecOk', 'DnssecCd', 'NoHostsFile', 'LlmnrNetbiosOnly', 'LlmnrFallback',
      'LlmnrOnly', 'NetbiosFallback', 'NoIdn', 'NoRecursion', 'QuickTimeout', 'TcpOnly'],
  },
  'New-Item': { url: 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/new-item', parameters: ['Path', 'Name', 'ItemType', 'Value', 'Force', 'Credential', 'WhatIf', 'Confirm'] },
  'New-ItemProperty': {
    url: 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/new-itemproperty',
    parameters: ['Path', 'LiteralPath', 'Name', 'PropertyType', 'Value', 'Force', 'Filter', 'Include', 'Exclude', 'Credential', 'WhatIf', 'Confirm'],
  },
  'Out-Null': { url: 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/out-null', parameters: ['InputObject'] },
  'Restart-Computer': { url: 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/restart-computer', parameters: ['ComputerName', 'Force', 'Wait', 'Timeout', 'Credential', 'WhatIf', 'Confirm'] },
  'Restart-Service': { url: 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/restart-service', parameters: ['Name', 'DisplayName', 'InputObject', 'Force', 'PassThru', 'Include', 'Exclude', 'WhatIf', 'Confirm'] },
};

/** Each cmdlet call in a PowerShell text, with the parameter names it passes; quoted strings and <placeholders> left out. */
function cmdletCalls(text: string): { cmdlet: string; parameters: string[]; line: string }[] {
  return text.split('\n').flatMap((line) => {
    const bare = line.replace(/"[^"]*"|'[^']*'/g, '""').replace(/<[^<>]+>/g, 'VALUE');
    return bare.split(/\||\{|;/).flatMap((segment) => {
      const [first, ...rest] = segment.trim().split(/\s+/);
      if (!first || !/^[A-Z][a-z]+-[A-Za-z0-9]+$/.test(first)) return [];
      return [{ cmdlet: first, parameters: rest.filter((word) => /^-[A-Za-z]+$/.test(word)).map((word) => word.slice(1)), line }];
    });
  });
}

describe('the PowerShell in fix texts', () => {
  it('calls each cmdlet with parameters its reference page documents, and nothing Windows PowerShell 5.1 cannot parse', () => {
    const texts = findingsWithFixes().flatMap((finding) => (finding.fix?.snippets ?? []).filter((s) => s.lang === 'powershell').map((s) => s.text));
    const calls = [...new Set(texts)].flatMap(cmdletCalls);
    expect(calls.length).toBeGreaterThan(10);
    const problems = calls.flatMap(({ cmdlet, parameters, line }) => {
      const documented = CMDLETS[cmdlet];
      if (!documented) return [`${cmdlet}: not in the table of documented cmdlets (add it with its reference page): ${line}`];
      const known = documented.parameters.map((name) => name.toLowerCase());
      return parameters.filter((name) => !known.includes(name.toLowerCase())).map((name) => `${cmdlet} has no -${name} (${documented.url}): ${line}`);
    });
    // `&&` and `||` are PowerShell 7 pipeline chain operators; the Windows PowerShell 5.1 of an Edge server rejects them.
    const chains = texts.filter((text) => /&&|\|\|/.test(text.replace(/"[^"]*"|'[^']*'/g, '')));
    expect([...problems, ...chains.map((text) => `a pipeline chain operator: ${text}`)]).toEqual([]);
  });
});

/** healthy.test's SIP listener, as the lab placed it. */
async function healthyListener(): Promise<string> {
  const result = await fedcheck(['check', 'healthy.test', '--sip', ...labFlags, '--format', 'json']);
  const healthy = JSON.parse(result.stdout) as Report;
  const tcp = healthy.domains[0]?.findings.find((f) => f.checkId === 'net.federation-port' && f.status === 'pass');
  return tcp?.subject ?? '';
}
