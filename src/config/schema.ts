// The config file's schema: what each field accepts, its default, and the expectation an error names.

import { isIP } from 'node:net';
import { z } from 'zod';
import { isValidCidr } from '../judge/address-scope.js';
import { describeError } from '../model/errors.js';
import { normalizeDomain } from '../model/target.js';
import { parseResolverSpec } from '../probes/resolvers.js';
import { DEFAULTS } from '../util/defaults.js';
import type { FedcheckConfig } from '../model/config.js';

/** The certificate-days threshold that turns an expiry warning into a failure, unless the file says otherwise. */

function domainName(example: string) {
  return z.string({ error: `expected a domain name such as ${example}` }).transform((value, context) => {
    try {
      return normalizeDomain(value);
    } catch (error) {
      context.issues.push({ code: 'custom', message: describeError(error), input: value });
      return z.NEVER;
    }
  });
}

/** A static route's next hop: Cisco asks for an IP address; a host name is accepted and resolved. */
const hostOrAddress = z.string({ error: 'expected an IP address such as 10.0.0.21 or a host name' }).transform((value, context) => {
  const trimmed = value.trim();
  if (isIP(trimmed) !== 0) return trimmed;
  try {
    return normalizeDomain(trimmed, 'next hop');
  } catch (error) {
    context.issues.push({ code: 'custom', message: `${describeError(error)} or an IP address such as 10.0.0.21`, input: value });
    return z.NEVER;
  }
});

const resolverSpec = z.string({ error: 'expected a resolver address such as 192.0.2.53 or 192.0.2.53:5353' }).refine(
  (value) => {
    try {
      parseResolverSpec(value);
      return true;
    } catch {
      return false;
    }
  },
  { error: (issue) => `invalid resolver "${String(issue.input)}": expected an IP address with an optional port, such as 192.0.2.53 or 192.0.2.53:5353 or [2001:db8::53]:53` },
);

const cidr = z.string({ error: 'expected a network such as 127.0.0.0/8' }).refine(isValidCidr, {
  error: (issue) => `invalid network "${String(issue.input)}": expected a CIDR such as 127.0.0.0/8 or ::1/128`,
});

const positiveInteger = (unit: string) =>
  z.number({ error: `expected a whole number of ${unit}` }).int({ error: `expected a whole number of ${unit}` }).min(1, { error: `expected at least 1 (${unit})` });

/** A list entry may be the bare domain instead of a mapping with `domain:`. */
const bareDomainAsEntry = (value: unknown) => (typeof value === 'string' ? { domain: value } : value);

/** Cisco's UI spells protocols in capitals; lower case in a hand-written file means the same. */
const upperCase = (value: unknown) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

const allowedDomain = z.preprocess(
  bareDomainAsEntry,
  z.strictObject({
    domain: domainName('fabrikam.com'),
    proxyFqdn: domainName('sip.fabrikam.com').optional(),
    comment: z.string().optional(),
  }),
);

const hostingProvider = z.strictObject({
  name: z.string({ error: 'expected the provider identity, such as LyncOnline' }).min(1),
  proxyFqdn: domainName('sipfed.online.lync.com'),
  enabled: z.boolean().default(true),
  verificationLevel: z.enum(['UseSourceVerification', 'AlwaysVerifiable', 'AlwaysUnverifiable']).optional(),
  publicProvider: z.boolean().default(false),
  domains: z.array(domainName('fabrikam.com')).optional(),
});

const xmppPartner = z.preprocess(
  bareDomainAsEntry,
  z.strictObject({
    domain: domainName('jabber.example.org'),
    proxyFqdn: domainName('xmpp.example.org').optional(),
    authentication: z.enum(['dialback', 'tls', 'dialback-and-tls']).optional(),
  }),
);

const externalAccessPolicy = z.strictObject({
  name: z.string({ error: 'expected the policy identity, such as Global or FedPic' }).min(1),
  // Off by default, as New-CsExternalAccessPolicy creates a policy.
  enableFederationAccess: z.boolean().default(false),
  enablePublicCloudAccess: z.boolean().default(false),
  enableXmppAccess: z.boolean().default(false),
  appliesTo: z.string().optional(),
});

const ciscoFederationDomain = z.preprocess(
  bareDomainAsEntry,
  z.strictObject({
    domain: domainName('fabrikam.com'),
    integrationType: z.enum(['inter-domain-to-ocs-lync', 'inter-domain-to-xmpp', 'other']).default('inter-domain-to-ocs-lync'),
    directFederation: z.boolean().default(true),
  }),
);

