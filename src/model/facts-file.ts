// The saved-facts contract: the file --save-facts writes and --replay reads (also the `facts` of a history file). This
// module owns it whole: the format name, FACTS_SCHEMA_VERSION, the zod schema every fact must fit before a check
// reads it, the TypeScript type (checked against the schema at compile time), the parser and the serializer
// (src/engine/facts-io.ts reads and writes the file). A
// hand-edited, foreign or newer file is one line naming the file, the path inside it and what was expected, never a
// check that crashes halfway. Objects are loose: a field a newer probe adds is kept, not refused.

import { z } from 'zod';
import { DEFAULT_CHECK_OPTIONS } from './check.js';
import type { CheckOptions } from './check.js';
import { UsageError } from './errors.js';
import type { DnsAnswer, FactRecord, TcpConnectFacts } from './facts.js';
import { formatPath } from './issue-path.js';
import type {
  HttpFetchFacts,
  LocalCertificateFacts,
  RevocationFacts,
  SipProbeFacts,
  TlsVersionSupport,
  XmppProbeFacts,
} from './protocol-facts.js';
import type { Target } from './target.js';

import { FACTS_FORMAT, FACTS_SCHEMA_VERSION } from './facts-format.js';

export { FACTS_FORMAT, FACTS_SCHEMA_VERSION } from './facts-format.js';

export interface SavedFacts {
  format: typeof FACTS_FORMAT;
  schemaVersion: typeof FACTS_SCHEMA_VERSION;
  tool: { name: 'fedcheck'; version: string };
  /** The clock the checks judge against on replay (certificate expiry needs it). */
  startedAt: string;
  targets: Target[];
  /** `expiryCriticalDays` is absent from facts saved before it existed: the replay judges with the default. */
  options: Omit<CheckOptions, 'expiryCriticalDays'> & { expiryCriticalDays?: number; resolvers: string[]; timeoutMs: number };
  facts: FactRecord;
}

/** The options the checks judged the saved facts with, the defaults standing in for what older files lack. */
export function savedCheckOptions(saved: SavedFacts): CheckOptions {
  const { resolvers: _resolvers, timeoutMs: _timeoutMs, ...options } = saved.options;
  return { ...options, expiryCriticalDays: options.expiryCriticalDays ?? DEFAULT_CHECK_OPTIONS.expiryCriticalDays };
}

const text = z.string();
const count = z.number().finite();
const port = z.number().int().min(0).max(65535);
const base64 = z.string();

/** The fields a check reads of each record type the DNS probe decodes (it keeps no other type). */
const DNS_RECORD_DATA: Readonly<Record<string, z.ZodType>> = {
  A: z.looseObject({ address: text }),
  AAAA: z.looseObject({ address: text }),
  CNAME: z.looseObject({ target: text }),
  NS: z.looseObject({ target: text }),
  SRV: z.looseObject({ priority: count, weight: count, port, target: text }),
  TXT: z.looseObject({ text }),
  SOA: z.looseObject({ primary: text, admin: text, serial: count, refresh: count, retry: count, expiration: count, minimum: count }),
};
const dnsRecord = z.looseObject({ name: text, ttl: count, type: text }).superRefine((record, context) => {
  const data = Object.hasOwn(DNS_RECORD_DATA, record.type) ? DNS_RECORD_DATA[record.type] : undefined;
  const result = data?.safeParse(record, { reportInput: true });
  for (const issue of result?.success === false ? result.error.issues : []) context.addIssue(issue as never);
});
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

const tlsVersions = z.looseObject({ address: text, port, servername: text, versions: z.array(z.looseObject({ version: text, result: text, reason: text.optional() })) });
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
    z.looseObject({ status: z.literal('ok'), facts, retried: text.optional() }),
    z.looseObject({ status: z.literal('error'), reason: text, detail: text, retried: text.optional() }),
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
  vantage: z.enum(['external', 'internal']),
  allowPrivate: z.array(text),
  expiryWarningDays: count,
  expiryCriticalDays: count.optional(),
  extraTrustAnchors: z.array(base64),
  fromDomain: text.optional(),
  resolvers: z.array(text),
  timeoutMs: count,
});

