// The fact kinds a run gathers: what its checks declare, and what every report's observations show.

import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { factsNeededBy } from '../../src/engine/needs.js';

describe('factsNeededBy', () => {
  it('holds every kind a registered check requires', () => {
    const needs = factsNeededBy(allChecks);
    for (const check of allChecks) for (const kind of check.meta.requires) expect(needs.has(kind), `${check.meta.id} ${kind}`).toBe(true);
  });

  it('asks for no kind only an unselected check reads, but keeps what the report shows', () => {
    const srvOnly = allChecks.filter((check) => check.meta.id === 'dns.sip-federation-srv');
    const needs = factsNeededBy(srvOnly);
    expect(needs.has('dns@:SRV')).toBe(false);
    expect(needs.has('http')).toBe(false);
    // The path and endpoints of every report: SRV, addresses, ports, TLS versions, the SIP and XMPP answers.
    for (const kind of ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp', 'tls-versions', 'sip', 'xmpp'] as const) expect(needs.has(kind), kind).toBe(true);
  });
});
