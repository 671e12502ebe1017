import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/pki/certificate.js';
import { matchDnsName, sipIdentities, xmppIdentities, type PresentedIdentities } from '../../src/pki/names.js';
import { NO_SUBJECT_ALT_NAMES, type SubjectAltNames } from '../../src/pki/subject-alt-names.js';
import { createTestPki } from '../../src/pki/test-ca.js';

function certificate(sans: Partial<SubjectAltNames>, commonNames: string[] = []): PresentedIdentities {
  return { sans: { ...NO_SUBJECT_ALT_NAMES, ...sans }, subjectCommonNames: commonNames };
}

describe('matchDnsName', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['Example.COM', 'example.com', true],
    ['example.com.', 'example.com', true],
    ['example.com', 'www.example.com', false],
    ['www.example.com', 'example.com', false],
    ['*.example.com', 'sip.example.com', true],
    ['*.example.com', 'SIP.Example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['f*.example.com', 'foo.example.com', false],
    ['*oo.example.com', 'foo.example.com', false],
    ['f*o.example.com', 'foo.example.com', false],
    ['sip.*.example.com', 'sip.a.example.com', false],
    ['*.*.example.com', 'a.b.example.com', false],
    ['*.com', 'example.com', false],
    ['*', 'com', false],
    ['xn--bcher-kva.example', 'bücher.example', true],
    ['xn--bcher-kva.example', 'BÜCHER.example', true],
    ['bücher.example', 'xn--bcher-kva.example', true],
    ['*.example.com', 'xn--bcher-kva.example.com', true],
    ['*.xn--bcher-kva.example', 'sip.bücher.example', true],
    ['example.com', '*.example.com', false],
    ['*.example.com', '*.example.com', false],
    ['', 'example.com', false],
    ['example..com', 'example..com', false],
  ])('%s against %s: %s', (pattern, name, expected) => {
    expect(matchDnsName(pattern, name)).toBe(expected);
  });
});

describe('sipIdentities', () => {
  const target = { domain: 'contoso.com', edgeFqdn: 'access.contoso.com' };

  it('reports the Lync rules for a textbook Access Edge certificate', () => {
    const edgeCertificate = certificate(
      { dns: ['access.contoso.com', 'webconf.contoso.com', 'sip.contoso.com'] },
      ['access.contoso.com'],
    );
    expect(sipIdentities(edgeCertificate, target)).toEqual({
      domain: { name: 'contoso.com', matchedBy: [] },
      edge: { name: 'access.contoso.com', matchedBy: ['dns'] },
      cnIsEdge: true,
      edgeIsFirstSan: true,
      wildcardForEdge: false,
    });
  });

  it.each([
    ['a dNSName', { dns: ['contoso.com'] }, ['dns']],
    ['a sip: URI', { uri: ['sip:contoso.com'] }, ['uri']],
    ['a sip: URI with parameters, in another case', { uri: ['SIP:Contoso.COM;transport=tls'] }, ['uri']],
    ['both a dNSName and a URI', { dns: ['contoso.com'], uri: ['sip:contoso.com'] }, ['dns', 'uri']],
    ['a wildcard dNSName', { dns: ['*.com'] }, []],
    ['a URI with a user part', { uri: ['sip:admin@contoso.com'] }, []],
    ['an https URI', { uri: ['https://contoso.com/'] }, []],
  ] as const)('names the domain by %s', (_, sans, expected) => {
    expect(sipIdentities(certificate(sans), target).domain.matchedBy).toEqual(expected);
  });

  it('flags an Edge FQDN named only by a wildcard', () => {
    const result = sipIdentities(certificate({ dns: ['*.contoso.com', 'contoso.com'] }, ['*.contoso.com']), target);
    expect(result.edge.matchedBy).toEqual(['dns-wildcard']);
    expect(result.wildcardForEdge).toBe(true);
    expect(result.domain.matchedBy).toEqual(['dns']);
    expect(result.cnIsEdge).toBe(false);
    expect(result.edgeIsFirstSan).toBe(false);
  });

  it('does not flag a wildcard when the Edge FQDN is also named exactly', () => {
    const result = sipIdentities(certificate({ dns: ['access.contoso.com', '*.contoso.com'] }), target);
    expect(result.edge.matchedBy).toEqual(['dns', 'dns-wildcard']);
    expect(result.wildcardForEdge).toBe(false);
  });

  it('counts the CN only when the certificate has no dNSName or URI at all', () => {
    const cnOnly = sipIdentities(certificate({}, ['access.contoso.com']), target);
    expect(cnOnly.edge.matchedBy).toEqual(['cn']);
    expect(cnOnly.cnIsEdge).toBe(true);
    expect(cnOnly.edgeIsFirstSan).toBe(false);
    // RFC 6125 6.4.4: a CN beside any dNSName or URI is not looked at.
    const beside = sipIdentities(certificate({ dns: ['webconf.contoso.com'] }, ['access.contoso.com']), target);
    expect(beside.edge.matchedBy).toEqual([]);
    expect(beside.cnIsEdge).toBe(true);
    expect(sipIdentities(certificate({ uri: ['sip:contoso.com'] }, ['access.contoso.com']), target).edge.matchedBy).toEqual([]);
    const both = sipIdentities(certificate({ dns: ['access.contoso.com'] }, ['ACCESS.contoso.com']), target);
    expect(both.edge.matchedBy).toEqual(['dns']);
    expect(both.cnIsEdge).toBe(true);
  });

  it('sees when the Edge FQDN is not the first dNSName', () => {
    const result = sipIdentities(certificate({ dns: ['sip.contoso.com', 'access.contoso.com'] }), target);
    expect(result.edge.matchedBy).toEqual(['dns']);
    expect(result.edgeIsFirstSan).toBe(false);
  });

  it('compares internationalized names as A-labels', () => {
    const result = sipIdentities(certificate({ dns: ['xn--bcher-kva.example', 'access.xn--bcher-kva.example'] }), {
      domain: 'bücher.example',
      edgeFqdn: 'access.bücher.example',
    });
    expect(result.domain.matchedBy).toEqual(['dns']);
    expect(result.edgeIsFirstSan).toBe(false);
    expect(result.edge.matchedBy).toEqual(['dns']);
  });
});

