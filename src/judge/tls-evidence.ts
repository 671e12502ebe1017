// How checks read a federation listener's TLS session, whether the SIP or the XMPP probe made it, and show
// certificates as evidence. Shared by the checks under checks/tls, checks/sip and checks/xmpp: pure, no I/O.
// The certificate functions those checks need are re-exported here, so a check imports only the model and src/judge.

import type { CheckContext, FindingDraft, FixTemplate } from '../model/check.js';
import { formatHostPort } from '../model/facts.js';
import type { ProbeOutcome } from '../model/facts.js';
import type {
  ClientCertificateRequest,
  HttpFetchFacts,
  NonTlsAnswer,
  SessionFailure,
  TlsSession,
  TlsVersion,
  TlsVersionSupport,
} from '../model/protocol-facts.js';
import { certificateFingerprint, endpointLocation } from '../model/location.js';
import type { DraftLocation } from '../model/location.js';
import { endpoints } from './services.js';
import type { CertificateChain, Endpoint, Listener, ListenerMode, ListenerState, ProbeRecord } from '../model/listener.js';

import { daysUntilExpiry, parseCertificate } from '../pki/certificate.js';
import type { CertificateInfo } from '../pki/certificate.js';
import { certificateFromIssuerFetch } from '../pki/chain.js';
import type { ChainAnalysis } from '../pki/chain.js';
import { extensionDefects } from '../pki/extension-defects.js';
import { MAX_SUBJECT_ALT_NAMES } from '../pki/subject-alt-names.js';

export { allowsPurpose, daysUntilExpiry, parseCertificate } from '../pki/certificate.js';
export type { CertificateInfo } from '../pki/certificate.js';
export { analyzeChain } from '../pki/chain.js';
export type { ChainAnalysis } from '../pki/chain.js';
export { sipIdentities, xmppIdentities } from '../pki/names.js';
export type { NameMatch, SipIdentities, SipMatch, XmppMatch } from '../pki/names.js';
export { trustAnchors } from '../pki/trust.js';
export type { TrustStore } from '../pki/trust.js';

export function listenerOf(endpoint: Endpoint, domain: string): Listener {
  const hostPort = formatHostPort(endpoint.address, endpoint.port);
  const subject = `${endpoint.host} ${hostPort}`;
  return {
    endpoint,
    subject,
    location: endpointLocation(endpoint.host, endpoint.address, endpoint.port),
    data: {
      subject,
      host: endpoint.host,
      address: endpoint.address,
      port: endpoint.port,
      endpoint: hostPort,
      servername: endpoint.servername,
      domain,
      sniAndStarttls: sniAndStarttls(endpoint, domain),
    },
  };
}

/**
 * The `openssl s_client -connect <endpoint>` options that open the session a partner opens, for fix texts: SNI always;
 * for XMPP with STARTTLS the server-to-server preamble naming the domain, without which s_client waits for a TLS
 * handshake that never comes.
 */
function sniAndStarttls(endpoint: Endpoint, domain: string): string {
  if (endpoint.mode === 'xmpp-starttls') return `-starttls xmpp-server -xmpphost ${domain} -servername ${domain}`;
  return `-servername ${endpoint.servername}`;
}

/** The probe outcome for a listener: the SIP probe for 'sip', the XMPP probe in the listener's mode otherwise. */
export function probeOutcome(endpoint: Endpoint, domain: string, context: Pick<CheckContext, 'facts'>): ProbeOutcome<ProbeRecord> | undefined {
  const { facts } = context;
  if (endpoint.mode === 'sip') {
    const sip = facts.sip(domain, endpoint.servername, endpoint.address, endpoint.port);
    return sip?.status === 'ok' ? { status: 'ok', facts: { protocol: 'sip', facts: sip.facts } } : sip;
  }
  const mode = endpoint.mode === 'xmpp-starttls' ? 'starttls' : 'direct-tls';
  const xmpp = facts.xmpp(mode, domain, endpoint.address, endpoint.port);
  return xmpp?.status === 'ok' ? { status: 'ok', facts: { protocol: 'xmpp', facts: xmpp.facts } } : xmpp;
}

/** What the listener's port answered instead of TLS, when the protocol probe recorded that. */
export function nonTlsAnswerOf(listener: Listener, context: Pick<CheckContext, 'facts' | 'target'>): NonTlsAnswer | undefined {
  const outcome = probeOutcome(listener.endpoint, context.target.domain, context);
  return outcome?.status === 'ok' ? outcome.facts.facts.failure?.nonTlsAnswer : undefined;
}

