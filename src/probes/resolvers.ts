// Which DNS servers a run asks: the system's resolvers, or the one given with --resolver.

import dns from 'node:dns';
import net from 'node:net';
import { UsageError } from '../model/errors.js';

export interface DnsServer {
  address: string;
  port: number;
}

const DNS_PORT = 53;

const RESOLVER_EXAMPLES = 'such as 192.0.2.53 or 192.0.2.53:5353 or [2001:db8::53]:53';

/** The port a domain's own name servers are asked on: 53, unless a lone resolver on another port says otherwise (the lab). */
export function authoritativePortFor(resolvers: readonly DnsServer[]): number {
  const [only] = resolvers;
  return resolvers.length === 1 && only !== undefined && only.port !== DNS_PORT ? only.port : DNS_PORT;
}

export function formatServer(server: DnsServer): string {
  return net.isIPv6(server.address) ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
}

/** Parses `--resolver`: "IP", "IP:PORT", "[IPv6]:PORT", "[IPv6]" or a bare IPv6 address. */
export function parseResolverSpec(spec: string): DnsServer {
  const server = parseServer(spec.trim());
  if (!server) {
    throw new UsageError(`invalid --resolver "${spec}": expected an IP address with an optional port, ${RESOLVER_EXAMPLES}`);
  }
  return server;
}

/** The resolvers of the system (node:dns reads /etc/resolv.conf); never a built-in public resolver. */
export function systemResolvers(): DnsServer[] {
  const servers: DnsServer[] = [];
  for (const entry of dns.getServers()) {
    const server = parseServer(entry);
    if (server) servers.push(server);
  }
  if (servers.length === 0) {
    throw new UsageError(`no DNS resolver found in the system configuration (/etc/resolv.conf): pass --resolver IP[:PORT], ${RESOLVER_EXAMPLES}`);
  }
  return servers;
}

function parseServer(text: string): DnsServer | undefined {
  // A bare IPv6 address contains colons but no port, so it is tried before splitting off a port.
  if (net.isIP(text)) return { address: text, port: DNS_PORT };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    const [, address = '', port] = bracketed;
    return net.isIPv6(address) ? withPort(address, port) : undefined;
  }
  const withPortSuffix = /^([^:]+):(\d+)$/.exec(text);
  if (withPortSuffix) {
    const [, address = '', port] = withPortSuffix;
    return net.isIPv4(address) ? withPort(address, port) : undefined;
  }
  return undefined;
}

function withPort(address: string, portText: string | undefined): DnsServer | undefined {
  if (portText === undefined) return { address, port: DNS_PORT };
  const port = Number(portText);
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? { address, port } : undefined;
}
