// Builds the protocol half of a FactRecord for unit tests: TLS sessions, SIP OPTIONS, XMPP negotiation, TLS
// versions, HTTP fetches, our client certificate. Extends FactBuilder, so DNS and TCP facts chain on the same line.

import { TLS_VERSIONS, protocolFactKey } from '../../src/model/protocol-facts.js';
import type {
  HttpFetchFacts,
  SessionFailure,
  SipProbeFacts,
  SipResponse,
  TlsSession,
  TlsVersion,
  TlsVersionSupport,
  XmppFeatures,
  XmppProbeFacts,
} from '../../src/model/protocol-facts.js';
import type { FactRecord, ProbeOutcome } from '../../src/model/facts.js';
import type { ListenerMode } from '../../src/model/listener.js';
import type { Location } from '../../src/model/finding.js';
import { parseCertificate } from '../../src/pki/certificate.js';
import { TEST_DOMAIN } from './check-tester.js';
import type { Case } from './check-tester.js';
import { FactBuilder } from './fact-builder.js';
import type { SrvTuple } from './fact-builder.js';

export const SIP_SRV = `_sipfederationtls._tcp.${TEST_DOMAIN}`;
export const XMPP_SRV = `_xmpp-server._tcp.${TEST_DOMAIN}`;
export const XMPPS_SRV = `_xmpps-server._tcp.${TEST_DOMAIN}`;

/** The test Edge and XMPP server: host, address, and the subject findings name them by. */
export const EDGE = { host: `sip.${TEST_DOMAIN}`, address: '203.0.113.5', port: 5061, subject: `sip.${TEST_DOMAIN} 203.0.113.5:5061` } as const;
export const XMPP = { host: `xmpp.${TEST_DOMAIN}`, address: '203.0.113.8', port: 5269, subject: `xmpp.${TEST_DOMAIN} 203.0.113.8:5269` } as const;
export const XMPPS = { host: `xmpp.${TEST_DOMAIN}`, address: '203.0.113.8', port: 5270, subject: `xmpp.${TEST_DOMAIN} 203.0.113.8:5270` } as const;

/**
 * Where a finding about `listener` applies, as a case expects it: with `certificate` (base64 DER), the certificate it
 * judged; without, no certificate at all. The fingerprint is Node's (X509Certificate.fingerprint256), not the
 * engine's own hash, so the two must agree.
 */
export function locatedAt(listener: { host: string; address: string; port: number }, certificate?: string): Partial<Location> {
  const at = { host: listener.host, address: listener.address, port: listener.port };
  if (certificate === undefined) return { ...at, certificate: undefined };
  return { ...at, certificate: parseCertificate(certificate).fingerprints.sha256.replace(/:/g, '').toLowerCase() };
}

const SRV_BY_MODE: Record<ListenerMode, string> = { sip: SIP_SRV, 'xmpp-starttls': XMPP_SRV, 'xmpp-direct-tls': XMPPS_SRV };

/** A healthy TLS 1.3 session over `peerChain` (base64 DER, leaf first), trusted, without a client certificate. */
export function tlsSession(servername: string, peerChain: string[], overrides: Partial<TlsSession> = {}): TlsSession {
  return {
    servername,
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    peerChain,
    authorized: true,
    clientCertificateOffered: false,
    elapsedMs: 41,
    ...overrides,
  };
}

/** A final SIP response with the headers given as `Name: value` lines. */
export function sipResponse(statusLine: string, headerLines: string[] = [], elapsedMs = 23): SipResponse {
  const match = /^SIP\/2\.0 (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!match) throw new Error(`not a status line: ${statusLine}`);
  const headers = headerLines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
  return { statusLine, statusCode: Number(match[1]), reason: match[2] ?? '', headers, elapsedMs, bytes: 200 };
}

export const OPTIONS_REQUEST =
  `OPTIONS sip:${TEST_DOMAIN} SIP/2.0\r\nVia: SIP/2.0/TLS 192.0.2.10:50000;branch=z9hG4bK0123456789abcdef;rport\r\nMax-Forwards: 70\r\n` +
  `From: <sip:fedcheck@fedcheck.invalid>;tag=abcdef\r\nTo: <sip:${TEST_DOMAIN}>\r\nCall-ID: 0123\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0`;

