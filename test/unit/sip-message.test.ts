import { describe, expect, it } from 'vitest';
import { buildOptionsRequest, SipResponseReader, type SipLimits, type SipReadResult } from '../../src/probes/sip-message.js';

const message = (...lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
const OK = message(
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bK1',
  'Server: RTCC/7.0.0.0 MRAS/7.0.0.0',
  'Allow: INVITE, BYE, ACK,',
  '  OPTIONS',
  'ms-diagnostics: 1034;reason="Previous hop federated peer did not report diagnostic information"',
  'Content-Length: 0',
);

function readAll(chunks: (string | Buffer)[], limits?: SipLimits): SipReadResult | undefined {
  const reader = new SipResponseReader(limits);
  for (const chunk of chunks) {
    const result = reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (result) return result;
  }
  return undefined;
}

describe('SipResponseReader', () => {
  it('parses the status line and headers, in order, folded lines joined', () => {
    expect(readAll([OK])).toEqual({
      type: 'final',
      response: {
        statusLine: 'SIP/2.0 200 OK',
        statusCode: 200,
        reason: 'OK',
        headers: [
          ['Via', 'SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bK1'],
          ['Server', 'RTCC/7.0.0.0 MRAS/7.0.0.0'],
          ['Allow', 'INVITE, BYE, ACK, OPTIONS'],
          ['ms-diagnostics', '1034;reason="Previous hop federated peer did not report diagnostic information"'],
          ['Content-Length', '0'],
        ],
        bytes: Buffer.byteLength(OK),
      },
    });
  });

  it('gives the same answer however the bytes are split', () => {
    const bytes = Buffer.from(OK);
    const whole = readAll([bytes]);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(readAll([bytes.subarray(0, cut), bytes.subarray(cut)]), `split at byte ${cut}`).toEqual(whole);
    }
    expect(readAll([...bytes].map((byte) => Buffer.from([byte])))).toEqual(whole);
  });

  it('accepts bare LF line ends and a reason phrase with spaces and UTF-8', () => {
    expect(readAll(['SIP/2.0 480 Temporarily Unavailable – später\nContent-Length: 0\n\n'])).toMatchObject({
      type: 'final',
      response: { statusCode: 480, reason: 'Temporarily Unavailable – später' },
    });
  });

  it('skips keep-alive CRLFs, provisional responses with bodies (compact l:) and requests from the peer', () => {
    const result = readAll([
      '\r\n\r\n',
      message('SIP/2.0 100 Trying', 'Content-Length: 0'),
      `${message('SIP/2.0 183 Session Progress', 'l: 12')}SIP/2.0 200 `,
      `${message('OPTIONS sip:fedcheck@192.0.2.9 SIP/2.0', 'Content-Length: 3')}abc`,
      message('SIP/2.0 504 Server time-out', 'Content-Length: 0'),
    ]);
    expect(result).toMatchObject({ type: 'final', response: { statusCode: 504, reason: 'Server time-out' } });
  });

  it('stops at the final response without waiting for its body', () => {
    expect(readAll([message('SIP/2.0 200 OK', 'Content-Length: 100')])).toMatchObject({ type: 'final', response: { statusCode: 200 } });
  });

  it('recognizes a non-SIP answer from its first bytes', () => {
    expect(readAll(['HTTP/1.1 400 Bad'])).toMatchObject({ type: 'failure', reason: 'not-sip' });
    expect(readAll([Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])])).toMatchObject({ type: 'failure', reason: 'not-sip' });
    expect(readAll(['GET / HTTP/1.1\r\n'])).toMatchObject({ type: 'failure', reason: 'not-sip' });
    expect(readAll(['SIP/2.1 200 OK\r\n\r\n'])).toMatchObject({ type: 'failure', reason: 'not-sip' });
  });

  it('waits while the first bytes could still be SIP', () => {
    expect(readAll(['SIP/'])).toBeUndefined();
    expect(readAll(['OPTIO'])).toBeUndefined();
  });

  it('reports malformed status lines, header lines and Content-Length', () => {
    expect(readAll([message('SIP/2.0 2000 OK')])).toMatchObject({ type: 'failure', reason: 'malformed' });
    expect(readAll([message('SIP/2.0 200 OK', 'no colon here')])).toMatchObject({ type: 'failure', reason: 'malformed' });
    expect(readAll([message('SIP/2.0 200 OK', ' folded first')])).toMatchObject({ type: 'failure', reason: 'malformed' });
    expect(readAll([message('SIP/2.0 100 Trying', 'Content-Length: -1')])).toMatchObject({ type: 'failure', reason: 'malformed' });
  });

  it('caps a header section that never ends', () => {
    const limits = { maxHeaderBytes: 1024, maxTotalBytes: 64 * 1024 };
    const endless = ['SIP/2.0 200 OK\r\nX-Endless: ', ...Array.from({ length: 100 }, () => 'a'.repeat(100))];
    expect(readAll(endless, limits)).toMatchObject({ type: 'failure', reason: 'too-large', detail: expect.stringMatching(/header section/) });
  });

  it('caps the whole exchange, provisional responses included', () => {
    const limits = { maxHeaderBytes: 1024, maxTotalBytes: 4096 };
    const trying = message('SIP/2.0 100 Trying', 'Content-Length: 0');
    expect(readAll(Array.from({ length: 200 }, () => trying), limits)).toMatchObject({
      type: 'failure',
      reason: 'too-large',
      detail: expect.stringMatching(/4096 bytes/),
    });
  });
});

describe('buildOptionsRequest', () => {
  it('writes an IPv6 local address in brackets', () => {
    const request = buildOptionsRequest({
      domain: 'example.test',
      fromDomain: 'ours.example.test',
      localAddress: '::1',
      localPort: 50000,
      branch: 'abc',
      tag: 'def',
      callId: '0123',
      userAgent: 'fedcheck/0.1.0',
    });
    expect(request).toContain('\r\nVia: SIP/2.0/TLS [::1]:50000;branch=z9hG4bKabc;rport\r\n');
    expect(request).toContain('\r\nContact: <sip:fedcheck@[::1]:50000;transport=tls>\r\n');
    expect(request.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
  });
});
