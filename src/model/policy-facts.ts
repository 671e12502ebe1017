// What the policy checks read besides the config: the partners' DNS and the Cisco next hops, gathered beforehand.

import type { ProbeOutcome, TcpConnectFacts } from './facts.js';
import type { SipProbeFacts } from './protocol-facts.js';
import type { FedcheckConfig } from './config.js';

/** Where a partner's SIP federation SRV record points, which tells a hosted partner (Microsoft 365) apart. */
export interface PartnerDns {
  /** The target of the preferred `_sipfederationtls._tcp` record; absent when none is published. */
  sipFederationTarget?: string;
  /** Why the record could not be looked up; the hosting question then has no answer. */
  lookupError?: string;
}

export type PartnerHosting = Record<string, PartnerDns>;

/** One static route's next hop as probed: TCP connect, then (for TLS) a handshake and a SIP OPTIONS. */
export interface NextHopProbe {
  /** The address connected to: the next hop itself, or what its host name resolved to. */
  address?: string;
  tcp: ProbeOutcome<TcpConnectFacts>;
  sip?: ProbeOutcome<SipProbeFacts>;
}

/** By nextHopKey(route). */
export type NextHopFacts = Record<string, NextHopProbe>;

export interface PolicyFacts {
  config: FedcheckConfig;
  /** Gathered by gatherPartnerHosting; absent when the partners' DNS was not asked. */
  partnerHosting?: PartnerHosting;
  /** Gathered by probeCiscoNextHops; absent when the next hops were not probed. */
  nextHops?: NextHopFacts;
  /** The partners to decide for (policy explain); the config's watched partners when absent. */
  partners?: string[];
}