/** XMPP stream features: STARTTLS (maybe required) before TLS, dialback and SASL mechanisms after. */
export function xmppFeatures(options: { starttls?: boolean; required?: boolean; dialback?: boolean; sasl?: string[] } = {}): XmppFeatures {
  const starttls = options.starttls ?? false;
  const sasl = options.sasl ?? [];
  const names = [
    ...(starttls ? ['{urn:ietf:params:xml:ns:xmpp-tls}starttls'] : []),
    ...(options.dialback ? ['{urn:xmpp:features:dialback}dialback'] : []),
    ...(sasl.length > 0 ? ['{urn:ietf:params:xml:ns:xmpp-sasl}mechanisms'] : []),
  ];
  return { names, starttls: { offered: starttls, required: starttls && (options.required ?? false) }, dialback: options.dialback ?? false, saslMechanisms: sasl };
}

/** The stream header a healthy server answers with. */
export function streamHeader(domain = TEST_DOMAIN, overrides: Record<string, string> = {}): Record<string, string> {
  return { id: 'c2s-4f1e', from: domain, version: '1.0', xmlns: 'jabber:server', 'xmlns:stream': 'http://etherx.jabber.org/streams', 'xmlns:db': 'jabber:server:dialback', ...overrides };
}

/**
 * An XMPP negotiation that went well: STARTTLS offered and required, `<proceed/>` with nothing after it, TLS,
 * dialback offered on the restarted stream. `overrides` replace any part.
 */
export function xmppNegotiation(
  mode: XmppProbeFacts['mode'],
  address: string,
  port: number,
  session: TlsSession | undefined,
  overrides: Partial<XmppProbeFacts> = {},
): XmppProbeFacts {
  const base: XmppProbeFacts = {
    address,
    port,
    domain: TEST_DOMAIN,
    fromDomain: 'fedcheck.invalid',
    mode,
    streamHeader: streamHeader(),
    ...(mode === 'starttls' ? { preTlsFeatures: xmppFeatures({ starttls: true, required: true }), bytesAfterProceed: 0 } : {}),
    ...(session ? { tls: session, postTlsFeatures: xmppFeatures({ dialback: true }) } : {}),
  };
  return { ...base, ...overrides };
}

export class ProtocolFactBuilder extends FactBuilder {
  private readonly protocolOutcomes: FactRecord = {};
  private readonly srvTuples = new Map<string, SrvTuple[]>();
  private readonly hostAddresses = new Map<string, string[]>();
  private readonly sipOutcomes: { address: string; port: number; outcome: ProbeOutcome<unknown> }[] = [];
  /** The host of the SIP listener declared at each address. */
  private readonly sipHosts = new Map<string, string>();

  /**
   * A federation listener as DNS and TCP see it: the SRV record of its mode pointing at `host`, the host's A or
   * AAAA record, and the port open (or `tcp` as given). Calls accumulate records.
   */
  listener(mode: ListenerMode, host: string, address: string, port: number, tcp: 'open' | 'refused' | 'timeout' = 'open'): this {
    const name = SRV_BY_MODE[mode];
    const tuples = [...(this.srvTuples.get(name) ?? []), [10, 1, port, host] as SrvTuple];
    this.srvTuples.set(name, tuples);
    this.srv(name, tuples);
    if (mode === 'sip') this.sipHosts.set(address, host);
    const family = address.includes(':') ? 'AAAA' : 'A';
    const key = `${family} ${host}`;
    const addresses = [...new Set([...(this.hostAddresses.get(key) ?? []), address])];
    this.hostAddresses.set(key, addresses);
    if (family === 'A') this.a(host, addresses);
    else this.aaaa(host, addresses);
    return this.tcp(address, port, tcp);
  }

  /** The test Edge (sip.example.com, 203.0.113.5:5061) found by SRV, port open. */
  edge(): this {
    return this.listener('sip', EDGE.host, EDGE.address, EDGE.port);
  }