const ciscoStaticRoute = z.strictObject({
  // Judged by the policy lint, not here, so a wrong pattern gets its fix rather than a load error.
  destinationPattern: z.string({ error: 'expected the reversed domain with a leading dot, such as .com.fabrikam' }).min(1),
  nextHop: hostOrAddress,
  nextHopPort: z.number({ error: 'expected a port number from 1 to 65535, such as 5061' }).int().min(1).max(65535).default(5061),
  protocol: z.preprocess(upperCase, z.enum(['TLS', 'TCP', 'UDP'])).default('TLS'),
  priority: z.number({ error: 'expected a whole number: 1 for the primary route' }).int().min(0).max(65535).default(1),
  routeType: z.enum(['domain', 'user']).default('domain'),
});

const cisco = z.strictObject({
  federationDomains: z.array(ciscoFederationDomain).default([]),
  staticRoutes: z.array(ciscoStaticRoute).default([]),
  emailAddressForFederation: z.boolean().default(false),
  partitionedIntradomainFederation: z.boolean().default(false),
});

const federation = z.strictObject({
  mode: z.enum(['allow-all-except-blocked', 'allow-listed-only', 'disabled']).default('allow-all-except-blocked'),
  partnerDiscovery: z.boolean().default(true),
  allowedDomains: z.array(allowedDomain).default([]),
  blockedDomains: z.array(domainName('spammer.example')).default([]),
  hostingProviders: z.array(hostingProvider).default([]),
  xmppPartners: z.array(xmppPartner).default([]),
  externalAccessPolicies: z.array(externalAccessPolicy).default([]),
});

const own = z
  .strictObject({
    sipDomains: z.array(domainName('contoso.com')).default([]),
    xmppDomains: z.array(domainName('contoso.com')).default([]),
    accessEdgeFqdn: domainName('sip.contoso.com').optional(),
    webConferencingEdgeFqdn: domainName('webcon.contoso.com').optional(),
    // prefault: an absent section is parsed as {}, so the defaults inside it apply.
    federation: federation.prefault({}),
    cisco: cisco.optional(),
  })
  .refine((side) => side.sipDomains.length + side.xmppDomains.length > 0, {
    error: 'expected at least one own domain in sipDomains or xmppDomains',
    path: ['sipDomains'],
  });

const partner = z.preprocess(
  bareDomainAsEntry,
  z.strictObject({
    domain: domainName('fabrikam.com'),
    // Absent: both are looked at and neither is required. Written: those are expected of the partner.
    services: z.array(z.enum(['sip', 'xmpp'])).min(1, { error: 'expected sip, xmpp or both' }).optional(),
    edge: domainName('sip.fabrikam.com').optional(),
    note: z.string().optional(),
  }),
);

const thresholds = z
  .strictObject({
    certificateWarningDays: positiveInteger('days').default(DEFAULTS.warnDays),
    certificateCriticalDays: positiveInteger('days').default(DEFAULTS.criticalDays),
  })
  .refine((days) => days.certificateCriticalDays < days.certificateWarningDays, {
    error: 'expected fewer days than certificateWarningDays: a certificate is critical before it is merely a warning',
    path: ['certificateCriticalDays'],
  });

/** The name of an environment variable: what a shell can export. */
const envName = z.string({ error: 'expected an environment variable name such as FEDCHECK_CLIENT_PASSPHRASE' }).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: 'expected an environment variable name such as FEDCHECK_CLIENT_PASSPHRASE',
});

/** A config is read by backups, diffs and tickets: a passphrase written in it is refused, never read. */
const noInlinePassphrase = (value: unknown, context: z.RefinementCtx) => {
  if (typeof value === 'object' && value !== null && 'passphrase' in value) {
    context.addIssue({ code: 'custom', path: ['passphrase'], message: 'a passphrase is never read from the config: give passphraseFile or passphraseEnv' });
  }
};

/** Our certificate, presented for mutual TLS as our Edge presents it (check --client-cert); paths relative to the file. */
const clientCertificate = z
  .strictObject({
    certFile: z.string({ error: 'expected a file path' }).min(1, { error: 'expected a file path' }),
    keyFile: z.string({ error: 'expected a file path' }).min(1, { error: 'expected a file path' }).optional(),
    passphraseFile: z.string({ error: 'expected a file path' }).min(1, { error: 'expected a file path' }).optional(),
    passphraseEnv: envName.optional(),
  })
  .refine((entry) => entry.passphraseFile === undefined || entry.passphraseEnv === undefined, {
    error: 'expected passphraseFile or passphraseEnv, not both',
    path: ['passphraseEnv'],
  });

