// Facts of the protocol half of a check: TLS sessions, SIP OPTIONS, XMPP s2s negotiation, HTTP fetches.
// Plain JSON, written by src/probes, read by checks through FactView.

import { formatHostPort } from './facts.js';

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export const TLS_VERSIONS: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Why a connection attempt stopped short. `stage` says how far it got. */
export interface SessionFailure {
  stage: 'connect' | 'preamble' | 'tls' | 'request' | 'response';
  /**
   * timeout: no answer in time; closed: the peer closed; reset; refused; tls-alert: the peer sent a TLS alert;
   * tls-error: the handshake failed locally (no shared version or cipher...); not-sip / not-xmpp: the peer spoke
   * something else; too-large: the byte cap was reached; malformed: unparseable; forbidden-xml: DOCTYPE, entity or PI.
   */
  reason:
    | 'timeout'
    | 'closed'
    | 'reset'
    | 'refused'
    | 'tls-alert'
    | 'tls-error'
    | 'not-sip'
    | 'not-xmpp'
    | 'too-large'
    | 'malformed'
    | 'forbidden-xml'
    | 'error';
  detail: string;
  /** The OpenSSL / Node error code when there is one (ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION...). */
  code?: string;
  /** Stage tls: what the port sent that was not TLS, in answer to our ClientHello or to a SIP OPTIONS sent in clear. */
  nonTlsAnswer?: NonTlsAnswer;
  /** Stage tls: the server's CertificateRequest, when the handshake got that far before failing. */
  clientCertificateRequest?: ClientCertificateRequest;
}

/** The first bytes a TLS port sent that were not a TLS record: a listener without TLS, or the wrong listener. */
export interface NonTlsAnswer {
  /**
   * What they answered: our ClientHello, or (after the ClientHello met silence) a SIP OPTIONS sent in clear on a
   * second connection.
   */
  answerTo: 'client-hello' | 'plain-sip-options';
  /** The bytes as text: printable ASCII as is, every other byte (and the backslash) escaped: \r, \n, \t, \xNN. */
  text: string;
  /** How many bytes `text` shows; at most NON_TLS_CAPTURE_BYTES. */
  bytes: number;
  /** What the first bytes look like: a SIP message, an HTTP response, an XMPP stream, or none of these. */
  looksLike: 'sip' | 'http' | 'xmpp' | 'unknown';
}

/** The most bytes of a non-TLS answer kept in the facts. */
export const NON_TLS_CAPTURE_BYTES = 512;

/**
 * Whether the server asked for a client certificate (a CertificateRequest in its handshake flight). In TLS 1.2 the
 * message is in clear; in TLS 1.3 the probe decrypts the server's handshake flight with the handshake secret.
 */
export interface ClientCertificateRequest {
  requested: boolean | 'unknown';
  /** Why it is unknown. */
  why?: string;
  /** The CA names the server accepts (certificate_authorities), RFC 4514 strings; empty when it names none. */
  certificateAuthorities?: string[];
}

/** One completed TLS handshake as the client saw it. */
export interface TlsSession {
  servername: string;
  protocol: string;
  cipher: string;
  /** The certificates the peer sent, in the order sent (leaf first), base64 DER. */
  peerChain: string[];
  /**
   * Issuers Node added from its trust store (bundled roots, --ca-file) to complete the chain: not sent by
   * the peer, nearest first, base64 DER. Absent when the peer's certificates reach a root on their own.
   */
  trustStoreIssuers?: string[];
  /** Node's verification against its roots plus --ca-file, and the OpenSSL reason when it failed. */
  authorized: boolean;
  authorizationError?: string;
  alpnProtocol?: string;
  /** Whether we offered a client certificate (--client-cert). */
  clientCertificateOffered: boolean;
  /** Whether the server asked for one; absent in facts saved before fedcheck recorded it. */
  clientCertificateRequest?: ClientCertificateRequest;
  elapsedMs: number;
}

/** Which protocol versions a TLS listener accepts, each tried on its own connection. */
export interface TlsVersionSupport {
  address: string;
  port: number;
  servername: string;
  versions: {
    version: TlsVersion;
    result: 'accepted' | 'rejected' | 'untestable' | 'error';
    /** For untestable: this machine's OpenSSL cannot offer the version; for rejected/error: what happened. */
    detail?: string;
    /** For error: why the attempt stopped short (a timeout is retried when our own event loop was saturated). */
    reason?: SessionFailure['reason'];
  }[];
}

export interface SipResponse {
  statusLine: string;
  statusCode: number;
  reason: string;
  /** Header fields in order, names as sent, folded lines joined. */
  headers: [string, string][];
  /** From writing the request to the end of the final response's header section. */
  elapsedMs: number;
  /** Bytes read up to the end of the final response's header section, provisional responses included. */
  bytes: number;
}

/** A SIP OPTIONS exchange over TLS (one connection: handshake, then the request). */
export interface SipProbeFacts {
  address: string;
  port: number;
  tls?: TlsSession;
  /** The request line and headers we sent, for evidence (no body). */
  request?: string;
  response?: SipResponse;
  failure?: SessionFailure;
}