  /** The test XMPP server (xmpp.example.com, 203.0.113.8:5269) found by SRV, port open. */
  xmppServer(): this {
    return this.listener('xmpp-starttls', XMPP.host, XMPP.address, XMPP.port);
  }

  sip(address: string, port: number, facts: Omit<SipProbeFacts, 'address' | 'port'>): this {
    return this.putSip(address, port, { status: 'ok', facts: { address, port, ...facts } });
  }

  /** A SIP probe that completed TLS over `peerChain` and got `response` (200 OK by default). */
  sipSession(address: string, port: number, session: TlsSession, response: SipResponse | SessionFailure = sipResponse('SIP/2.0 200 OK')): this {
    const answer = 'statusLine' in response ? { response } : { failure: response };
    return this.sip(address, port, { tls: session, request: OPTIONS_REQUEST, ...answer });
  }

  /** A SIP probe that stopped before or during TLS. */
  sipFailure(address: string, port: number, failure: SessionFailure): this {
    return this.sip(address, port, { failure });
  }

  xmpp(mode: XmppProbeFacts['mode'], domain: string, address: string, port: number, facts: Omit<XmppProbeFacts, 'address' | 'port' | 'domain' | 'mode'> & Partial<XmppProbeFacts>): this {
    return this.putProtocol(protocolFactKey.xmpp(mode, domain, address, port), {
      status: 'ok',
      facts: { address, port, domain, mode, ...facts },
    });
  }

  /** A whole XMPP negotiation for the test domain, healthy unless `overrides` say otherwise. */
  xmppSession(mode: XmppProbeFacts['mode'], address: string, port: number, session: TlsSession | undefined, overrides: Partial<XmppProbeFacts> = {}): this {
    return this.xmpp(mode, TEST_DOMAIN, address, port, xmppNegotiation(mode, address, port, session, overrides));
  }

  /** The probe of `key`'s kind ran into an error of its own (no facts). */
  probeError(kind: 'sip' | 'xmpp-starttls' | 'xmpp-direct-tls', address: string, port: number, reason: string, detail: string): this {
    const outcome = { status: 'error', reason, detail } as const;
    if (kind === 'sip') return this.putSip(address, port, outcome);
    return this.putProtocol(protocolFactKey.xmpp(kind === 'xmpp-starttls' ? 'starttls' : 'direct-tls', TEST_DOMAIN, address, port), outcome);
  }

  probeSkipped(kind: 'sip' | 'xmpp-starttls' | 'xmpp-direct-tls', address: string, port: number, because: string): this {
    const outcome = { status: 'skipped', because } as const;
    if (kind === 'sip') return this.putSip(address, port, outcome);
    return this.putProtocol(protocolFactKey.xmpp(kind === 'xmpp-starttls' ? 'starttls' : 'direct-tls', TEST_DOMAIN, address, port), outcome);
  }

  /** Which versions the listener accepted; versions not named are 'rejected'. */
  tlsVersions(
    service: 'sip' | 'xmpp',
    servername: string,
    address: string,
    port: number,
    results: Partial<Record<TlsVersion, TlsVersionSupport['versions'][number]['result']>>,
  ): this {
    const versions = TLS_VERSIONS.map((version) => {
      const result = results[version] ?? 'rejected';
      const detail =
        result === 'untestable'
          ? `this machine's OpenSSL cannot offer ${version}`
          : result === 'rejected'
            ? 'the peer sent the TLS alert "protocol version"'
            : result === 'error'
              ? 'no completed TLS handshake within the probe\'s 4750 ms'
              : undefined;
      return detail === undefined ? { version, result } : { version, result, detail };
    });
    return this.putProtocol(protocolFactKey.tlsVersions(service, servername, address, port), {
      status: 'ok',
      facts: { address, port, servername, versions },
    });
  }

  /** The versions probe did not run (skipped) or failed on its own (error). */
  tlsVersionsOutcome(service: 'sip' | 'xmpp', servername: string, address: string, port: number, outcome: ProbeOutcome<TlsVersionSupport>): this {
    return this.putProtocol(protocolFactKey.tlsVersions(service, servername, address, port), outcome);
  }

