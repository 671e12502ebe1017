// Starts the lab's Edge stand-ins for the scenarios: a SIP responder on 5061 and an XMPP responder on 5269
// per Edge address, each with the certificate its scenario calls for, plus the plain internal listeners.

import net from 'node:net';
import type { IssuedCertificate, TestPki } from '../pki/test-ca.js';
import { startHostilePeer } from './hostile.js';
import { startLabHttp } from './http-server.js';
import type { HostilePeerOptions, PlainHostileBehaviour, TlsHostileBehaviour } from './hostile.js';
import type { LabDelay } from './delay.js';
import type { LabCredentials } from './lab-tls.js';
import { listenOnLoopback } from './listener.js';
import type { EdgeListener, Scenario } from './scenarios.js';
import { startSipResponder } from './sip-responder.js';
import { startXmppResponder } from './xmpp-responder.js';

export const SIP_PORT = 5061;
export const XMPP_PORT = 5269;

export interface EdgeContext {
  pki: TestPki;
  /** Where certificates point for the issuer (AIA caIssuers), the CRL and the OCSP responder. */
  caIssuersUrl: string;
  crlUrl: string;
  ocspUrl?: string;
  /** Filled with the serial numbers of the certificates issued with `revoked: true`, for the CRL and OCSP. */
  revokedSerials?: string[];
  /** Moves a 127.77.x.y address into the lab's block. */
  move: (address: string) => string;
  /** The second CA, which no one trusts, for `privateCa` certificates, and where its CRL is served. */
  privateCa?: { pki: TestPki; crlUrl: string };
  /** A URL on the lab's HTTP server that redirects to `location`. */
  redirectTo: (location: string) => string;
  /** Every listener but the hostile ones answers late (see delay.ts). */
  delay?: LabDelay;
}

type Closer = { close(): Promise<void> };

/** Starts every listener; on failure closes what it started and rethrows (EADDRINUSE makes the lab move block). */
export async function startEdges(scenarios: readonly Scenario[], context: EdgeContext): Promise<Closer[]> {
  const started: Closer[] = [];
  try {
    for (const scenario of scenarios) {
      for (const edge of scenario.edges) await startEdge(scenario.domain, edge, context, started);
    }
  } catch (error) {
    await Promise.all(started.map((closer) => closer.close()));
    throw error;
  }
  return started;
}

async function startEdge(domain: string, edge: EdgeListener, context: EdgeContext, started: Closer[]): Promise<void> {
  const address = context.move(edge.address);
  const credentials = toCredentials(await issueFor(edge, context), edge.certificate?.sendChain ?? true);
  // A private CA's certificate is sent up to its root, as servers of an in-house CA often do: the root is there, untrusted.
  if (edge.certificate?.privateCa) credentials.chainPem += context.privateCa?.pki.rootPem ?? '';
  if (edge.sip) {
    const { hostile, withoutTls, requestClientCertificate, reply = { status: 200, reason: 'OK' } } = edge.sip;
    const mutualTls = requestClientCertificate ? { requireClientCert: true, caPem: context.pki.rootPem } : {};
    started.push(
      hostile
        ? await startHostile(address, SIP_PORT, hostile, credentials)
        : withoutTls === 'http'
          ? await startLabHttp({ address, port: SIP_PORT, ...(context.delay ? { delay: context.delay } : {}) })
          : await startSipResponder({
              address,
              port: SIP_PORT,
              ...(withoutTls === 'sip' ? {} : { tls: { ...credentials, ...edge.versions }, ...mutualTls }),
              reply,
              ...(context.delay ? { delay: context.delay } : {}),
            }),
    );
  }
  if (edge.xmpp) {
    const { hostile, starttls = 'required', dialback = true, saslExternal = 'if-client-cert', hosted = true } = edge.xmpp;
    started.push(
      hostile
        ? await startHostile(address, XMPP_PORT, hostile, credentials)
        : await startXmppResponder({
            address,
            port: XMPP_PORT,
            mode: 'starttls',
            certificates: { [domain]: credentials },
            starttls,
            dialback,
            saslExternal,
            hostedDomains: hosted ? [domain] : [],
            ...(edge.xmpp.streamError ? { streamError: edge.xmpp.streamError } : {}),
            ...(edge.versions ? { versions: edge.versions } : {}),
            ...(context.delay ? { delay: context.delay } : {}),
          }),
    );
  }
  for (const port of edge.plainPorts ?? []) {
    // Internal listeners only need to accept: fedcheck probes them with a TCP connect.
    started.push(await listenOnLoopback(net.createServer((socket) => socket.end()), address, port, context.delay));
  }
}

const TLS_BEHAVIOURS: readonly string[] = ['endless-sip-header', 'not-sip'] satisfies TlsHostileBehaviour[];

/** Hostile peers that misbehave inside TLS get the listener's certificate; the others never reach TLS. */
function startHostile(address: string, port: number, behaviour: HostilePeerOptions['behaviour'], credentials: LabCredentials) {
  return TLS_BEHAVIOURS.includes(behaviour)
    ? startHostilePeer({ address, port, behaviour: behaviour as TlsHostileBehaviour, tls: credentials })
    : startHostilePeer({ address, port, behaviour: behaviour as PlainHostileBehaviour });
}

async function issueFor(edge: EdgeListener, context: EdgeContext): Promise<IssuedCertificate> {
  const { sendChain: _sendChain, revoked, privateCa, redirects, ...fault } = edge.certificate ?? {};
  if (privateCa) {
    if (!context.privateCa) throw new Error('a privateCa certificate needs the lab\'s second CA');
    const { pki, crlUrl } = context.privateCa;
    return pki.issue({ commonName: edge.names[0], dnsNames: edge.names, crlUrl, ...fault });
  }
  const issued = await context.pki.issue({
    commonName: edge.names[0],
    dnsNames: edge.names,
    crlUrl: context.crlUrl,
    caIssuersUrl: context.caIssuersUrl,
    ...(context.ocspUrl ? { ocspUrl: context.ocspUrl } : {}),
    ...fault,
    ...(redirects?.caIssuers ? { caIssuersUrl: context.redirectTo(redirects.caIssuers) } : {}),
    ...(redirects?.crl ? { crlUrl: context.redirectTo(redirects.crl) } : {}),
    ...(redirects?.ocsp ? { ocspUrl: context.redirectTo(redirects.ocsp) } : {}),
  });
  if (revoked) context.revokedSerials?.push(issued.serialNumber);
  return issued;
}

function toCredentials(issued: IssuedCertificate, sendChain: boolean): LabCredentials {
  return { certPem: issued.certPem, keyPem: issued.keyPem, chainPem: sendChain ? issued.chainPem : '' };
}