/** Why a protocol check has nothing to say about the listener's port, or undefined when the port was open. */
export function portNotOpen(listener: Listener, context: Pick<CheckContext, 'facts'>): string | undefined {
  const tcp = context.facts.tcp(listener.endpoint.address, listener.endpoint.port);
  if (tcp === undefined) return 'not probed in this run';
  if (tcp.status === 'skipped') return `not probed: ${tcp.because}`;
  if (tcp.status === 'error') return `could not test: ${tcp.reason}`;
  return tcp.facts.result === 'open' ? undefined : tcp.facts.result;
}

export function readListener(listener: Listener, context: Pick<CheckContext, 'facts' | 'target'>): ListenerState {
  const tcp = portNotOpen(listener, context);
  if (tcp !== undefined) return { state: 'port-not-open', tcp };
  const outcome = probeOutcome(listener.endpoint, context.target.domain, context);
  if (outcome === undefined) return { state: 'not-gathered' };
  if (outcome.status === 'skipped') return { state: 'not-probed', because: outcome.because };
  if (outcome.status === 'error') return { state: 'probe-error', reason: `${outcome.reason}: ${outcome.detail}` };
  const probe = outcome.facts;
  if (probe.facts.tls) return { state: 'secured', probe, session: probe.facts.tls };
  return { state: 'no-session', probe, why: whyNoSession(probe) };
}

function whyNoSession(probe: ProbeRecord): string {
  const { failure } = probe.facts;
  if (failure) return describeFailure(failure);
  if (probe.protocol === 'xmpp') {
    const { streamError, preTlsFeatures } = probe.facts;
    if (streamError) return `the peer sent the stream error <${streamError.condition}/> before TLS`;
    if (preTlsFeatures && !preTlsFeatures.starttls.offered) return 'the server does not offer STARTTLS';
  }
  return 'no TLS session was recorded';
}

const STAGE_NAMES: Record<SessionFailure['stage'], string> = {
  connect: 'connecting',
  preamble: 'before TLS',
  tls: 'TLS handshake',
  request: 'sending the request',
  response: 'waiting for the answer',
};

/** `TLS handshake: tls-alert: the peer sent the TLS alert "protocol version" (ERR_SSL_...)`. */
export function describeFailure(failure: SessionFailure): string {
  return `${STAGE_NAMES[failure.stage]}: ${failure.reason}: ${failure.detail}${failure.code ? ` (${failure.code})` : ''}`;
}

const LISTENER_STATE_MESSAGES = {
  portNotOpen: '{{subject}}: port not open ({{tcp}}); see net.federation-port',
  notGathered: '{{subject}}: not probed in this run',
  notProbed: '{{subject}}: not probed: {{because}}',
} as const;

/** Messages for the listener states a protocol check does not judge; spread them into meta.messages. */
export const LISTENER_MESSAGES = {
  ...LISTENER_STATE_MESSAGES,
  probeErrorReported: '{{subject}}: could not probe it ({{reason}}); reported once, by tls.handshake',
} as const;

/** The same for the check that reports a probe which could not run (see unprobedFinding). */
export const PROBE_OWNER_MESSAGES = {
  ...LISTENER_STATE_MESSAGES,
  probeError: 'could not probe {{subject}}: {{reason}}',
} as const;

/** LISTENER_MESSAGES plus the states of a check that judges a TLS session and its certificate. */
export const SESSION_MESSAGES = {
  ...LISTENER_MESSAGES,
  noSession: '{{subject}}: no TLS session to judge ({{why}}); see tls.handshake',
  unreadableCertificate: '{{subject}}: could not read the certificate the server sent: {{reason}}',
} as const;

/**
 * The skip or error for a listener without a probe result; undefined when there is one to judge.
 * A probe that could not run is one error, reported by the check that owns the probe (tls.handshake);
 * every other check skips it, so one silent peer is not a dozen errors.
 */