export interface XmppFeatures {
  /** The child elements of <stream:features>, as `{namespace}local` names. */
  names: string[];
  starttls: { offered: boolean; required: boolean };
  dialback: boolean;
  saslMechanisms: string[];
}

export interface XmppStreamError {
  condition: string;
  text?: string;
}

/**
 * SASL EXTERNAL (XEP-0178) tried with our client certificate, when the secured stream offered it: `success`, the
 * server's `<failure/>` condition (RFC 6120 6.5), or why no answer was read.
 */
export type XmppSaslExternal =
  | { outcome: 'success' }
  | { outcome: 'failure'; condition: string; text?: string }
  | { outcome: 'no-answer'; detail: string };

/** XMPP server-to-server negotiation: stream, features, STARTTLS (or direct TLS), restarted stream, features. */
export interface XmppProbeFacts {
  address: string;
  port: number;
  /** The domain asked for in `to` and SNI. */
  domain: string;
  /** Our `from`. */
  fromDomain: string;
  mode: 'starttls' | 'direct-tls';
  /** Stream header attributes of the peer's first stream (id, from, version). */
  streamHeader?: Record<string, string>;
  preTlsFeatures?: XmppFeatures;
  /** Bytes the peer sent after <proceed/> before the handshake: discarded, reported (STARTTLS injection). */
  bytesAfterProceed?: number;
  tls?: TlsSession;
  postTlsFeatures?: XmppFeatures;
  /** Only when we presented a client certificate and the secured stream offered EXTERNAL. */
  saslExternal?: XmppSaslExternal;
  streamError?: XmppStreamError;
  failure?: SessionFailure;
}

/**
 * Whether the server ended the secured stream in place of its features because it had none to offer: Prosody 0.12
 * (mod_s2s) sends <undefined-condition/> "No stream features to offer" when dialback is off and it does not offer
 * SASL EXTERNAL. The text is the only sign; another undefined-condition stays a plain stream error.
 */
export function endedWithNothingToOffer(facts: XmppProbeFacts): boolean {
  const error = facts.streamError;
  if (facts.tls === undefined || facts.postTlsFeatures !== undefined) return false;
  return error?.condition === 'undefined-condition' && /no stream features/i.test(error.text ?? '');
}

export interface HttpFetchFacts {
  url: string;
  /** The HTTP status of the last response; 0 when none arrived (see failure). */
  status: number;
  contentType?: string;
  /** The body, base64, at most the probe's byte cap. */
  body: string;
  truncated: boolean;
  elapsedMs: number;
  /** The Location URLs followed, in order. */
  redirects?: string[];
  /** Why no complete answer came: connection, TLS, timeout, too many redirects. */
  failure?: SessionFailure;
}

/** A certificate fedcheck was given rather than shown: our own client certificate, a file to inspect. */
export interface LocalCertificateFacts {
  source: string;
  /** Leaf first, base64 DER. */
  chain: string[];
}

/**
 * What --revocation did for one leaf certificate: the issuer it judged against and which OCSP responder and CRL it
 * asked. Their answers are HttpFetchFacts under protocolFactKey.ocsp and protocolFactKey.http.
 */
export interface RevocationFacts {
  /** The leaf's serial number, upper-case hex. */
  serialNumber: string;
  /** The leaf's issuer (base64 DER), when found: sent by the peer, added from the trust store, or from AIA. */
  issuer?: string;
  issuerSource?: 'chain' | 'trust-store' | 'aia';
  /** The OCSP responder asked. */
  ocspUrl?: string;
  /** The CRL fetched: when there is no OCSP responder, or its answer was of no use. */
  crlUrl?: string;
  /** Why a way of checking was not tried ("no OCSP responder in the certificate", a private address...). */
  notes: string[];
}

export const protocolFactKey = {
  /**
   * One OPTIONS: the Request-URI's domain and the SNI are part of the question, so two domains served by one Edge each
   * get their own request (keyed by address alone, the second domain was answered with the first one's exchange).
   */
  sip: (domain: string, servername: string, address: string, port: number): string =>
    `sip:${domain}/${servername}@${formatHostPort(address, port)}`,
  xmpp: (mode: XmppProbeFacts['mode'], domain: string, address: string, port: number): string =>
    `xmpp-${mode}:${domain}@${formatHostPort(address, port)}`,
  tlsVersions: (service: 'sip' | 'xmpp', servername: string, address: string, port: number): string =>
    `tls-versions:${service}:${servername}@${formatHostPort(address, port)}`,
  http: (url: string): string => `http:${url}`,
  localCertificate: (role: 'client'): string => `local-certificate:${role}`,
  /** An OCSP POST for one certificate: the same responder answers differently per serial. */
  ocsp: (url: string, serialNumber: string): string => `ocsp:${url}#${serialNumber}`,
  /** --revocation's plan for one leaf, by its SHA-256 fingerprint. */
  revocation: (leafSha256: string): string => `revocation:${leafSha256}`,
};
