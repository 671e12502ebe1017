import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TlsSession } from '../../src/model/protocol-facts.js';
import { parseCertificate } from '../../src/pki/certificate.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../src/pki/test-ca.js';
import { extensionDefects } from '../../src/pki/extension-defects.js';
import { probeTlsVersions, tlsHandshake, TlsSetupError, type TlsHandshakeResult } from '../../src/probes/tls.js';
import { startTlsServer, type TlsServer, type TlsServerOptions } from '../support/peers/tls-server.js';
import { LOOPBACK_EGRESS } from '../support/egress.js';
import type { NetContext } from '../../src/probes/connector.js';

const HOST = 'sip.example.test';
const context = (timeoutMs = 5000): NetContext => ({ signal: new AbortController().signal, timeoutMs, egress: LOOPBACK_EGRESS });
const base64 = (der: Buffer) => der.toString('base64');

let pki: TestPki;
let leaf: IssuedCertificate;
let client: IssuedCertificate;
const servers: TlsServer[] = [];

async function server(options: Partial<TlsServerOptions> = {}): Promise<TlsServer> {
  const started = await startTlsServer({ certPem: leaf.certPem, keyPem: leaf.keyPem, chainPem: leaf.chainPem, ...options });
  servers.push(started);
  return started;
}

function session(result: TlsHandshakeResult): TlsSession {
  if ('failure' in result) throw new Error(`expected a session, got ${JSON.stringify(result.failure)}`);
  result.socket.destroy();
  return result.session;
}

