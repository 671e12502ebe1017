// The federation listeners a domain has, as the checks and the observations speak of them: where a partner connects,
// what the probe there recorded, and the chain it was shown. Shapes only; services.ts, tls-evidence.ts and
// presented-chains.ts derive them from the facts.

import type { FindingData } from './check.js';
import type { SipProbeFacts, TlsSession, XmppProbeFacts } from './protocol-facts.js';
import type { DraftLocation } from './location.js';
import type { Service } from './target.js';

/** How a partner speaks to a federation listener: SIP over TLS, XMPP with STARTTLS, XMPP over direct TLS. */
export type ListenerMode = 'sip' | 'xmpp-starttls' | 'xmpp-direct-tls';

export interface FederationHost {
  service: Service;
  host: string;
  port: number;
  /** Where the host came from: an SRV record (by its owner name) or the configured Edge FQDN. */
  via: string;
  mode: ListenerMode;
}

export interface Endpoint extends FederationHost {
  address: string;
  family: 4 | 6;
  /** SNI and the name the certificate is judged against: the SRV target for SIP, the domain for XMPP. */
  servername: string;
}

/** One address of one federation listener, as findings name it. */
export interface Listener {
  endpoint: Endpoint;
  /** `<host> <address:port>`: protocol findings are per address. */
  subject: string;
  /** Its host, address and port: eachListener gives it to every draft that does not say more. */
  location: DraftLocation;
  /** Placeholders every listener message may use: subject, host, address, port, endpoint, servername, domain, sniAndStarttls. */
  data: FindingData;
}

/** What one probe recorded, tagged by the protocol that made it. */
export type ProbeRecord = { protocol: 'sip'; facts: SipProbeFacts } | { protocol: 'xmpp'; facts: XmppProbeFacts };

/** A listener as a protocol check judges it. */
export type ListenerState =
  /** net.federation-port owns closed ports; a protocol check has nothing to say there. */
  | { state: 'port-not-open'; tcp: string }
  | { state: 'not-gathered' }
  | { state: 'not-probed'; because: string }
  /** Could not measure: the probe itself failed (our client certificate did not load, an invalid name...). */
  | { state: 'probe-error'; reason: string }
  /** The probe ran, but no TLS session came of it: `why` says how far it got. */
  | { state: 'no-session'; probe: ProbeRecord; why: string }
  | { state: 'secured'; probe: ProbeRecord; session: TlsSession };

/**
 * Where a chain the certificate checks judge came from: the TLS session a listener opened (a live run, or `cert
 * inspect host:port`), or a file `cert inspect` read, where nothing was negotiated and no connection was made.
 */
export type ChainSource = { kind: 'tls'; session: TlsSession } | { kind: 'file'; path: string };

/** A chain as a partner is shown it, and the verdict Node's OpenSSL gives (for a file: would give) a client shown it. */
export interface CertificateChain {
  /** Base64 DER, leaf first, in the order sent (or stored in the file). */
  peerChain: string[];
  authorized: boolean;
  /** OpenSSL's verify code when not authorized, such as UNABLE_TO_GET_ISSUER_CERT_LOCALLY. */
  authorizationError?: string;
  source: ChainSource;
}

/** A listener's chain as a partner is shown it (`presented`), or why there is none to judge (the listener states). */
export type ChainState =
  | Exclude<ListenerState, { state: 'no-session' | 'secured' }>
  | { state: 'no-session'; why: string }
  | ({ state: 'presented' } & CertificateChain);

export interface PresentedChain {
  listener: Listener;
  chain: ChainState;
}
