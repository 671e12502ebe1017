import { describe, expect, it } from 'vitest';
import { FactView } from '../../src/model/facts.js';
import {
  clientNames,
  federationHosts,
  hostAddresses,
  hostingProvider,
  isExplicitlyNotOffered,
  srvName,
  srvRecords,
} from '../../src/judge/services.js';
import type { Service, Target } from '../../src/model/target.js';
import { facts } from '../support/fact-builder.js';

const SIP_SRV = '_sipfederationtls._tcp.example.com';
const XMPP_SRV = '_xmpp-server._tcp.example.com';
const XMPPS_SRV = '_xmpps-server._tcp.example.com';

const target = (services: Service[], edge?: string): Target => ({
  domain: 'example.com',
  input: 'example.com',
  services,
  ...(edge === undefined ? {} : { edge }),
});

describe('srvName and clientNames', () => {
  it('prefixes the service labels to the domain', () => {
    expect(srvName('sipFederation', 'example.com')).toBe(SIP_SRV);
    expect(srvName('xmppServer', 'example.com')).toBe(XMPP_SRV);
    expect(srvName('xmppsServer', 'example.com')).toBe(XMPPS_SRV);
    expect(srvName('jabberLegacy', 'example.com')).toBe('_jabber._tcp.example.com');
    expect(clientNames('example.com')).toEqual({
      sipTls: '_sip._tls.example.com',
      sipHost: 'sip.example.com',
      lyncdiscover: 'lyncdiscover.example.com',
    });
  });
});

describe('srvRecords', () => {
  it('orders records as partners try them: priority up, then weight down', () => {
    const view = new FactView(
      facts()
        .srv(SIP_SRV, [
          [20, 5, 5061, 'c.example.com'],
          [10, 1, 5061, 'b.example.com'],
          [10, 9, 5061, 'a.example.com'],
        ])
        .build(),
    );
    expect(srvRecords(view.dns(SIP_SRV, 'SRV')).map((r) => r.target)).toEqual(['a.example.com', 'b.example.com', 'c.example.com']);
  });

  it('is empty for an error, NXDOMAIN or a question never asked', () => {
    const view = new FactView(facts().nxdomain(SIP_SRV, 'SRV').dnsError(XMPP_SRV, 'SRV', 'timeout').build());
    expect(srvRecords(view.dns(SIP_SRV, 'SRV'))).toEqual([]);
    expect(srvRecords(view.dns(XMPP_SRV, 'SRV'))).toEqual([]);
    expect(srvRecords(view.dns(XMPPS_SRV, 'SRV'))).toEqual([]);
  });
});

describe('isExplicitlyNotOffered', () => {
  const recordsOf = (targets: string[]) =>
    srvRecords(new FactView(facts().srv(SIP_SRV, targets.map((t) => [0, 0, 0, t])).build()).dns(SIP_SRV, 'SRV'));

  it('is true for a single "." (or empty) target only', () => {
    expect(isExplicitlyNotOffered(recordsOf(['.']))).toBe(true);
    expect(isExplicitlyNotOffered(recordsOf(['']))).toBe(true);
    expect(isExplicitlyNotOffered(recordsOf(['.', 'sip.example.com']))).toBe(false);
    expect(isExplicitlyNotOffered(recordsOf(['sip.example.com']))).toBe(false);
    expect(isExplicitlyNotOffered([])).toBe(false);
  });
});

describe('hostingProvider', () => {
  it('knows the Microsoft 365 federation Edges and nothing else', () => {
    expect(hostingProvider('sipfed.online.lync.com')?.name).toBe('Microsoft 365 (worldwide)');
    expect(hostingProvider('sipfed.online.gov.skypeforbusiness.us')?.name).toBe('Microsoft 365 GCC High');
    expect(hostingProvider('sip.example.com')).toBeUndefined();
  });
});