beforeAll(async () => {
  pki = await createTestPki();
  leaf = await pki.issue({ dnsNames: [HOST] });
  client = await pki.issue({ dnsNames: ['fedcheck.example.test'], eku: ['clientAuth'] });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('tlsHandshake', () => {
  it('records protocol, cipher, the chain as sent and chain trust under the extra CA', async () => {
    const peer = await server();
    const facts = session(await tlsHandshake(peer, { servername: HOST, extraCaPem: [pki.rootPem] }, context()));
    expect(facts).toMatchObject({ servername: HOST, protocol: 'TLSv1.3', authorized: true, clientCertificateOffered: false });
    expect(facts.cipher).toMatch(/^TLS_/);
    expect(facts.peerChain).toEqual([base64(leaf.certDer), base64(pki.intermediateDer)]);
    // The root came from our trust store, not from the peer: reported apart.
    expect(facts.trustStoreIssuers).toEqual([base64(pki.rootDer)]);
    expect(facts.authorizationError).toBeUndefined();
    expect(facts.alpnProtocol).toBeUndefined();
  });

  it('gets from OpenSSL no code naming an extension fault: the certificate is read to name it', async () => {
    // What tls.certificate-chain's cases feed it: UNSPECIFIED, or an unknown issuer for a certificate OpenSSL marks invalid.
    const faults = [
      ['unhandled-critical', 'UNSPECIFIED', 'an unhandled critical extension 1.3.6.1.4.1.32473.1'],
      ['duplicate-san', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'a duplicate extension subjectAltName (2.5.29.17)'],
      ['empty-key-usage', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'an empty keyUsage (no usage bit set)'],
    ] as const;
    for (const [extensionFault, code, defect] of faults) {
      const faulty = await pki.issue({ dnsNames: [HOST], extensionFault });
      const peer = await server({ certPem: faulty.certPem, keyPem: faulty.keyPem });
      const facts = session(await tlsHandshake(peer, { servername: HOST, extraCaPem: [pki.rootPem] }, context()));
      expect(facts.authorized, extensionFault).toBe(false);
      expect(facts.authorizationError, extensionFault).toBe(code);
      expect(extensionDefects(faulty.certDer)).toEqual([defect]);
    }
    expect(extensionDefects(leaf.certDer)).toEqual([]);
  });

  it('reports the chain as untrusted, with OpenSSL\'s reason, without the test root', async () => {
    const peer = await server();
    const facts = session(await tlsHandshake(peer, { servername: HOST }, context()));
    expect(facts.authorized).toBe(false);
    expect(facts.authorizationError).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    expect(facts.peerChain).toEqual([base64(leaf.certDer), base64(pki.intermediateDer)]);
    expect(facts.trustStoreIssuers).toBeUndefined();
  });

  it('keeps an intermediate the peer did not send out of peerChain even when we trust it', async () => {
    const peer = await server({ chainPem: '' });
    const facts = session(await tlsHandshake(peer, { servername: HOST, extraCaPem: [pki.rootPem, pki.intermediatePem] }, context()));
    expect(facts.authorized).toBe(true);
    expect(facts.peerChain).toEqual([base64(leaf.certDer)]);
    expect(facts.trustStoreIssuers).toEqual([base64(pki.intermediateDer), base64(pki.rootDer)]);
  });

  it('keeps the order the peer sent, even a wrong one', async () => {
    const peer = await server({ chainPem: pki.rootPem + pki.intermediatePem });
    const facts = session(await tlsHandshake(peer, { servername: HOST, extraCaPem: [pki.rootPem] }, context()));
    expect(facts.peerChain).toEqual([base64(leaf.certDer), base64(pki.rootDer), base64(pki.intermediateDer)]);
    expect(facts.trustStoreIssuers).toBeUndefined();
  });

  it('does not judge names: a certificate for another host is still authorized by chain', async () => {
    const peer = await server();
    const facts = session(await tlsHandshake(peer, { servername: 'other.example.test', extraCaPem: [pki.rootPem] }, context()));
    expect(facts.authorized).toBe(true);
  });

  it('offers our client certificate when the peer asks for one', async () => {
    const peer = await server({ clientCaPem: pki.rootPem });
    const clientCertificate = { certPem: client.certPem + client.chainPem, keyPem: client.keyPem };
    const result = await tlsHandshake(peer, { servername: HOST, clientCertificate }, context());
    // In TLS 1.3 our handshake ends before the server has read our certificate: keep the connection until it has.
    await expect.poll(() => peer.clientCertificates).toEqual([base64(client.certDer)]);
    expect(session(result).clientCertificateOffered).toBe(true);
  });

  it.each(['TLSv1.2', 'TLSv1.3'] as const)('%s: records whether the server asked for a client certificate, and the CAs it names', async (version) => {
    const asking = await server({ clientCaPem: pki.rootPem, minVersion: version, maxVersion: version });
    const asked = session(await tlsHandshake(asking, { servername: HOST }, context()));
    expect(asked.protocol).toBe(version);
    expect(asked.clientCertificateRequest).toEqual({ requested: true, certificateAuthorities: [parseCertificate(base64(pki.rootDer)).subject] });
    const quiet = await server({ minVersion: version, maxVersion: version });
    expect(session(await tlsHandshake(quiet, { servername: HOST }, context())).clientCertificateRequest).toEqual({ requested: false });
  });

  it('negotiates ALPN when asked', async () => {
    const peer = await server({ alpn: ['xmpp-server'] });
    const facts = session(await tlsHandshake(peer, { servername: HOST, alpn: ['xmpp-server'] }, context()));
    expect(facts.alpnProtocol).toBe('xmpp-server');
  });

  it('maps a protocol_version alert from the peer to tls-alert', async () => {
    const peer = await server({ minVersion: 'TLSv1.3' });
    const result = await tlsHandshake(peer, { servername: HOST, maxVersion: 'TLSv1.2' }, context());
    expect(result).toMatchObject({ failure: { stage: 'tls', reason: 'tls-alert', code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' } });
  });

  it('fails the modern session (TLS 1.2 minimum) against a TLS 1.0-only peer', async () => {
    const peer = await server({ minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    const result = await tlsHandshake(peer, { servername: HOST }, context());
    expect(result).toMatchObject({ failure: { stage: 'tls', reason: 'tls-alert', code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' } });
  });

  it('maps a refused connection to the connect stage', async () => {
    const peer = await server();
    await peer.close();
    const result = await tlsHandshake(peer, { servername: HOST }, context());
    expect(result).toMatchObject({ failure: { stage: 'connect', reason: 'refused' } });
  });

  it('throws TlsSetupError, before connecting, when our client certificate does not load', async () => {
    const clientCertificate = { certPem: client.certPem, keyPem: 'not a key' };
    await expect(tlsHandshake({ address: '127.0.0.1', port: 9 }, { servername: HOST, clientCertificate }, context())).rejects.toBeInstanceOf(
      TlsSetupError,
    );
  });
});

describe('probeTlsVersions', () => {
  const versionsOf = async (peer: TlsServer) => {
    const outcome = await probeTlsVersions(peer.address, peer.port, HOST, undefined, {}, context());
    if (outcome.status !== 'ok') throw new Error(JSON.stringify(outcome));
    expect(outcome.facts).toMatchObject({ address: peer.address, port: peer.port, servername: HOST });
    return Object.fromEntries(outcome.facts.versions.map((v) => [v.version, v.result]));
  };

  it('finds a TLS 1.2-only listener', async () => {
    const peer = await server({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    expect(await versionsOf(peer)).toEqual({ TLSv1: 'rejected', 'TLSv1.1': 'rejected', 'TLSv1.2': 'accepted', 'TLSv1.3': 'rejected' });
  });

  it('finds a TLS 1.3-only listener', async () => {
    const peer = await server({ minVersion: 'TLSv1.3' });
    expect(await versionsOf(peer)).toEqual({ TLSv1: 'rejected', 'TLSv1.1': 'rejected', 'TLSv1.2': 'rejected', 'TLSv1.3': 'accepted' });
  });

  it('finds a TLS 1.0-only listener (OpenSSL 3 serves and offers TLS 1.0 at SECLEVEL=0)', async () => {
    const peer = await server({ minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    expect(await versionsOf(peer)).toEqual({ TLSv1: 'accepted', 'TLSv1.1': 'rejected', 'TLSv1.2': 'rejected', 'TLSv1.3': 'rejected' });
  });

  it('says why a rejected version was rejected', async () => {
    const peer = await server({ minVersion: 'TLSv1.3' });
    const outcome = await probeTlsVersions(peer.address, peer.port, HOST, undefined, {}, context());
    const tls12 = outcome.status === 'ok' ? outcome.facts.versions.find((v) => v.version === 'TLSv1.2') : undefined;
    expect(tls12?.detail).toMatch(/protocol version/);
  });

  it('reports every version as an error when nothing listens', async () => {
    const peer = await server();
    await peer.close();
    const outcome = await probeTlsVersions(peer.address, peer.port, HOST, undefined, {}, context());
    expect(outcome.status === 'ok' && outcome.facts.versions.map((v) => v.result)).toEqual(['error', 'error', 'error', 'error']);
  });

  it('is an error outcome, not a peer fact, when our client certificate does not load', async () => {
    const outcome = await probeTlsVersions('127.0.0.1', 9, HOST, undefined, { clientCertificate: { pfx: Buffer.from('nope') } }, context());
    expect(outcome).toMatchObject({ status: 'error', reason: 'tls-setup' });
  });
});

afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
