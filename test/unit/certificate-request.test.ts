// The CertificateRequest reader on server flights recorded from a real OpenSSL server (fixtures/handshakes/, made with
// Node's TLS server and a throw-away CA): TLS 1.2 in clear, TLS 1.3 decrypted with the recorded handshake secret.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandLabel, readCertificateRequest, type HandshakeCapture } from '../../src/probes/certificate-request.js';
import { ROOT } from '../support/fedcheck.js';

interface Recorded {
  recordedWith: string;
  protocol: string;
  serverBytes: string;
  serverHandshakeSecret?: string;
  caNames: string[];
}

function recorded(name: string): Recorded & { capture: HandshakeCapture } {
  const file = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'handshakes', `${name}.json`), 'utf8')) as Recorded;
  const capture: HandshakeCapture = { bytes: Buffer.from(file.serverBytes, 'hex'), truncated: false };
  if (file.serverHandshakeSecret) capture.serverHandshakeSecret = Buffer.from(file.serverHandshakeSecret, 'hex');
  return { ...file, capture };
}

describe('readCertificateRequest on recorded handshakes', () => {
  it('TLS 1.2: finds the CertificateRequest in clear, with the acceptable CA names', () => {
    const { capture, caNames } = recorded('tls12-certificate-request');
    expect(caNames).toHaveLength(2);
    expect(readCertificateRequest(capture)).toEqual({ requested: true, certificateAuthorities: caNames });
  });

  it('TLS 1.2: ServerHelloDone without a request is "not requested"', () => {
    expect(readCertificateRequest(recorded('tls12-no-request').capture)).toEqual({ requested: false });
  });

  it.each(['tls13-certificate-request', 'tls13-chacha20-certificate-request', 'tls13-hello-retry-certificate-request'])('TLS 1.3 (%s): decrypts the flight and finds the request with its CA names', (name) => {
    const { capture, caNames } = recorded(name);
    expect(readCertificateRequest(capture)).toEqual({ requested: true, certificateAuthorities: caNames });
  });

  it.each(['tls13-no-request', 'tls13-aes128-no-request'])('TLS 1.3 (%s): the Certificate comes without a request before it', (name) => {
    expect(readCertificateRequest(recorded(name).capture)).toEqual({ requested: false });
  });

  it('TLS 1.3 without the handshake secret, or with a wrong one: unknown, with the reason', () => {
    const { capture } = recorded('tls13-certificate-request');
    const { serverHandshakeSecret: _secret, ...withoutSecret } = capture;
    expect(readCertificateRequest(withoutSecret)).toEqual({
      requested: 'unknown',
      why: "the TLS 1.3 handshake secret was not available to decrypt the server's flight",
    });
    const wrong = { ...capture, serverHandshakeSecret: Buffer.alloc(capture.serverHandshakeSecret?.length ?? 48, 7) };
    expect(readCertificateRequest(wrong)).toMatchObject({ requested: 'unknown', why: expect.stringContaining('did not decrypt') });
  });

  it('a flight cut off before it says: unknown, naming the cap when the capture was truncated', () => {
    const { capture } = recorded('tls12-certificate-request');
    const cut = capture.bytes.subarray(0, 1200);
    expect(readCertificateRequest({ bytes: cut, truncated: true })).toEqual({
      requested: 'unknown',
      why: "the server's handshake was longer than the 1200 bytes recorded",
    });
    expect(readCertificateRequest({ bytes: cut, truncated: false })).toMatchObject({ requested: 'unknown' });
    expect(readCertificateRequest({ bytes: Buffer.alloc(0), truncated: false })).toEqual({ requested: 'unknown', why: 'the server sent no handshake' });
  });

  it('garbage inside a handshake record is unknown, never a throw', () => {
    const bogus = Buffer.from([0x16, 0x03, 0x03, 0x00, 0x08, 0x02, 0x00, 0x00, 0xff, 0x03, 0x03, 0x00, 0x00]);
    expect(readCertificateRequest({ bytes: bogus, truncated: false })).toMatchObject({ requested: 'unknown' });
  });
});

describe('expandLabel', () => {
  // RFC 8448 section 3 (simple 1-RTT handshake): the server handshake traffic secret and the key and IV derived from it.
  it('derives the RFC 8448 server handshake key and IV', () => {
    const secret = Buffer.from('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38', 'hex');
    expect(expandLabel('sha256', secret, 'key', 16).toString('hex')).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(expandLabel('sha256', secret, 'iv', 12).toString('hex')).toBe('5d313eb2671276ee13000b30');
  });
});