export function unprobedFinding(listener: Listener, state: ListenerState, ownsProbe = false): FindingDraft | undefined {
  const { subject, data } = listener;
  switch (state.state) {
    case 'port-not-open':
      return { status: 'skip', subject, messageId: 'portNotOpen', data: { ...data, tcp: state.tcp } };
    case 'not-gathered':
      return { status: 'skip', subject, messageId: 'notGathered', data };
    case 'not-probed':
      return { status: 'skip', subject, messageId: 'notProbed', data: { ...data, because: state.because } };
    case 'probe-error':
      if (!ownsProbe) return { status: 'skip', subject, messageId: 'probeErrorReported', data: { ...data, reason: state.reason } };
      return {
        status: 'error',
        subject,
        messageId: 'probeError',
        data: { ...data, reason: state.reason },
        evidence: [`${subject} via ${listener.endpoint.via}: probe error ${state.reason}`],
      };
    default:
      return undefined;
  }
}

/**
 * The listeners of the given modes, each judged by `judge`; none is not this check's to report (the dns checks say why).
 * Each draft is located at its listener; a draft that sets `location` (a certificate's fingerprint) adds to that.
 */
export function eachListener(
  context: CheckContext,
  modes: readonly ListenerMode[],
  judge: (listener: Listener) => FindingDraft[],
): FindingDraft[] {
  const { target } = context;
  const listeners = endpoints(target, context.facts)
    .filter((endpoint) => modes.includes(endpoint.mode))
    .map((endpoint) => listenerOf(endpoint, target.domain));
  return listeners.flatMap((listener) =>
    judge(listener).map((draft) => ({ ...draft, location: { ...listener.location, ...draft.location } })),
  );
}

/**
 * A listener's location with the certificate judged, given as base64 DER (the leaf: `session.peerChain[0]`); just the
 * listener's when the server sent none.
 */
export function certificateLocation(listener: Listener, der: string | undefined): DraftLocation {
  return der === undefined ? listener.location : { ...listener.location, certificate: certificateFingerprint(der) };
}

/** eachListener with the probe read: listeners without a probe result get the LISTENER_MESSAGES skip or error. */
export function judgeListeners(
  context: CheckContext,
  modes: readonly ListenerMode[],
  judge: (listener: Listener, state: Extract<ListenerState, { state: 'no-session' | 'secured' }>) => FindingDraft[],
  options: { ownsProbe?: boolean } = {},
): FindingDraft[] {
  return eachListener(context, modes, (listener) => {
    const state = readListener(listener, context);
    if (state.state === 'no-session' || state.state === 'secured') return judge(listener, state);
    const finding = unprobedFinding(listener, state, options.ownsProbe);
    return finding ? [finding] : [];
  });
}

/** judgeListeners for checks that need the TLS session: a listener without one is a skip pointing at tls.handshake. */
export function judgeSessions(
  context: CheckContext,
  modes: readonly ListenerMode[],
  judge: (listener: Listener, session: TlsSession, probe: ProbeRecord) => FindingDraft[],
): FindingDraft[] {
  return judgeListeners(context, modes, (listener, state) =>
    state.state === 'secured'
      ? judge(listener, state.session, state.probe)
      : [{ status: 'skip', subject: listener.subject, messageId: 'noSession', data: { ...listener.data, why: state.why } }],
  );
}

/** The parsed leaf, or the error finding saying why the certificate could not be read. */
export function readLeaf(listener: Listener, chain: CertificateChain): { leaf: CertificateInfo } | { finding: FindingDraft } {
  const [der] = chain.peerChain;
  const reason = (text: string): { finding: FindingDraft } => ({
    finding: {
      status: 'error',
      subject: listener.subject,
      // Bytes that do not parse still have a fingerprint: the finding keys on the certificate sent.
      location: certificateLocation(listener, der),
      messageId: 'unreadableCertificate',
      data: { ...listener.data, reason: text },
      evidence: [chainSourceEvidence(listener, chain)],
    },
  });
  if (der === undefined) return reason('the server sent no certificate');
  try {
    return { leaf: parseCertificate(der) };
  } catch (error) {
    return reason(error instanceof Error ? error.message : String(error));
  }
}