const check = z.strictObject({
  resolvers: z.array(resolverSpec).default([]),
  allowPrivate: z.array(cidr).default([]),
  timeoutMs: positiveInteger('milliseconds').default(DEFAULTS.timeoutMs),
  deadlineMs: positiveInteger('milliseconds').default(DEFAULTS.deadlineMs),
  concurrency: positiveInteger('probes').default(DEFAULTS.concurrency),
  caFiles: z.array(z.string().min(1, { error: 'expected a file path' })).default([]),
  vantage: z.enum(['external', 'internal']).default(DEFAULTS.vantage),
  revocation: z.boolean({ error: 'expected true or false' }).default(false),
  clientCertificate: z.unknown().superRefine(noInlinePassphrase).pipe(clientCertificate).optional(),
});

const outputs = z.strictObject({
  dir: z.string().min(1, { error: 'expected a directory path' }).optional(),
  historyDir: z.string().min(1, { error: 'expected a directory path' }).optional(),
  webhookUrl: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
});

const history = z.strictObject({
  keep: positiveInteger('runs').default(DEFAULTS.historyKeep),
});

/** A /probe module's name: what `module=` carries in a URL and a label in Prometheus. */
const MODULE_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

const serveModule = z.strictObject({
  services: z.array(z.enum(['sip', 'xmpp'])).min(1, { error: 'expected sip, xmpp or both' }).optional(),
  vantage: z.enum(['external', 'internal']).optional(),
  clientCertificate: z.boolean({ error: 'expected true or false' }).default(false),
  revocation: z.boolean({ error: 'expected true or false' }).optional(),
  timeoutMs: positiveInteger('milliseconds').optional(),
});

/** A serve.targets entry: a domain, or `*.` and a domain for every name below it. */
const targetPattern = z.string({ error: 'expected a domain such as fabrikam.com or a pattern such as *.fabrikam.com' }).transform((value, context) => {
  const wildcard = value.trim().startsWith('*.');
  try {
    // The part after `*.` may be one label (`*.test`): it is checked as a name below it would be.
    return wildcard ? `*.${normalizeDomain(`x${value.trim().slice(1)}`).slice(2)}` : normalizeDomain(value);
  } catch (error) {
    context.issues.push({ code: 'custom', message: `${describeError(error)}, or a pattern such as *.fabrikam.com`, input: value });
    return z.NEVER;
  }
});

const serveLimits = z.strictObject({
  probesInFlight: positiveInteger('probes').default(DEFAULTS.serve.probesInFlight),
  probesInFlightPerClient: positiveInteger('probes').default(DEFAULTS.serve.probesInFlightPerClient),
  probesPerMinute: positiveInteger('probes').default(DEFAULTS.serve.probesPerMinute),
  probesPerMinutePerClient: positiveInteger('probes').default(DEFAULTS.serve.probesPerMinutePerClient),
  connections: positiveInteger('connections').default(DEFAULTS.serve.connections),
  headerTimeoutMs: positiveInteger('milliseconds').default(DEFAULTS.serve.headerTimeoutMs),
});

const serve = z.strictObject({
  listen: z.string({ error: 'expected HOST:PORT such as 127.0.0.1:9469' }).min(1, { error: 'expected HOST:PORT such as 127.0.0.1:9469' }).optional(),
  vantage: z
    .string({ error: 'expected a name such as dmz-frankfurt' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, { error: 'expected a name of letters, digits, dots, hyphens and underscores, such as dmz-frankfurt' })
    .optional(),
  targets: z.array(targetPattern).default([]),
  tokenFile: z.string({ error: 'expected a file path' }).min(1, { error: 'expected a file path' }).optional(),
  modules: z
    .record(z.string().regex(MODULE_NAME, { error: 'expected a module name of lower-case letters, digits, - and _, such as federation-inside' }), serveModule)
    .default({}),
  limits: serveLimits.prefault({}),
});

export const configSchema = z.strictObject({
  own,
  partners: z.array(partner).default([]),
  thresholds: thresholds.prefault({}),
  fromDomain: domainName('contoso.com').optional(),
  check: check.prefault({}),
  outputs: outputs.prefault({}),
  history: history.prefault({}),
  serve: serve.prefault({}),
});

/** The parsed file, before the loader adds where it came from and the defaults that depend on other fields. */
export type ParsedConfig = Omit<FedcheckConfig, 'source'>;
