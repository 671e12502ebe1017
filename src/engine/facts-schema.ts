// The saved facts (--save-facts, --replay, the facts of a history file) as a zod schema: the shape every fact
// must have before a check reads it, so a hand-edited or foreign file is one line naming the path inside the
// file, never a check that crashes halfway. Objects are loose: a field a newer probe adds is kept, not refused.

import { z } from 'zod';
import { formatPath } from './issue-path.js';

const text = z.string();
const count = z.number().finite();
const port = z.number().int().min(0).max(65535);
const base64 = z.string();

const dnsRecord = z.looseObject({ name: text, ttl: count, type: text });
const dnsAnswer = z.looseObject({
  name: text,
  type: text,
  server: text,
  rcode: text,
  records: z.array(dnsRecord),
  cnameChain: z.array(dnsRecord),
  authoritative: z.boolean(),
  retriedOverTcp: z.boolean(),
});

const tcpConnect = z.looseObject({ address: text, port, family: z.union([z.literal(4), z.literal(6)]), result: text });

const sessionFailure = z.looseObject({ stage: text, reason: text, detail: text });
const tlsSession = z.looseObject({
  servername: text,
  protocol: text,
  cipher: text,
  peerChain: z.array(base64),
  trustStoreIssuers: z.array(base64).optional(),
  authorized: z.boolean(),
  clientCertificateOffered: z.boolean(),
});
const sipResponse = z.looseObject({ statusLine: text, statusCode: count, reason: text, headers: z.array(z.tuple([text, text])) });
const sipProbe = z.looseObject({ address: text, port, tls: tlsSession.optional(), response: sipResponse.optional(), failure: sessionFailure.optional() });

const xmppFeatures = z.looseObject({
  names: z.array(text),
  starttls: z.looseObject({ offered: z.boolean(), required: z.boolean() }),
  dialback: z.boolean(),
  saslMechanisms: z.array(text),
});
const xmppProbe = z.looseObject({
  address: text,
  port,
  domain: text,
  fromDomain: text,
  mode: z.enum(['starttls', 'direct-tls']),
  streamHeader: z.record(text, text).optional(),
  preTlsFeatures: xmppFeatures.optional(),
  tls: tlsSession.optional(),
  postTlsFeatures: xmppFeatures.optional(),
  saslExternal: z.looseObject({ outcome: text }).optional(),
  streamError: z.looseObject({ condition: text }).optional(),
  failure: sessionFailure.optional(),
});

const tlsVersions = z.looseObject({ address: text, port, servername: text, versions: z.array(z.looseObject({ version: text, result: text })) });
const httpFetch = z.looseObject({ url: text, status: count, body: base64, truncated: z.boolean(), redirects: z.array(text).optional(), failure: sessionFailure.optional() });
const localCertificate = z.looseObject({ source: text, chain: z.array(base64) });
const revocation = z.looseObject({ serialNumber: text, issuer: base64.optional(), notes: z.array(text) });

/** What an `ok` outcome holds, by the fact key's prefix (factKey, protocolFactKey). */
const FACTS_BY_PREFIX: readonly [RegExp, z.ZodType][] = [
  [/^dns[:@]/, dnsAnswer],
  [/^tcp:/, tcpConnect],
  [/^sip:/, sipProbe],
  [/^xmpp-/, xmppProbe],
  [/^tls-versions:/, tlsVersions],
  [/^(?:http|ocsp):/, httpFetch],
  [/^local-certificate:/, localCertificate],
  [/^revocation:/, revocation],
];

function outcomeSchema(facts: z.ZodType) {
  return z.discriminatedUnion('status', [
    z.looseObject({ status: z.literal('ok'), facts }),
    z.looseObject({ status: z.literal('error'), reason: text, detail: text }),
    z.looseObject({ status: z.literal('skipped'), because: text }),
  ]);
}

const OUTCOMES = FACTS_BY_PREFIX.map(([prefix, facts]) => [prefix, outcomeSchema(facts)] as const);
/** A fact of a kind this version does not know (written by a newer one): only its outcome is checked. */
const UNKNOWN_OUTCOME = outcomeSchema(z.unknown());

const factRecord = z.record(text, z.unknown()).superRefine((record, context) => {
  for (const [key, outcome] of Object.entries(record)) {
    const schema = OUTCOMES.find(([prefix]) => prefix.test(key))?.[1] ?? UNKNOWN_OUTCOME;
    const result = schema.safeParse(outcome, { reportInput: true });
    for (const issue of result.success ? [] : result.error.issues) context.addIssue({ ...issue, path: [key, ...issue.path] } as never);
  }
});

const target = z.looseObject({
  domain: text,
  input: text,
  services: z.array(z.enum(['sip', 'xmpp'])),
  expected: z.array(z.enum(['sip', 'xmpp'])).optional(),
  edge: text.optional(),
  xmppEdge: text.optional(),
  role: z.enum(['own', 'partner']).optional(),
});

const options = z.looseObject({
  vantage: text,
  allowPrivate: z.array(text),
  expiryWarningDays: count,
  extraTrustAnchors: z.array(base64),
  fromDomain: text.optional(),
  resolvers: z.array(text),
  timeoutMs: count,
});

/** The envelope after `format` and `schemaVersion` are known to be right (facts-file.ts checks those first). */
export const savedFactsSchema = z.looseObject({
  tool: z.looseObject({ name: z.literal('fedcheck'), version: text }),
  startedAt: z.iso.datetime({ offset: true }),
  targets: z.array(target),
  options,
  facts: factRecord,
});

/** The first problem of `value` against the schema as `path: what was expected`, or undefined when it fits. */
export function savedFactsProblem(value: unknown): string | undefined {
  const result = savedFactsSchema.safeParse(value, { reportInput: true });
  if (result.success) return undefined;
  const [first, ...others] = result.error.issues;
  if (first === undefined) return 'not the shape of saved facts';
  const more = others.length === 0 ? '' : ` (and ${others.length} more problem${others.length > 1 ? 's' : ''})`;
  return `${formatPath(first.path)}: ${expectation(first)}${more}`;
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}, got ${kindOf(issue.input)}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}, got ${kindOf(issue.input)}`;
    case 'invalid_union':
      return `expected a probe outcome with status "ok", "error" or "skipped"`;
    case 'too_small':
    case 'too_big':
      return `out of range (${issue.message})`;
    default:
      return issue.message;
  }
}

/** What was there, never the value itself: a facts file may be anything, and is echoed nowhere. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