/** One line on the session: `sip.example.com 203.0.113.5:5061 via ...: TLSv1.3 TLS_AES_256_GCM_SHA384, SNI ...`. */
export function sessionEvidence(listener: Listener, session: TlsSession): string {
  const trust = session.authorized ? 'chain trusted by Node' : `chain not trusted by Node (${session.authorizationError ?? 'no reason given'})`;
  const alpn = session.alpnProtocol ? `, ALPN ${session.alpnProtocol}` : '';
  const client = session.clientCertificateOffered ? ', our client certificate offered' : '';
  return (
    `${listener.subject} via ${listener.endpoint.via}: ${session.protocol} ${session.cipher}, SNI ${session.servername}${alpn}${client}, ` +
    `${session.peerChain.length} certificate${session.peerChain.length === 1 ? '' : 's'} sent, ${trust}, ` +
    // Facts saved before fedcheck recorded it have no request to tell of.
    `${session.clientCertificateRequest ? `${clientCertificateRequestText(session.clientCertificateRequest)}, ` : ''}handshake ${session.elapsedMs} ms`
  );
}

/**
 * One line on where a presented chain came from: the session line above, or for a file read by `cert inspect`
 * `sip.example.com sip.example.com:5061 via ...: certificate read from ./edge.pem, 2 certificates, chain Node would trust`,
 * naming the listener it is judged for; no handshake took place, so there is no protocol, cipher or SNI to tell of.
 */
export function chainSourceEvidence(listener: Listener, chain: CertificateChain): string {
  const { source } = chain;
  if (source.kind === 'tls') return sessionEvidence(listener, source.session);
  const count = `${chain.peerChain.length} certificate${chain.peerChain.length === 1 ? '' : 's'}`;
  const trust = chain.authorized ? 'chain Node would trust' : `chain Node would not trust (${chain.authorizationError ?? 'no reason given'})`;
  return `${listener.subject} via ${listener.endpoint.via}: certificate read from ${source.path}, ${count}, ${trust}`;
}

/** `client certificate requested (acceptable CAs: CN=Root)`, `no client certificate requested`, or why it is unknown. */
export function clientCertificateRequestText(request: ClientCertificateRequest): string {
  if (request.requested === 'unknown') return `client certificate request unknown (${request.why ?? 'no reason given'})`;
  if (!request.requested) return 'no client certificate requested';
  const authorities = request.certificateAuthorities ?? [];
  return `client certificate requested (${authorities.length > 0 ? `acceptable CAs: ${authorities.join('; ')}` : 'any CA: none named'})`;
}

const NON_TLS_KINDS: Record<NonTlsAnswer['looksLike'], string | undefined> = {
  sip: 'plain SIP',
  http: 'HTTP',
  xmpp: 'an XMPP stream',
  unknown: undefined,
};

/** What a non-TLS answer is, as a message says it ("plain SIP"); undefined when it looks like nothing known. */
export function nonTlsKind(answer: NonTlsAnswer): string | undefined {
  return NON_TLS_KINDS[answer.looksLike];
}

const EVIDENCE_LINES = 3;

/** The answer's first lines, as received (control bytes escaped), under a line saying what it answered. */
export function nonTlsEvidence(answer: NonTlsAnswer): string[] {
  const to =
    answer.answerTo === 'client-hello'
      ? 'answer to our TLS ClientHello'
      : 'answer to a SIP OPTIONS sent in plain text on a second connection, after the ClientHello got no answer';
  const kind = nonTlsKind(answer) ?? 'no protocol fedcheck knows';
  // The text escapes CR and LF as \r and \n (and a backslash as \x5c), so splitting on "\n" finds the real line ends.
  const lines = answer.text
    .split('\\n')
    .map((line) => line.replace(/\\r$/, ''))
    .filter((line) => line !== '')
    .slice(0, EVIDENCE_LINES);
  return [`${to}: ${answer.bytes} bytes, not TLS (${kind}); first lines:`, ...lines.map((line) => `  ${line}`)];
}

/** The certificate's names as OpenSSL prints them: `DNS:sip.example.com, URI:sip:example.com, SRV:_xmpp-server...`. */
export function subjectAltNameList(info: CertificateInfo): string {
  const { sans } = info;
  const names = [
    ...sans.dns.map((name) => `DNS:${name}`),
    ...sans.uri.map((name) => `URI:${name}`),
    ...sans.srvName.map((name) => `SRV:${name}`),
    ...sans.xmppAddr.map((name) => `XmppAddr:${name}`),
    ...sans.ip.map((name) => `IP:${name}`),
    ...sans.email.map((name) => `email:${name}`),
  ];
  const unread = sans.unread === undefined ? '' : ` (and ${sans.unread} more not read: fedcheck reads at most ${MAX_SUBJECT_ALT_NAMES} names per certificate)`;
  return names.length > 0 ? `${names.join(', ')}${unread}` : `none${unread}`;
}