describe('federationHosts', () => {
  it('lists SRV targets with their ports, per service, in partner order', () => {
    const view = new FactView(
      facts()
        .srv(SIP_SRV, [
          [20, 1, 5061, 'sip2.example.com'],
          [10, 1, 5061, 'sip.example.com'],
        ])
        .srv(XMPP_SRV, [[10, 0, 5269, 'xmpp.example.com']])
        .srv(XMPPS_SRV, [[10, 0, 5270, 'xmpp.example.com']])
        .build(),
    );
    expect(federationHosts(target(['sip', 'xmpp']), view)).toEqual([
      { service: 'sip', host: 'sip.example.com', port: 5061, via: SIP_SRV, mode: 'sip' },
      { service: 'sip', host: 'sip2.example.com', port: 5061, via: SIP_SRV, mode: 'sip' },
      { service: 'xmpp', host: 'xmpp.example.com', port: 5269, via: XMPP_SRV, mode: 'xmpp-starttls' },
      { service: 'xmpp', host: 'xmpp.example.com', port: 5270, via: XMPPS_SRV, mode: 'xmpp-direct-tls' },
    ]);
  });

  it('includes the configured Edge first for SIP, even without SRV, and only once', () => {
    const withoutSrv = new FactView(facts().nxdomain(SIP_SRV, 'SRV').build());
    expect(federationHosts(target(['sip'], 'edge.example.com'), withoutSrv)).toEqual([
      { service: 'sip', host: 'edge.example.com', port: 5061, via: '--edge', mode: 'sip' },
    ]);
    const sameHost = new FactView(facts().srv(SIP_SRV, [[10, 1, 5061, 'edge.example.com']]).build());
    expect(federationHosts(target(['sip'], 'edge.example.com'), sameHost)).toEqual([
      { service: 'sip', host: 'edge.example.com', port: 5061, via: '--edge', mode: 'sip' },
    ]);
  });

  it('probes a configured XMPP server on 5269 without SRV', () => {
    const xmppTarget: Target = { domain: 'example.com', input: 'example.com', services: ['xmpp'], xmppEdge: 'xmpp.partner.example' };
    expect(federationHosts(xmppTarget, new FactView(facts().nxdomain(XMPP_SRV, 'SRV').build()))).toEqual([
      { service: 'xmpp', host: 'xmpp.partner.example', port: 5269, via: 'configured XMPP server', mode: 'xmpp-starttls' },
    ]);
  });

  it('does not use the configured Edge for XMPP', () => {
    expect(federationHosts(target(['xmpp'], 'edge.example.com'), new FactView({}))).toEqual([]);
  });

  it('skips a "." record and the services the target does not have', () => {
    const view = new FactView(
      facts()
        .srv(XMPP_SRV, [[0, 0, 0, '.']])
        .srv(SIP_SRV, [[10, 1, 5061, 'sip.example.com']])
        .build(),
    );
    expect(federationHosts(target(['xmpp']), view)).toEqual([]);
    expect(federationHosts(target(['sip']), view).map((h) => h.host)).toEqual(['sip.example.com']);
  });
});

describe('hostAddresses', () => {
  it('gives IPv4 then IPv6 addresses in answer order, without duplicates', () => {
    const view = new FactView(
      facts()
        .a('sip.example.com', ['203.0.113.6', '203.0.113.5', '203.0.113.6'])
        .aaaa('sip.example.com', ['2001:db8::5'])
        .build(),
    );
    expect(hostAddresses('sip.example.com', view)).toEqual([
      { address: '203.0.113.6', family: 4 },
      { address: '203.0.113.5', family: 4 },
      { address: '2001:db8::5', family: 6 },
    ]);
  });

  it('follows a CNAME: the addresses at the end of the chain belong to the host', () => {
    const view = new FactView(facts().a('sip.example.com', ['203.0.113.5'], { cname: ['edge.example.net'] }).build());
    expect(hostAddresses('sip.example.com', view)).toEqual([{ address: '203.0.113.5', family: 4 }]);
  });

  it('ignores failed, skipped and unasked lookups', () => {
    const view = new FactView(
      facts().rcode('sip.example.com', 'A', 'SERVFAIL').dnsSkipped('sip.example.com', 'AAAA', 'deadline').build(),
    );
    expect(hostAddresses('sip.example.com', view)).toEqual([]);
    expect(hostAddresses('other.example.com', view)).toEqual([]);
  });
});