describe('xmppIdentities', () => {
  it.each([
    ['a DNS-ID', certificate({ dns: ['example.com'] }), ['dns']],
    ['an SRV-ID', certificate({ srvName: ['_xmpp-server.example.com'] }), ['srv-id']],
    ['an SRV-ID in another case', certificate({ srvName: ['_XMPP-Server.Example.COM'] }), ['srv-id']],
    ['an SRV-ID for the client service', certificate({ srvName: ['_xmpp-client.example.com'] }), []],
    ['an XmppAddr', certificate({ xmppAddr: ['example.com'] }), ['xmppaddr']],
    ['an XmppAddr of an account', certificate({ xmppAddr: ['admin@example.com'] }), []],
    ['an XmppAddr with a resource', certificate({ xmppAddr: ['example.com/server'] }), []],
    ['a wildcard for the domain itself', certificate({ dns: ['*.example.com'] }), []],
    ['the CN alone', certificate({}, ['example.com']), ['cn']],
    // RFC 6125 6.4.4, and Prosody 0.12 (test/interop/prosody.test.ts): a CN beside SANs of the XMPP kinds is ignored.
    ['the CN while DNS-IDs name others', certificate({ dns: ['chat.example.com'] }, ['example.com']), []],
    ['the CN while an XmppAddr names another', certificate({ xmppAddr: ['chat.example.com'] }, ['example.com']), []],
    ['the CN while a URI is presented', certificate({ uri: ['xmpp:chat.example.com'] }, ['example.com']), []],
    ['the CN beside only an e-mail address, a type XMPP does not use', certificate({ email: ['admin@example.com'] }, ['example.com']), ['cn']],
    ['the CN and a DNS-ID', certificate({ dns: ['example.com'] }, ['example.com']), ['dns']],
    [
      'every kind at once',
      certificate({ dns: ['example.com'], srvName: ['_xmpp-server.example.com'], xmppAddr: ['example.com'] }),
      ['dns', 'srv-id', 'xmppaddr'],
    ],
    ['nothing', certificate({ dns: ['chat.example.com'] }, ['chat.example.com']), []],
  ] as const)('names example.com by %s', (_, presented, expected) => {
    expect(xmppIdentities(presented, 'example.com')).toEqual({ name: 'example.com', matchedBy: expected });
  });

  it('applies the wildcard rules to DNS-IDs and to the domain part of SRV-IDs', () => {
    expect(xmppIdentities(certificate({ dns: ['*.example.com'] }), 'chat.example.com').matchedBy).toEqual(['dns-wildcard']);
    expect(xmppIdentities(certificate({ srvName: ['_xmpp-server.*.example.com'] }), 'chat.example.com').matchedBy).toEqual([
      'srv-id',
    ]);
    expect(xmppIdentities(certificate({ srvName: ['_xmpp-server.*.com'] }), 'example.com').matchedBy).toEqual([]);
  });

  it('reads the identities of a real certificate', async () => {
    const pki = await createTestPki();
    const issued = await pki.issue({
      commonName: 'xmpp.example.org',
      dnsNames: ['xmpp.example.org'],
      srvNames: ['_xmpp-server.example.org'],
      xmppAddrs: ['example.org'],
    });
    const info = parseCertificate(issued.certDer);
    expect(xmppIdentities(info, 'example.org').matchedBy).toEqual(['srv-id', 'xmppaddr']);
    expect(xmppIdentities(info, 'xmpp.example.org').matchedBy).toEqual(['dns']);
  });
});
