import { describe, expect, it } from 'vitest';
import { describeNonTlsAnswer, escapeBytes, startsLikeTls } from '../../src/probes/non-tls-answer.js';

describe('describeNonTlsAnswer', () => {
  it.each([
    ['SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 192.0.2.1\r\n\r\n', 'sip'],
    ['OPTIONS sip:example.com SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1\r\n', 'sip'],
    ['HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n', 'http'],
    ['HTTP/1.0 302 Found\r\n', 'http'],
    ["<?xml version='1.0'?><stream:stream xmlns='jabber:server'>", 'xmpp'],
    ['<stream:error><not-well-formed xmlns="urn:ietf:params:xml:ns:xmpp-streams"/></stream:error>', 'xmpp'],
    ['SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n', 'unknown'],
  ])('%j looks like %s', (text, looksLike) => {
    expect(describeNonTlsAnswer(Buffer.from(text, 'latin1'), 'client-hello')).toMatchObject({ looksLike, bytes: text.length, answerTo: 'client-hello' });
  });

  it('keeps at most 512 bytes', () => {
    const answer = describeNonTlsAnswer(Buffer.alloc(2000, 'a'), 'plain-sip-options');
    expect(answer).toMatchObject({ bytes: 512, text: 'a'.repeat(512), looksLike: 'unknown', answerTo: 'plain-sip-options' });
  });
});

describe('escapeBytes', () => {
  it('shows printable ASCII as is and escapes line ends, tabs, the backslash and binary', () => {
    expect(escapeBytes(Buffer.from('HTTP/1.1 400\r\n\tx\\y\u0000\u00ff', 'latin1'))).toBe('HTTP/1.1 400\\r\\n\\tx\\x5cy\\x00\\xff');
  });
});

describe('startsLikeTls', () => {
  it('tells a TLS record header from text, and waits for a second byte when the first could start one', () => {
    expect(startsLikeTls(Buffer.from([0x16, 0x03, 0x03]))).toBe(true);
    expect(startsLikeTls(Buffer.from([0x15, 0x03]))).toBe(true);
    expect(startsLikeTls(Buffer.from('HTTP/1.1'))).toBe(false);
    expect(startsLikeTls(Buffer.from([0x16, 0x48]))).toBe(false);
    expect(startsLikeTls(Buffer.from([0x16]))).toBeUndefined();
    expect(startsLikeTls(Buffer.from('S'))).toBe(false);
  });
});