const savedFactsSchema = z.looseObject({
  format: z.literal(FACTS_FORMAT),
  schemaVersion: z.literal(FACTS_SCHEMA_VERSION),
  tool: z.looseObject({ name: z.literal('fedcheck'), version: text }),
  startedAt: z.iso.datetime({ offset: true }),
  targets: z.array(target),
  options,
  facts: factRecord,
});

// The types and the schema cannot drift apart: each line fails to compile when what a probe records (or the envelope
// the run writes) no longer fits what the reader accepts. Index signatures (loose objects) are left out of the test.
type Known<T> = T extends readonly (infer E)[]
  ? Known<E>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Known<T[K]> }
    : T;
type Fits<T, S extends z.ZodType> = [Known<T>] extends [Known<z.input<S>>] ? true : never;
const TYPES_FIT_THE_SCHEMA: [
  Fits<SavedFacts, typeof savedFactsSchema>,
  Fits<DnsAnswer, typeof dnsAnswer>,
  Fits<TcpConnectFacts, typeof tcpConnect>,
  Fits<SipProbeFacts, typeof sipProbe>,
  Fits<XmppProbeFacts, typeof xmppProbe>,
  Fits<TlsVersionSupport, typeof tlsVersions>,
  Fits<HttpFetchFacts, typeof httpFetch>,
  Fits<LocalCertificateFacts, typeof localCertificate>,
  Fits<RevocationFacts, typeof revocation>,
] = [true, true, true, true, true, true, true, true, true];
void TYPES_FIT_THE_SCHEMA;

/** `file` names the text in messages. */
export function parseSavedFacts(json: string, file: string): SavedFacts {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new UsageError(`facts file "${file}" is not JSON: expected a file written by --save-facts`);
  }
  const problem = savedFactsProblem(parsed);
  if (problem !== undefined) throw new UsageError(`facts file "${file}" ${problem}`);
  return parsed as SavedFacts;
}

/**
 * What keeps `value` from being saved facts this fedcheck reads, as `<what it is>: <path>: <what was expected>`, or
 * undefined when it is. The format and the version come first: a report, or a file of a newer fedcheck, says so
 * rather than listing every field that differs.
 */
export function savedFactsProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `is not a fedcheck facts file: (top level): expected an object written by --save-facts, got ${kindOf(value)}`;
  if (value.format !== FACTS_FORMAT) {
    const report = isObject(value.tool) && value.tool.name === 'fedcheck' && Array.isArray(value.domains);
    const what = report ? ', it looks like a report (--format json)' : '';
    return `is not a fedcheck facts file${what}: format: expected "${FACTS_FORMAT}" (a file written by --save-facts), got ${kindOf(value.format)}`;
  }
  const version = value.schemaVersion;
  if (version !== FACTS_SCHEMA_VERSION) {
    const newer = typeof version === 'number' && Number.isInteger(version) && version > FACTS_SCHEMA_VERSION;
    return newer
      ? `was written by a newer fedcheck: schemaVersion: expected ${FACTS_SCHEMA_VERSION}, got ${version}: upgrade fedcheck to replay it`
      : `is not a fedcheck facts file: schemaVersion: expected ${FACTS_SCHEMA_VERSION}, got ${typeof version === 'number' ? version : kindOf(version)}`;
  }
  const result = savedFactsSchema.safeParse(value, { reportInput: true });
  if (result.success) return undefined;
  const [first, ...others] = result.error.issues;
  if (first === undefined) return 'does not hold saved facts';
  const more = others.length === 0 ? '' : ` (and ${others.length} more problem${others.length > 1 ? 's' : ''})`;
  return `does not hold saved facts: ${formatPath(first.path)}: ${expectation(first)}${more}`;
}

/** The text --save-facts writes: the whole contract, readable in a ticket. */
export function serializeSavedFacts(saved: SavedFacts): string {
  return `${JSON.stringify(saved, null, 2)}\n`;
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
