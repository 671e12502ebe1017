// What to gather for a target, from the kinds of fact the enabled checks read (GatherOptions.needs): a probe runs when
// a needed kind is its own or lies downstream of it (an SRV answer leads to addresses, an address to a connection, a
// connection to a session), so nothing is asked that no enabled check reads.

import type { FactKind } from '../model/fact-kinds.js';
import type { ListenerMode } from '../model/listener.js';

export interface GatherPlan {
  /** The federation and client SRV records. */
  srv: boolean;
  /** A/AAAA of the federation hosts. */
  addresses: boolean;
  /** A of sip.<domain> and lyncdiscover.<domain>. */
  clientHosts: boolean;
  /** The domain's NS records. */
  nameServers: boolean;
  /** The name servers' addresses and the questions asked of each without recursion. */
  authoritative: boolean;
  /** A connection to each federation port (and the internal ports with --vantage internal). */
  tcp: boolean;
  /** The SIP OPTIONS or XMPP stream on each open port of that mode. */
  session: (mode: ListenerMode) => boolean;
  tlsVersions: boolean;
  /** The leaf's missing issuer, from its AIA URL. */
  aia: boolean;
  /** --revocation's OCSP and CRL questions, when asked for. */
  revocation: boolean;
}

export function gatherPlan(needs: ReadonlySet<FactKind> | undefined): GatherPlan {
  const reads = (...kinds: FactKind[]) => needs === undefined || kinds.some((kind) => needs.has(kind));
  // Every kind read from a session's certificate needs the session, whichever protocol made it.
  const certificates = reads('presented-certificate', 'http', 'ocsp', 'revocation');
  const sip = reads('sip') || certificates;
  const xmpp = reads('xmpp') || certificates;
  const tlsVersions = reads('tls-versions');
  const tcp = reads('tcp') || sip || xmpp || tlsVersions;
  const addresses = tcp || reads('dns:A', 'dns:AAAA', 'dns:CNAME');
  const authoritative = needs === undefined || [...needs].some((kind) => kind.startsWith('dns@:'));
  return {
    srv: addresses || reads('dns:SRV'),
    addresses,
    clientHosts: reads('dns:A'),
    nameServers: authoritative || reads('dns:NS'),
    authoritative,
    tcp,
    session: (mode) => (mode === 'sip' ? sip : xmpp),
    tlsVersions,
    aia: reads('http'),
    revocation: reads('revocation', 'ocsp'),
  };
}
