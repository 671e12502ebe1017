// Service presence: what a domain's DNS (and the XMPP fallback) says about each service, and what is then judged.

import { describe, expect, it } from 'vitest';
import { FactView } from '../../src/model/facts.js';
import type { FactRecord } from '../../src/model/facts.js';
import { judgedServices, servicePresence } from '../../src/judge/presence.js';
import type { Target } from '../../src/model/target.js';
import { facts } from '../support/fact-builder.js';

const SIP = '_sipfederationtls._tcp.example.com';
const XMPP = '_xmpp-server._tcp.example.com';
const XMPPS = '_xmpps-server._tcp.example.com';
const JABBER = '_jabber._tcp.example.com';

const target = (extra: Partial<Target> = {}): Target => ({ domain: 'example.com', input: 'example.com', services: ['sip', 'xmpp'], ...extra });
const presenceOf = (record: FactRecord, extra: Partial<Target> = {}) => servicePresence(target(extra), new FactView(record));

/** No XMPP SRV record at all, and the domain's own address refuses 5269. */
const noXmpp = () => facts().nxdomain(XMPP, 'SRV').nxdomain(XMPPS, 'SRV').nxdomain(JABBER, 'SRV').a('example.com', ['203.0.113.9']).nodata('example.com', 'AAAA').tcp('203.0.113.9', 5269, 'refused');

describe('service presence', () => {
  it('a SIP-only domain: SIP offered, XMPP absent, and only SIP judged', () => {
    const record = noXmpp().srv(SIP, [[10, 1, 5061, 'sip.example.com']]).build();
    const presence = presenceOf(record);
    expect(presence.sip).toEqual({ service: 'sip', state: 'offered', expected: false });
    expect(presence.xmpp).toEqual({ service: 'xmpp', state: 'absent', expected: false });
    expect(judgedServices(target(), presence)).toEqual(['sip']);
  });

  it('an absent service that is expected is judged, to fail', () => {
    const record = noXmpp().srv(SIP, [[10, 1, 5061, 'sip.example.com']]).build();
    expect(judgedServices(target({ expected: ['xmpp'] }), presenceOf(record, { expected: ['xmpp'] }))).toEqual(['sip', 'xmpp']);
  });

  it('recognises Microsoft 365 and its sovereign clouds as hosting', () => {
    for (const [fqdn, provider] of [
      ['sipfed.online.lync.com', 'Microsoft 365 (worldwide)'],
      ['sipfed.online.gov.skypeforbusiness.us', 'Microsoft 365 GCC High'],
      ['sipfed.online.partner.outlook.cn', 'Microsoft 365 operated by 21Vianet'],
    ] as const) {
      const record = noXmpp().srv(SIP, [[100, 1, 5061, fqdn]]).build();
      expect(presenceOf(record).sip).toMatchObject({ state: 'hosted', provider });
    }
  });

  it('a "." target is decidedly not offered; a configured Edge overrides it', () => {
    const record = facts().srv(SIP, [[0, 0, 0, '.']]).srv(XMPP, [[0, 0, 0, '.']]).nxdomain(XMPPS, 'SRV').build();
    expect(presenceOf(record).sip?.state).toBe('not-offered');
    expect(presenceOf(record).xmpp?.state).toBe('not-offered');
    expect(presenceOf(record, { edge: 'sip.example.com' }).sip?.state).toBe('configured');
  });

  it('XMPP without SRV: a server answering on the domain itself is the RFC 6120 fallback', () => {
    const record = facts().nxdomain(XMPP, 'SRV').nxdomain(XMPPS, 'SRV').a('example.com', ['203.0.113.9']).nodata('example.com', 'AAAA').tcp('203.0.113.9', 5269, 'open').build();
    expect(presenceOf(record).xmpp?.state).toBe('fallback');
  });

  it('only the legacy _jabber._tcp record, nothing on the fallback: legacy-only, judged', () => {
    const record = facts().nxdomain(XMPP, 'SRV').nxdomain(XMPPS, 'SRV').srv(JABBER, [[10, 0, 5269, 'xmpp.example.com']]).nxdomain('example.com', 'A').nxdomain('example.com', 'AAAA').build();
    const presence = presenceOf(record);
    expect(presence.xmpp?.state).toBe('legacy-only');
    expect(judgedServices(target(), presence)).toContain('xmpp');
  });

  it('direct TLS only (_xmpps-server) is offered; a failed lookup is unknown and judged', () => {
    expect(presenceOf(facts().nxdomain(XMPP, 'SRV').srv(XMPPS, [[10, 0, 5270, 'xmpp.example.com']]).build()).xmpp?.state).toBe('offered');
    const failed = presenceOf(facts().rcode(SIP, 'SRV', 'SERVFAIL').build());
    expect(failed.sip?.state).toBe('unknown');
    expect(judgedServices(target(), failed)).toContain('sip');
  });
});
