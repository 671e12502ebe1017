// How a domain offers each federation service, as the Report and the check contract carry it. The model's part of
// presence.ts, which decides it from the facts.

import type { Service } from './target.js';

export type PresenceState =
  /** An SRV record leads to a real host. */
  | 'offered'
  /** SIP: every SRV target is a hosting provider's Edge (Microsoft 365 and its sovereign clouds). */
  | 'hosted'
  /** No SRV record, but the user configured the server (--edge, an allowed partner's ProxyFqdn). */
  | 'configured'
  /** XMPP: no SRV record, and a server answers on the domain's own address, port 5269 (RFC 6120 3.2.2). */
  | 'fallback'
  /** XMPP: only the pre-RFC 6120 _jabber._tcp record, which servers no longer ask for. */
  | 'legacy-only'
  /** A single SRV record with the target "." (RFC 2782): decidedly not offered. */
  | 'not-offered'
  | 'absent'
  /** The lookups that decide it failed or were not made: could not measure. */
  | 'unknown';

export interface ServicePresence {
  service: Service;
  state: PresenceState;
  /** The user said the domain must offer it (config `services:`, --sip/--xmpp/--expect, our own domains). */
  expected: boolean;
  /** The hosting provider, for `hosted`. */
  provider?: string;
}

export type Presence = Partial<Record<Service, ServicePresence>>;

/** A service whose checks run: one the domain offers in some way, one that could not be decided, or one expected. */
export function isJudged(presence: ServicePresence): boolean {
  return presence.expected || !(presence.state === 'absent' || presence.state === 'not-offered');
}