/** Days left as words: "120 days left", "expired 3 days ago", "not valid before 2026-12-01T00:00:00.000Z". */
export function validityText(info: CertificateInfo, now: Date): string {
  if (Date.parse(info.notBefore) > now.getTime()) return `not valid before ${info.notBefore}`;
  const days = daysUntilExpiry(info, now);
  if (Date.parse(info.notAfter) < now.getTime()) return `expired ${Math.max(1, -days)} day${-days === 1 ? '' : 's'} ago`;
  return `${days} day${days === 1 ? '' : 's'} left`;
}

/** Evidence lines for one certificate: subject, SANs, issuer, validity with days left, fingerprint. */
export function certificateEvidence(info: CertificateInfo, now: Date, label: string): string[] {
  return [
    `${label}: ${info.subject === '' ? '(empty subject)' : info.subject}`,
    `  subject alternative names: ${subjectAltNameList(info)}`,
    `  issuer: ${info.issuer}`,
    `  valid ${info.notBefore} to ${info.notAfter} (${validityText(info, now)})`,
    `  SHA-256 fingerprint ${info.fingerprints.sha256}`,
  ];
}

const DEFECTS_CACHE_LIMIT = 1000;
const defectsCache = new Map<string, readonly string[]>();

/**
 * extensionDefects of a base64 DER certificate, remembered: every TLS check of an endpoint asks about the same chain,
 * and decoding the ASN.1 again for each was a third of judging's CPU.
 */
function defectsOf(der: string): readonly string[] {
  let defects = defectsCache.get(der);
  if (defects === undefined) {
    defects = Object.freeze(extensionDefects(Buffer.from(der, 'base64')));
    if (defectsCache.size >= DEFECTS_CACHE_LIMIT) defectsCache.delete(defectsCache.keys().next().value as string);
    defectsCache.set(der, defects);
  }
  return defects;
}

/** Evidence lines for every certificate of a chain, leaf first; one that cannot be read says so. */
export function chainEvidence(chain: readonly string[], now: Date): string[] {
  return chain.flatMap((der, index) => {
    const label = index === 0 ? 'certificate 0 (leaf)' : `certificate ${index}`;
    try {
      const defects = defectsOf(der).map((defect) => `${label}: ${defect}`);
      return [...certificateEvidence(parseCertificate(der), now, label), ...defects];
    } catch (error) {
      return [`${label}: unreadable: ${error instanceof Error ? error.message : String(error)}`];
    }
  });
}

/** The first extension fault on the leaf's path, with the certificate that has it. */
export function extensionDefectOnPath(analysis: ChainAnalysis): { certificate: string; defect: string } | undefined {
  for (const index of analysis.path) {
    const info = analysis.certificates[index];
    const [defect] = info ? defectsOf(info.der) : [];
    if (info && defect) return { certificate: info.subject || `certificate ${index}`, defect };
  }
  return undefined;
}

/** The parsed certificates of a chain, skipping any that cannot be read (readLeaf reports the leaf). */
export function readableChain(chain: readonly string[]): CertificateInfo[] {
  return chain.flatMap((der) => {
    try {
      return [parseCertificate(der)];
    } catch {
      return [];
    }
  });
}

/** What an AIA caIssuers download gave: the certificate, or why there is none to name. */
export type IssuerDownload = { state: 'found'; certificate: CertificateInfo } | { state: 'absent'; why: string };

export function issuerFromDownload(url: string, outcome: ProbeOutcome<HttpFetchFacts> | undefined): IssuerDownload {
  if (outcome === undefined) return { state: 'absent', why: `${url} was not fetched in this run` };
  if (outcome.status === 'skipped') return { state: 'absent', why: `${url} was not fetched: ${outcome.because}` };
  if (outcome.status === 'error') return { state: 'absent', why: `fetching ${url} failed: ${outcome.reason}: ${outcome.detail}` };
  const fetched = outcome.facts;
  if (fetched.failure) return { state: 'absent', why: `fetching ${url} failed: ${describeFailure(fetched.failure)}` };
  if (fetched.status !== 200) return { state: 'absent', why: `${url} answered HTTP ${fetched.status}` };
  try {
    const [certificate] = certificateFromIssuerFetch(Buffer.from(fetched.body, 'base64'), fetched.contentType);
    return certificate ? { state: 'found', certificate } : { state: 'absent', why: `${url} holds no certificate` };
  } catch (error) {
    return { state: 'absent', why: error instanceof Error ? error.message : String(error) };
  }
}

