// fast-check generators of any `Report` the engine could hand a reporter: every status, area and service, every
// optional field present or absent, and hostile text (any code point, lone surrogates, terminal and bidi controls,
// markup) wherever a partner's DNS, certificates or answers can put text: subjects, messages, evidence, fixes, and the
// observations' labels, certificate subjects and protocol answers.

import fc from 'fast-check';
import { allChecks } from '../../checks/index.js';
import { policyChecks } from '../../checks/policy/index.js';
import { STATUSES } from '../../src/model/finding.js';
import type { Area, Finding, FindingService, Location } from '../../src/model/finding.js';
import { PATH_COLUMNS } from '../../src/model/observation.js';
import type { DomainObservations, EndpointObservation, ObservedCertificate, PathNode } from '../../src/model/observation.js';
import type { PresenceState } from '../../src/model/presence-state.js';
import { REPORT_SCHEMA_VERSION, domainReport, summarize } from '../../src/model/report.js';
import type { Report } from '../../src/model/report.js';
import { SERVICES } from '../../src/model/target.js';

/** Text a partner controls, weighted towards what breaks a format: controls, markup, quotes, separators. */
export const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({
    unit: fc.constantFrom('\u001b', '\u0007', '\u0000', '\r', '\n', '\t', '\u009b', '\u202e', '\u2028', '\ud800', '<', '>', '&', '"', "'", '`', '*', '_', '|', '#', '\\', '{', '}', '=', ']]>', '-->', ' ', 'a', '1'),
    maxLength: 30,
  }),
  fc.constantFrom('<script>alert(1)</script>', '</pre><img src=x onerror=alert(1)>', '\u001b]0;owned\u0007\u001b[2J', 'x" } 1\nfake_metric 1', '| fake=1;2;3', ''),
);

const AREAS: readonly Area[] = ['dns', 'net', 'tls', 'sip', 'xmpp', 'policy'];
const FINDING_SERVICES: readonly FindingService[] = ['sip', 'xmpp', 'none'];
const PRESENCE_STATES: readonly PresenceState[] = ['offered', 'hosted', 'configured', 'fallback', 'legacy-only', 'not-offered', 'absent', 'unknown'];
const CHECK_IDS = [...allChecks, ...policyChecks].map((check) => check.meta.id);
/** A normalized domain (what `normalizeDomain` lets through): reporters may use it as an id or a label. */
const domainName = fc.domain({ size: 'small' }).map((name) => name.toLowerCase());
const isoDate = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());

function locationIn(domain: string): fc.Arbitrary<Location> {
  return fc
    .record(
      {
        name: fc.oneof(domainName, hostileText),
        host: fc.oneof(domainName, hostileText),
        address: fc.oneof(fc.ipV4(), fc.ipV6(), hostileText),
        port: fc.integer({ min: 1, max: 65535 }),
        certificate: fc.stringMatching(/^[0-9a-f]{64}$/),
        policyEntry: fc.oneof(fc.constantFrom('own.federation.allowedDomains[2]', 'partners[0]'), hostileText),
      },
      { requiredKeys: [] },
    )
    .map((fields) => ({ domain, ...fields }));
}

const fix = fc.record({
  summary: hostileText,
  steps: fc.array(hostileText, { maxLength: 3 }),
  snippets: fc.array(fc.record({ lang: fc.oneof(fc.constantFrom('zone', 'powershell', 'shell', 'prosody'), hostileText), text: hostileText }), { maxLength: 2 }),
});

export function arbitraryFinding(domain: string): fc.Arbitrary<Finding> {
  return fc
    .record({
      checkId: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CHECK_IDS) }, { weight: 1, arbitrary: hostileText }),
      area: fc.constantFrom(...AREAS),
      service: fc.constantFrom(...FINDING_SERVICES),
      status: fc.constantFrom(...STATUSES),
      subject: hostileText,
      location: locationIn(domain),
      messageId: fc.oneof(fc.constantFrom('missing', 'ok', 'expired', 'refused'), hostileText),
      message: hostileText,
      evidence: fc.array(hostileText, { maxLength: 3 }),
      fix: fc.option(fix, { nil: undefined }),
      references: fc.array(fc.record({ title: hostileText, url: fc.oneof(fc.webUrl(), hostileText) }), { maxLength: 2 }),
    })
    .map(({ fix: maybeFix, ...finding }) => ({ ...finding, domain, ...(maybeFix === undefined ? {} : { fix: maybeFix }) }));
}

const LISTENER_MODES = ['sip', 'xmpp-starttls', 'xmpp-direct-tls'] as const;

const observedCertificate: fc.Arbitrary<ObservedCertificate> = fc.record({
  subject: hostileText,
  name: hostileText,
  issuer: hostileText,
  notBefore: isoDate,
  notAfter: isoDate,
  daysLeft: fc.integer({ min: -5000, max: 5000 }),
  expiry: fc.constantFrom('not-yet-valid' as const, 'valid' as const, 'expiring' as const, 'expired' as const),
  sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
  role: fc.constantFrom('leaf' as const, 'root' as const, 'intermediate' as const),
});

