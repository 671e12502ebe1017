// The one place fedcheck opens sockets. Every connection (DNS, TCP, TLS, SIP, XMPP, HTTP) names where it goes and on
// whose word: a partner's (its DNS, its certificates: the egress rule applies) or the admin's own (the resolver,
// the config's Cisco next hops, the host typed on the command line). A host name is resolved here, with fedcheck's
// own resolver, the address is judged, and the socket is opened to that very address: there is no second lookup
// for a partner's DNS to answer differently (DNS rebinding).

import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import type { buildConnector } from 'undici';
import { addressScope, mayConnect } from '../judge/address-scope.js';
import type { ProbeContext } from '../model/facts.js';

/** The addresses of a host name, A before AAAA, from fedcheck's resolver; or why there are none. */
export type Lookup = (host: string, signal: AbortSignal) => Promise<string[] | { error: string }>;

export type Egress =
  /** An address a partner published or a certificate named: the egress rule applies. */
  | { kind: 'partner'; allowPrivate: readonly string[]; lookup: Lookup }
  /** An address the admin gave (a resolver, a next hop in the config, a host typed to `cert inspect`): connected to as given. */
  | { kind: 'admin'; lookup: Lookup };

/** A probe's context with the egress its connections are made under. */
export interface NetContext extends ProbeContext {
  egress: Egress;
}

/** A connection the egress rule refused; nothing was sent. */
export class EgressRefused extends Error {
  readonly code = 'EGRESS_REFUSED';
}

/** A lookup for egresses that only ever get addresses. */
export const noLookup: Lookup = (host) => Promise.resolve({ error: `${host} is not an address, and this connection resolves no names` });

/** The egress of the admin's own addresses: the run's resolvers (--resolver, or resolv.conf), the config's Cisco next hops. */
export const ADMINS_OWN: Egress = { kind: 'admin', lookup: noLookup };

/** Why the egress rule refuses `address`, or undefined when it may be connected to. */
export function refusal(address: string, egress: Egress): string | undefined {
  const why = refusedScope(address, egress);
  return why === undefined ? undefined : `${address} is ${why}`;
}

function refusedScope(address: string, egress: Egress): string | undefined {
  if (net.isIP(address) === 0) return 'not an IP address';
  if (egress.kind === 'admin' || mayConnect(address, egress.allowPrivate)) return undefined;
  return `a ${addressScope(address)} address; not connected to without --allow-private`;
}

/** The address to connect to for `host` (an address or a name), judged by the rule; or why there is none. */
export async function destination(host: string, egress: Egress, signal: AbortSignal): Promise<{ address: string } | { refused: string }> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (net.isIP(bare) !== 0) {
    const refused = refusal(bare, egress);
    return refused === undefined ? { address: bare } : { refused };
  }
  const found = await egress.lookup(bare, signal);
  if (!Array.isArray(found)) return { refused: found.error };
  if (found.length === 0) return { refused: `${bare} has no address in DNS` };
  // A name with one internal address among public ones is refused whole: which one a client picks is not ours to bet on.
  for (const address of found) {
    const why = refusedScope(address, egress);
    if (why !== undefined) return { refused: `${bare} resolves to ${address}, ${why}` };
  }
  return { address: found[0] as string };
}

/** A TCP connection to an address, or why the rule refuses it. The socket is connecting; its events are the caller's. */
export function openTcp(address: string, port: number, egress: Egress): { socket: net.Socket } | { refused: string } {
  const refused = refusal(address, egress);
  if (refused !== undefined) return { refused };
  return { socket: net.connect({ host: address, port, family: net.isIPv6(address) ? 6 : 4 }) };
}

/** A UDP socket connected to an address (it hears only that peer), or why the rule refuses it. */
export function openUdp(
  address: string,
  port: number,
  egress: Egress,
  onConnected: (error?: Error) => void,
): { socket: dgram.Socket } | { refused: string } {
  const refused = refusal(address, egress);
  if (refused !== undefined) return { refused };
  const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
  socket.connect(port, address, onConnected);
  return { socket };
}

/**
 * undici's `connect` for an Agent: every HTTP connection, the first request and each redirect alike, is resolved
 * and judged here and opened to the judged address. TLS verifies the certificate against the URL's host name.
 * Each connection ends with `signal`, or after `connectTimeoutMs` when given.
 */
export function httpConnector(egress: Egress, whole: AbortSignal, connectTimeoutMs?: number): buildConnector.connector {
  return (options, callback) => {
    const signal = connectTimeoutMs === undefined ? whole : AbortSignal.any([whole, AbortSignal.timeout(connectTimeoutMs)]);
    const host = options.hostname.replace(/^\[|\]$/g, '');
    const secure = options.protocol === 'https:';
    const port = Number(options.port) || (secure ? 443 : 80);
    destination(host, egress, signal).then(
      (found) => {
        if ('refused' in found) return callback(new EgressRefused(found.refused), null);
        if (signal.aborted) return callback(new Error('aborted before connecting'), null);
        const plain = openTcp(found.address, port, egress);
        if ('refused' in plain) return callback(new EgressRefused(plain.refused), null);
        const socket = secure
          ? tls.connect({
              socket: plain.socket,
              ...(net.isIP(host) === 0 ? { servername: host } : {}),
              // Verified against the URL's host, not the address the socket went to.
              checkServerIdentity: (_name, certificate) => tls.checkServerIdentity(host, certificate),
              ALPNProtocols: ['http/1.1'],
            })
          : plain.socket;
        let settled = false;
        const settle = (error: Error | null) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          if (error) {
            socket.destroy();
            callback(error, null);
          } else callback(null, socket);
        };
        const onAbort = () => settle(new Error('aborted while connecting'));
        signal.addEventListener('abort', onAbort, { once: true });
        socket.once(secure ? 'secureConnect' : 'connect', () => settle(null));
        socket.once('error', (error) => settle(error));
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  };
}