/** TLS versions as admins write them: `TLS 1.0`, `TLS 1.3`. */
export function tlsVersionName(version: TlsVersion): string {
  return version === 'TLSv1' ? 'TLS 1.0' : version.replace('TLSv', 'TLS ');
}

/** The versions a listener accepted, by result; undefined when the fact was not gathered or the probe failed. */
export function versionSupport(
  outcome: ProbeOutcome<TlsVersionSupport> | undefined,
): { accepted: TlsVersion[]; rejected: TlsVersion[]; untestable: TlsVersion[]; errors: TlsVersion[]; lines: string[] } | undefined {
  if (outcome?.status !== 'ok') return undefined;
  const { versions } = outcome.facts;
  const pick = (result: TlsVersionSupport['versions'][number]['result']) => versions.filter((v) => v.result === result).map((v) => v.version);
  return {
    accepted: pick('accepted'),
    rejected: pick('rejected'),
    untestable: pick('untestable'),
    errors: pick('error'),
    lines: versions.map((v) => `${tlsVersionName(v.version)}: ${v.result}${v.detail ? ` (${v.detail})` : ''}`),
  };
}

/** The listener's TLS versions fact: the service and SNI the probe used for this endpoint. */
export function listenerVersions(listener: Listener, context: Pick<CheckContext, 'facts'>): ProbeOutcome<TlsVersionSupport> | undefined {
  const { endpoint } = listener;
  return context.facts.tlsVersions(endpoint.service, endpoint.servername, endpoint.address, endpoint.port);
}

/** "TLS 1.0 and TLS 1.1" */
export function listVersions(versions: readonly TlsVersion[]): string {
  const names = versions.map(tlsVersionName);
  return names.length <= 1 ? (names[0] ?? 'none') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** How to enable TLS 1.2 on an Edge, Prosody, ejabberd or Kamailio: shared by tls.handshake and tls.protocol-versions. */
export const ENABLE_TLS12_FIX: FixTemplate = {
  summary: 'Enable TLS 1.2 (and TLS 1.3 where the platform has it) on {{host}}: partners on current software accept nothing older',
  steps: [
    'Office Communications Server 2007 R2 and Lync Server 2010 Edges cannot speak TLS 1.2: move federation to a Skype for ' +
      'Business Server 2015 / 2019 Edge (or Microsoft 365).',
    'Lync Server 2013 / Skype for Business Server: install the current cumulative update, then enable TLS 1.2 in SCHANNEL ' +
      'and make .NET use it (SchUseStrongCrypto), as below, and restart the Edge.',
    'Prosody: set the protocol in the ssl table of prosody.cfg.lua; ejabberd: drop the old protocols in s2s_protocol_options; ' +
      'Kamailio: method = TLSv1.2+ in tls.cfg.',
    'Check each version: `openssl s_client -connect {{endpoint}} {{sniAndStarttls}} -tls1_2 </dev/null`.',
  ],
  snippets: [
    {
      lang: 'powershell',
      text:
        "foreach ($role in 'Server','Client') {\n" +
        "  $key = \"HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\$role\"\n" +
        '  New-Item $key -Force | Out-Null\n' +
        "  New-ItemProperty -Path $key -Name 'Enabled' -Value 1 -PropertyType DWord -Force\n" +
        "  New-ItemProperty -Path $key -Name 'DisabledByDefault' -Value 0 -PropertyType DWord -Force\n" +
        '}\n' +
        "foreach ($net in 'HKLM:\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319','HKLM:\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319') {\n" +
        "  New-ItemProperty -Path $net -Name 'SchUseStrongCrypto' -Value 1 -PropertyType DWord -Force\n" +
        "  New-ItemProperty -Path $net -Name 'SystemDefaultTlsVersions' -Value 1 -PropertyType DWord -Force\n" +
        '}\n' +
        'Restart-Computer',
    },
    { lang: 'prosody', text: 'ssl = { protocol = "tlsv1_2+" }' },
    { lang: 'ejabberd', text: 's2s_protocol_options:\n  - "no_sslv3"\n  - "no_tlsv1"\n  - "no_tlsv1_1"' },
    { lang: 'kamailio', text: '[server:default]\nmethod = TLSv1.2+' },
  ],
};
