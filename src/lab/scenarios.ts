// The lab's scenario domains: each shows checks in their passing or failing form. The DNS side is in
// fixtures/zones/<domain>.zone; this file says what listens where, so the two must agree.

export interface Scenario {
  domain: string;
  /** What the scenario shows, for `fedcheck lab` and the README. */
  shows: string;
  /** TCP listeners standing in for the Edge ports, on addresses of the lab block (127.77.x.y). */
  listeners: { address: string; ports: number[] }[];
}

export const SCENARIOS: Scenario[] = [
  {
    domain: 'healthy.test',
    shows: 'everything in order, internal listeners included',
    listeners: [{ address: '127.77.1.1', ports: [5061, 5269, 23456, 4443] }],
  },
  {
    domain: 'm365.test',
    shows: 'a domain hosted on Microsoft 365 (sipfed.online.lync.com)',
    listeners: [{ address: '127.77.2.1', ports: [5061] }],
  },
  { domain: 'no-srv.test', shows: 'no federation SRV records, only legacy _jabber._tcp', listeners: [] },
  {
    domain: 'cname-target.test',
    shows: 'SRV target is a CNAME',
    listeners: [{ address: '127.77.4.1', ports: [5061, 5269] }],
  },
  { domain: 'wrong-port.test', shows: 'SRV records with the wrong ports, nothing listening there', listeners: [] },
  {
    domain: 'multi-edge.test',
    shows: 'two Edge pools with equal priority and DNS load balancing',
    listeners: [
      { address: '127.77.6.1', ports: [5061] },
      { address: '127.77.6.2', ports: [5061] },
      { address: '127.77.6.3', ports: [5061] },
    ],
  },
  {
    domain: 'outside-domain.test',
    shows: 'SIP SRV target in another domain (ms-diagnostics 1009)',
    listeners: [{ address: '127.77.7.1', ports: [5061] }],
  },
  { domain: 'closed-port.test', shows: 'the Edge resolves but its ports are closed', listeners: [] },
  {
    domain: 'dual-stack.test',
    shows: 'reachable over IPv4, refused over IPv6',
    listeners: [{ address: '127.77.9.1', ports: [5061] }],
  },
  { domain: 'private-edge.test', shows: 'public SRV target with an internal address (never connected to)', listeners: [] },
  {
    domain: 'not-offered.test',
    shows: 'XMPP explicitly not offered (SRV target ".")',
    listeners: [{ address: '127.77.10.1', ports: [5061] }],
  },
  {
    domain: 'ns-disagree.test',
    shows: 'the two authoritative name servers disagree on the SIP SRV record',
    listeners: [
      { address: '127.77.11.1', ports: [5061] },
      { address: '127.77.11.2', ports: [5061] },
    ],
  },
  { domain: 'dns-broken.test', shows: 'SERVFAIL for one record, no answer for another', listeners: [] },
  {
    domain: 'client-mismatch.test',
    shows: 'federation on Microsoft 365, client records still on premises',
    listeners: [],
  },
];