  /** An HTTP fetch that answered 200 with `body` (base64 DER of a certificate, by default application/pkix-cert). */
  http(url: string, facts: Partial<HttpFetchFacts> & { body: string }): this {
    return this.putProtocol(protocolFactKey.http(url), {
      status: 'ok',
      facts: { url, status: 200, contentType: 'application/pkix-cert', truncated: false, elapsedMs: 30, ...facts },
    });
  }

  /** Our client certificate, as --client-cert loaded it (leaf first, base64 DER). */
  localCertificate(chain: string[], source = 'client.pem'): this {
    return this.putProtocol(protocolFactKey.localCertificate('client'), { status: 'ok', facts: { source, chain } });
  }

  override build(): FactRecord {
    // A SIP probe is keyed by the domain asked and the SNI, the SIP listener's host at that address (the test Edge's
    // when no listener is declared there), known only once the whole chain is.
    const sip = Object.fromEntries(
      this.sipOutcomes.map(({ address, port, outcome }) => [protocolFactKey.sip(TEST_DOMAIN, this.sipHosts.get(address) ?? EDGE.host, address, port), outcome]),
    );
    return { ...super.build(), ...structuredClone(this.protocolOutcomes), ...structuredClone(sip) };
  }

  private putProtocol(key: string, outcome: ProbeOutcome<unknown>): this {
    this.protocolOutcomes[key] = outcome;
    return this;
  }

  private putSip(address: string, port: number, outcome: ProbeOutcome<unknown>): this {
    this.sipOutcomes.push({ address, port, outcome });
    return this;
  }
}

export function protocolFacts(): ProtocolFactBuilder {
  return new ProtocolFactBuilder();
}

/**
 * Cases every protocol check shares: no listener, port not open, not probed, probe error. The check under test
 * must spread LISTENER_MESSAGES (or SESSION_MESSAGES) into its messages.
 */
export function listenerStateCases(
  kind: 'sip' | 'xmpp-starttls',
  options: { ownsProbe?: boolean } = {},
): { valid: Case[]; invalid: Case[] } {
  const listener = kind === 'sip' ? EDGE : XMPP;
  const target = { services: kind === 'sip' ? ['sip' as const] : ['xmpp' as const] };
  const open = () => protocolFacts().listener(kind, listener.host, listener.address, listener.port);
  const cases: { valid: Case[]; invalid: Case[] } = {
    valid: [
      {
        // The service is not published: the presence check says so once, and nothing else speaks of it.
        name: `${kind}: no federation listener, nothing to judge`,
        target,
        facts: protocolFacts().nxdomain(SRV_BY_MODE[kind], 'SRV').build(),
        expect: [],
      },
      {
        name: `${kind}: port not open is net.federation-port's finding`,
        target,
        facts: protocolFacts().listener(kind, listener.host, listener.address, listener.port, 'refused').build(),
        expect: [{ status: 'skip', messageId: 'portNotOpen', subject: listener.subject, data: { tcp: 'refused' } }],
      },
      {
        name: `${kind}: port open, protocol not probed in this run`,
        target,
        facts: open().build(),
        expect: [{ status: 'skip', messageId: 'notGathered', subject: listener.subject }],
      },
      {
        name: `${kind}: protocol probe skipped`,
        target,
        facts: open().probeSkipped(kind, listener.address, listener.port, 'the run reached its deadline').build(),
        expect: [{ status: 'skip', messageId: 'notProbed', data: { because: 'the run reached its deadline' } }],
      },
    ],
    invalid: [],
  };
  const failed = open().probeError(kind, listener.address, listener.port, 'tls-setup', 'the client certificate or key could not be loaded').build();
  // One error per probe that could not run, from the check that owns it; the others point there.
  if (options.ownsProbe) {
    cases.invalid.push({
      name: `${kind}: the probe itself failed`,
      target,
      facts: failed,
      expect: [{ status: 'error', messageId: 'probeError', subject: listener.subject }],
    });
  } else {
    cases.valid.push({
      name: `${kind}: the probe itself failed, reported by tls.handshake`,
      target,
      facts: failed,
      expect: [{ status: 'skip', messageId: 'probeErrorReported', subject: listener.subject }],
    });
  }
  return cases;
}
