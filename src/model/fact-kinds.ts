// The kinds of fact a check may declare in meta.requires: one per FactView accessor, named after the probe that
// gathers it, so evaluation can hold a check to what it declares and the gatherer can plan probes from it.

import type { DnsType } from './facts.js';

export const DNS_TYPES: readonly DnsType[] = ['A', 'AAAA', 'CNAME', 'SRV', 'NS', 'SOA', 'TXT'];

export type FactKind =
  /** The run's resolver's answer for one record type (FactView.dns). */
  | `dns:${DnsType}`
  /** One authoritative name server's answer, asked without recursion (FactView.dnsAt, dnsAtEveryServer). */
  | `dns@:${DnsType}`
  | 'tcp'
  | 'sip'
  | 'xmpp'
  /** Which TLS versions an endpoint accepts (FactView.tlsVersions). */
  | 'tls-versions'
  /** AIA and CRL fetches (FactView.http). */
  | 'http'
  | 'ocsp'
  /** What --revocation concluded for a leaf (FactView.revocation). */
  | 'revocation'
  /** Our own client certificate (--client-cert). */
  | 'local-certificate'
  /** The chains the endpoints presented (CheckContext.certificates), derived by the engine or handed by cert inspect. */
  | 'presented-certificate'
  /** The federation policy config, and the partners a `policy explain` asked about. */
  | 'policy'
  /** Where each partner's SIP federation SRV record points (src/policy/gather.ts). */
  | 'partner-hosting'
  /** The Cisco static routes' next hops, probed (src/policy/cisco-probes.ts). */
  | 'cisco-next-hops';

export const FACT_KINDS: readonly FactKind[] = [
  ...DNS_TYPES.map((type): FactKind => `dns:${type}`),
  ...DNS_TYPES.map((type): FactKind => `dns@:${type}`),
  'tcp',
  'sip',
  'xmpp',
  'tls-versions',
  'http',
  'ocsp',
  'revocation',
  'local-certificate',
  'presented-certificate',
  'policy',
  'partner-hosting',
  'cisco-next-hops',
];

/** A check read a kind of fact it does not declare: the gatherer, planning from requires, may not have asked for it. */
export class UndeclaredFactError extends Error {
  constructor(
    readonly checkId: string,
    readonly kind: FactKind,
  ) {
    super(`${checkId} read ${kind} facts, which its meta.requires does not declare`);
    this.name = 'UndeclaredFactError';
  }
}

/** Who may read what: a view without `declared` reads everything (the engine's own view, the reporters'). */
export interface FactAccess {
  /** The check the view is for, to name it when it reads past its declaration. */
  checkId?: string;
  declared?: ReadonlySet<FactKind>;
  /** Told of every read, declared or not, before it is allowed or refused: the requires test listens here. */
  observe?: (kind: FactKind) => void;
}