const endpointObservation: fc.Arbitrary<EndpointObservation> = fc
  .record(
    {
      service: fc.constantFrom(...SERVICES),
      mode: fc.constantFrom(...LISTENER_MODES),
      via: hostileText,
      host: fc.oneof(domainName, hostileText),
      address: fc.oneof(fc.ipV4(), fc.ipV6(), hostileText),
      port: fc.integer({ min: 1, max: 65535 }),
      label: hostileText,
      tcp: fc.constantFrom('open' as const, 'refused' as const, 'timeout' as const, 'not probed' as const, 'probe error' as const),
      tls: fc.record({ version: hostileText, cipher: hostileText, authorized: fc.boolean() }),
      certificates: fc.array(observedCertificate, { maxLength: 3 }),
      sip: fc.record({ statusLine: hostileText, statusCode: fc.integer({ min: 100, max: 699 }) }),
      xmpp: fc.record({
        afterTls: fc.boolean(),
        features: fc.array(hostileText, { maxLength: 3 }),
        starttls: fc.record({ offered: fc.boolean(), required: fc.boolean() }),
        dialback: fc.boolean(),
        saslMechanisms: fc.array(hostileText, { maxLength: 2 }),
      }),
    },
    { requiredKeys: ['service', 'mode', 'via', 'host', 'address', 'port', 'label', 'tcp', 'certificates'] },
  );

/** Observations as the engine derives them, with partner text in every label; findings are attached by domainReport. */
const observations: fc.Arbitrary<DomainObservations> = fc
  .record({
    services: fc.array(fc.record({ service: fc.constantFrom(...SERVICES), presence: fc.constantFrom(...PRESENCE_STATES), offered: fc.boolean() }), { maxLength: 2 }),
    nodes: fc.uniqueArray(
      fc.record({ column: fc.constantFrom(...PATH_COLUMNS), key: hostileText, label: hostileText, detail: hostileText, services: fc.subarray([...SERVICES]) }),
      { maxLength: 6, selector: (node) => `${node.column}:${node.key}` },
    ),
    edges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
    endpoints: fc.array(endpointObservation, { maxLength: 3 }),
  })
  .map(({ services, nodes, edges, endpoints }) => {
    const pathNodes: PathNode[] = nodes.map(({ column, key, ...node }) => ({ id: `${column}:${key}`, column, ...node, findings: [] }));
    const ids = pathNodes.map((node) => node.id);
    const pathEdges = ids.length === 0 ? [] : edges.map(([from, to]) => ({ from: ids[from % ids.length] ?? '', to: ids[to % ids.length] ?? '' }));
    return { services, path: { nodes: pathNodes, edges: pathEdges }, endpoints };
  });

const target = fc.record(
  {
    domain: domainName,
    input: hostileText,
    services: fc.subarray([...SERVICES], { minLength: 1 }),
    role: fc.constantFrom('own' as const, 'partner' as const),
  },
  { requiredKeys: ['domain', 'input', 'services'] },
);

/** One domain's section, built as the engine builds it, so its counts, worst status and order are consistent. */
const domainSection = target.chain((domainTarget) =>
  fc
    .tuple(
      fc.array(arbitraryFinding(domainTarget.domain), { maxLength: 6 }),
      fc.option(fc.tuple(...domainTarget.services.map(() => fc.record({ state: fc.constantFrom(...PRESENCE_STATES), expected: fc.boolean() })))),
      fc.option(observations, { nil: undefined }),
      // A partner's note from the config: the admin's words, which may hold anything.
      fc.option(hostileText, { nil: undefined }),
    )
    .map(([findings, presence, observed, note]) => ({
      ...domainReport(
        domainTarget,
        findings,
        presence === null ? undefined : Object.fromEntries(domainTarget.services.map((service, index) => [service, { service, ...presence[index]! }])),
        observed,
      ),
      ...(note !== undefined ? { note } : {}),
    })),
);

/** Any report: 0 to 4 domains, a live or replayed source, an interrupted or deadline-cut run, a webhook outcome. */
export const arbitraryReport: fc.Arbitrary<Report> = fc
  .record({
    domains: fc.uniqueArray(domainSection, { maxLength: 4, selector: (section) => section.domain }),
    startedAt: isoDate,
    durationMs: fc.nat({ max: 3_600_000 }),
    source: fc.oneof(fc.constant({ kind: 'live' as const }), hostileText.map((file) => ({ kind: 'replay' as const, file }))),
    options: fc.record({
      vantage: fc.constantFrom('external', 'internal'),
      resolvers: fc.array(fc.oneof(fc.ipV4().map((address) => `${address}:53`), hostileText), { maxLength: 2 }),
      timeoutMs: fc.integer({ min: 1, max: 600_000 }),
      allowPrivate: fc.array(fc.oneof(fc.constantFrom('127.0.0.0/8', '10.0.0.0/8'), hostileText), { maxLength: 2 }),
    }),
    deadlineReached: fc.boolean(),
    partial: fc.boolean(),
    webhook: fc.option(
      fc.record({ target: hostileText, delivered: fc.boolean(), attempts: fc.nat({ max: 5 }), error: fc.option(hostileText, { nil: undefined }) }).map(({ error, ...rest }) => ({ ...rest, ...(error === undefined ? {} : { error }) })),
      { nil: undefined },
    ),
  })
  .map(({ domains, startedAt, durationMs, deadlineReached, partial, webhook, ...rest }) => ({
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'fedcheck' as const, version: '0.1.0' },
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + durationMs).toISOString(),
    durationMs,
    ...rest,
    summary: summarize(domains, deadlineReached, partial),
    domains,
    ...(webhook === undefined ? {} : { webhook }),
  }));
