// The lab's stand-in servers, seen from outside: openssl s_client for what a real client does, raw and TLS
// sockets for the rest. No fedcheck probe is used, so a failure here is the lab's, not a probe's.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { startHostilePeer } from '../../src/lab/hostile.js';
import { startLabHttp } from '../../src/lab/http-server.js';
import { startSipResponder } from '../../src/lab/sip-responder.js';
import { startXmppResponder } from '../../src/lab/xmpp-responder.js';
import type { XmppResponderOptions } from '../../src/lab/xmpp-responder.js';
import { createTestPki } from '../../src/pki/test-ca.js';
import type { IssuedCertificate, TestPki } from '../../src/pki/test-ca.js';

const SIP_ADDRESS = '127.0.66.1';
const XMPP_ADDRESS = '127.0.66.2';
const HTTP_ADDRESS = '127.0.66.3';
const HOSTILE_ADDRESS = '127.0.66.4';
const LEVEL_0 = 'DEFAULT:@SECLEVEL=0';
const DIAGNOSTICS = '1034;reason="Previous hop federated peer did not report diagnostic information";Domain="partner.test"';
const STREAM_NS = "xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'";

let pki: TestPki;
let sipCert: IssuedCertificate;
let xmppA: IssuedCertificate;
let xmppB: IssuedCertificate;
let clientCert: IssuedCertificate;
let dir: string;
let rootFile: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  [sipCert, xmppA, xmppB, clientCert] = await Promise.all([
    pki.issue({ commonName: 'sip.edge.test', dnsNames: ['sip.edge.test', 'sip.home.test'] }),
    pki.issue({ dnsNames: ['a.test'], xmppAddrs: ['a.test'] }),
    pki.issue({ dnsNames: ['b.test'], srvNames: ['_xmpp-server.b.test'] }),
    pki.issue({ dnsNames: ['partner.test'], eku: ['clientAuth'] }),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'fedcheck-lab-'));
  rootFile = join(dir, 'root.pem');
  writeFileSync(rootFile, pki.rootPem);
  writeFileSync(join(dir, 'client.pem'), clientCert.fullChainPem);
  writeFileSync(join(dir, 'client.key'), clientCert.keyPem, { mode: 0o600 });
});

afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Registers a started server for closing after the tests, and returns it. */
async function started<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const running = await server;
  closers.push(() => running.close());
  return running;
}

/**
 * Runs openssl with `input` on stdin (kept open unless `endInput`), until its output matches `until` or it
 * exits; returns stdout and stderr together.
 */
function openssl(args: string[], input: string, until: RegExp, endInput = false): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const finish = () => {
      clearTimeout(timer);
      child.kill();
      resolve(output);
    };
    const timer = setTimeout(finish, 10_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString('latin1');
      if (until.test(output)) finish();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', finish);
    child.stdin.on('error', () => undefined);
    child.stdin.write(input);
    if (endInput) child.stdin.end();
  });
}

interface Heard {
  bytes: Buffer;
  /** Whether the server closed the connection within the wait. */
  closed: boolean;
}

/** Connects (over TLS when `secure`), sends `send`, and collects what comes back for `waitMs` or up to `maxBytes`. */
function exchange(
  address: string,
  port: number,
  send: string | Buffer,
  options: { waitMs?: number; maxBytes?: number; secure?: tls.ConnectionOptions; until?: RegExp } = {},
): Promise<Heard> {
  const { waitMs = 1000, maxBytes = Infinity, secure, until } = options;
  return new Promise((resolve, reject) => {
    const socket: net.Socket = secure
      ? tls.connect({ host: address, port, rejectUnauthorized: false, ...secure })
      : net.connect({ host: address, port });
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes: Buffer.concat(chunks), closed });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(send));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= maxBytes || until?.test(Buffer.concat(chunks).toString('latin1'))) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', (error) => (settled ? undefined : chunks.length > 0 ? finish(true) : reject(error)));
  });
}

function options(callId: string, cseq = 1, extra = ''): string {
  return (
    `OPTIONS sip:sip.edge.test;transport=tls SIP/2.0\r\n` +
    `Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK${callId}${cseq};rport\r\n` +
    'Max-Forwards: 70\r\n' +
    'From: <sip:fedcheck@home.test>;tag=f1\r\n' +
    'To: <sip:sip.edge.test>\r\n' +
    `Call-ID: ${callId}\r\n` +
    `CSeq: ${cseq} OPTIONS\r\n` +
    extra +
    'Content-Length: 0\r\n\r\n'
  );
}

/** One complete SIP response per match. */
const RESPONSE = /SIP\/2\.0 [\s\S]*?Content-Length: 0\r\n\r\n/g;

describe('SIP responder', () => {
  it('answers OPTIONS through openssl s_client with the configured status and ms-diagnostics, twice on one connection', async () => {
    const sip = await started(
      startSipResponder({
        address: SIP_ADDRESS,
        port: 0,
        tls: sipCert,
        reply: { status: 200, reason: 'OK', headers: [['ms-diagnostics', DIAGNOSTICS]] },
      }),
    );
    const output = await openssl(
      ['s_client', '-connect', `${SIP_ADDRESS}:${sip.port}`, '-servername', 'sip.edge.test', '-CAfile', rootFile,
        '-verify_return_error', '-quiet'],
      options('call-1') + options('call-1', 2),
      /CSeq: 2 OPTIONS[\s\S]*Content-Length: 0\r\n\r\n/,
    );
    const responses = output.match(RESPONSE) ?? [];
    expect(responses).toHaveLength(2);
    const first = responses[0] ?? '';
    expect(first).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(first).toContain(`ms-diagnostics: ${DIAGNOSTICS}\r\n`);
    expect(first).toMatch(/\r\nVia: SIP\/2\.0\/TLS 127\.0\.0\.1:5061;branch=z9hG4bKcall-11;rport=\d+;received=127\.0\.0\.1\r\n/);
    expect(first).toContain('\r\nFrom: <sip:fedcheck@home.test>;tag=f1\r\n');
    expect(first).toMatch(/\r\nTo: <sip:sip\.edge\.test>;tag=[0-9a-f]+\r\n/);
    expect(first).toContain('\r\nCall-ID: call-1\r\nCSeq: 1 OPTIONS\r\n');
    expect(first).toContain('\r\nServer: fedcheck-lab\r\n');
    expect(first).toContain('\r\nAllow: INVITE, ACK, OPTIONS, BYE, CANCEL, MESSAGE, INFO, SERVICE, NOTIFY, SUBSCRIBE, BENOTIFY\r\n');
    expect(first).toMatch(/\r\nSupported: [^\r]*ms-federation/);
    expect(responses[1]).toContain('CSeq: 2 OPTIONS');
  });

  it('answers 504 with ms-diagnostics, keeps every Via, skips keep-alives, and 501s other methods', async () => {
    const sip = await started(
      startSipResponder({
        address: SIP_ADDRESS,
        port: 0,
        tls: sipCert,
        reply: { status: 504, reason: 'Server time-out', headers: [['ms-diagnostics', DIAGNOSTICS]] },
      }),
    );
    const twoVias = options('call-2', 1, 'v: SIP/2.0/TLS proxy.home.test;branch=z9hG4bKp\r\n');
    const message = options('call-2', 2).replace(/OPTIONS/g, 'MESSAGE');
    const heard = await exchange(SIP_ADDRESS, sip.port, `\r\n\r\n${twoVias}${message}`, {
      secure: { ca: pki.rootPem, servername: 'sip.edge.test', rejectUnauthorized: true },
      until: /CSeq: 2 MESSAGE[\s\S]*Content-Length: 0\r\n\r\n/,
    });
    const [first, second] = heard.bytes.toString('utf8').match(RESPONSE) ?? [];
    expect(first).toMatch(/^SIP\/2\.0 504 Server time-out\r\n/);
    expect(first).toContain(`ms-diagnostics: ${DIAGNOSTICS}`);
    expect(first).toContain('\r\nVia: SIP/2.0/TLS proxy.home.test;branch=z9hG4bKp\r\n');
    expect(second).toMatch(/^SIP\/2\.0 501 Not Implemented\r\n/);
    expect(second).not.toContain('ms-diagnostics');
  });

  it('answers a request without Call-ID with 400 and closes', async () => {
    const sip = await started(
      startSipResponder({ address: SIP_ADDRESS, port: 0, tls: sipCert, reply: { status: 200, reason: 'OK' } }),
    );
    const heard = await exchange(SIP_ADDRESS, sip.port, options('call-3').replace('Call-ID: call-3\r\n', ''), {
      secure: {},
    });
    expect(heard.bytes.toString('utf8')).toMatch(/^SIP\/2\.0 400 Bad Request\r\n/);
    expect(heard.closed).toBe(true);
  });

  it('drops a connection whose headers pass 16 KiB without an answer', async () => {
    const sip = await started(
      startSipResponder({ address: SIP_ADDRESS, port: 0, tls: sipCert, reply: { status: 200, reason: 'OK' } }),
    );
    const endless = options('call-4').replace('Content-Length: 0\r\n\r\n', `X-Pad: ${'p'.repeat(17 * 1024)}\r\n`);
    const heard = await exchange(SIP_ADDRESS, sip.port, endless, { secure: {} });
    expect(heard.closed).toBe(true);
    expect(heard.bytes).toHaveLength(0);
  });

  it('asks for a client certificate, counts the ones presented, and answers either way', async () => {
    const sip = await started(
      startSipResponder({
        address: SIP_ADDRESS,
        port: 0,
        tls: sipCert,
        requireClientCert: true,
        caPem: pki.rootPem,
        reply: { status: 200, reason: 'OK' },
      }),
    );
    const connect = ['s_client', '-connect', `${SIP_ADDRESS}:${sip.port}`, '-CAfile', rootFile, '-quiet'];
    const anonymous = await openssl(connect, options('call-5'), RESPONSE);
    expect(anonymous).toContain('SIP/2.0 200 OK');
    expect(sip.clientCertificatesSeen()).toBe(0);
    const mutual = await openssl(
      [...connect, '-cert', join(dir, 'client.pem'), '-key', join(dir, 'client.key')],
      options('call-6'),
      RESPONSE,
    );
    expect(mutual).toContain('SIP/2.0 200 OK');
    expect(sip.clientCertificatesSeen()).toBe(1);
  });

  it('serves TLS 1.0 only when told to, with the level-0 cipher list', async () => {
    const sip = await started(
      startSipResponder({
        address: SIP_ADDRESS,
        port: 0,
        tls: { ...sipCert, minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: LEVEL_0 },
        reply: { status: 200, reason: 'OK' },
      }),
    );
    const connect = ['s_client', '-connect', `${SIP_ADDRESS}:${sip.port}`, '-nocommands', '-cipher', LEVEL_0];
    const old = await openssl([...connect, '-tls1'], options('call-7'), RESPONSE);
    expect(old).toMatch(/New, TLSv1(\.0)?, Cipher is/);
    expect(old).toContain('SIP/2.0 200 OK');
    const modern = await openssl([...connect, '-tls1_2'], options('call-8'), RESPONSE, true);
    expect(modern).not.toContain('SIP/2.0');
    expect(modern).toContain('Cipher is (NONE)');
  });

  it('serves a 1024-bit certificate signed with SHA-1', async () => {
    const weak = await pki.issue({ dnsNames: ['weak.edge.test'], key: 'rsa1024', signature: 'sha1' });
    const sip = await started(
      startSipResponder({ address: SIP_ADDRESS, port: 0, tls: weak, reply: { status: 200, reason: 'OK' } }),
    );
    const output = await openssl(
      ['s_client', '-connect', `${SIP_ADDRESS}:${sip.port}`, '-nocommands', '-cipher', LEVEL_0, '-CAfile', rootFile],
      options('call-9'),
      RESPONSE,
    );
    expect(output).toMatch(/Server public key is 1024 bit/);
    expect(output).toContain('Verify return code: 0 (ok)');
    expect(output).toContain('SIP/2.0 200 OK');
  });
});

describe('XMPP responder', () => {
  const base: XmppResponderOptions = {
    address: XMPP_ADDRESS,
    port: 0,
    mode: 'starttls',
    certificates: {},
    starttls: 'required',
    dialback: true,
    saslExternal: 'if-client-cert',
    hostedDomains: ['a.test', 'b.test'],
  };
  const streamTo = (to: string) => `<?xml version='1.0'?><stream:stream ${STREAM_NS} from='home.test' to='${to}' version='1.0'>`;
  const starttls = (port: number, domain: string, extra: string[] = []) =>
    openssl(
      ['s_client', '-starttls', 'xmpp-server', '-xmpphost', domain, '-connect', `${XMPP_ADDRESS}:${port}`,
        '-CAfile', rootFile, '-verify_return_error', '-nocommands', ...extra],
      // Read by s_client only after the handshake: the restarted stream, whose features then show.
      streamTo(domain),
      /<\/stream:features>/,
    );

  it('completes STARTTLS with openssl and presents each hosted domain its own certificate', async () => {
    const xmpp = await started(startXmppResponder({ ...base, certificates: { 'a.test': xmppA, 'b.test': xmppB } }));
    const a = await starttls(xmpp.port, 'a.test');
    expect(a).toMatch(/subject=CN\s?=\s?a\.test/);
    expect(a).toContain('Verify return code: 0 (ok)');
    expect(a).toMatch(/from='a\.test'[^>]*><stream:features><dialback xmlns='urn:xmpp:features:dialback'\/><\/stream:features>/);
    const b = await starttls(xmpp.port, 'b.test');
    expect(b).toMatch(/subject=CN\s?=\s?b\.test/);
    expect(b).toContain('Verify return code: 0 (ok)');
  });

  it('offers SASL EXTERNAL after TLS only to a peer that presented a certificate', async () => {
    const xmpp = await started(startXmppResponder({ ...base, certificates: { 'a.test': xmppA } }));
    const external = /<mechanism>EXTERNAL<\/mechanism>/;
    expect(await starttls(xmpp.port, 'a.test')).not.toMatch(external);
    const withCert = await starttls(xmpp.port, 'a.test', ['-cert', join(dir, 'client.pem'), '-key', join(dir, 'client.key')]);
    expect(withCert).toMatch(external);
  });

  it('offers STARTTLS as required without dialback, or as optional with dialback', async () => {
    const required = await started(startXmppResponder({ ...base, certificates: { 'a.test': xmppA } }));
    const offered = await started(
      startXmppResponder({ ...base, certificates: { 'a.test': xmppA }, starttls: 'offered' }),
    );
    const features = /<stream:features>[\s\S]*<\/stream:features>/;
    const strict = await exchange(XMPP_ADDRESS, required.port, streamTo('a.test'), { until: features });
    expect(strict.bytes.toString()).toMatch(
      /^<\?xml version='1.0'\?><stream:stream xmlns='jabber:server' xmlns:stream='http:\/\/etherx.jabber.org\/streams' xmlns:db='jabber:server:dialback' from='a.test' to='home.test' id='[0-9a-f]+' version='1.0'>/,
    );
    expect(strict.bytes.toString()).toContain(
      "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>",
    );
    const loose = await exchange(XMPP_ADDRESS, offered.port, streamTo('a.test'), { until: features });
    expect(loose.bytes.toString()).toContain(
      "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'></starttls><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>",
    );
  });

  it('without STARTTLS offers dialback only and refuses <starttls/>', async () => {
    const xmpp = await started(startXmppResponder({ ...base, starttls: 'none' }));
    const heard = await exchange(XMPP_ADDRESS, xmpp.port, `${streamTo('a.test')}<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`);
    const text = heard.bytes.toString();
    expect(text).toContain("<stream:features><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>");
    expect(text).toMatch(/<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'\/><\/stream:stream>$/);
    expect(heard.closed).toBe(true);
  });

  it('answers a domain it does not host with host-unknown, and sends a configured stream error', async () => {
    const xmpp = await started(startXmppResponder({ ...base, certificates: { 'a.test': xmppA } }));
    const unknown = await exchange(XMPP_ADDRESS, xmpp.port, streamTo('elsewhere.test'));
    expect(unknown.bytes.toString()).toMatch(
      /<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'\/><\/stream:error><\/stream:stream>$/,
    );
    expect(unknown.closed).toBe(true);
    const refusing = await started(
      startXmppResponder({
        ...base,
        certificates: { 'a.test': xmppA },
        streamError: { condition: 'policy-violation', text: 'no federation with <you> & yours' },
      }),
    );
    const refused = await exchange(XMPP_ADDRESS, refusing.port, streamTo('a.test'));
    expect(refused.bytes.toString()).toContain(
      "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>" +
        "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>no federation with &#60;you&#62; &#38; yours</text></stream:error></stream:stream>",
    );
    expect(refused.bytes.toString()).not.toContain('<stream:features>');
  });

  it('closes its stream when the peer closes its own', async () => {
    const xmpp = await started(startXmppResponder({ ...base, starttls: 'offered', certificates: { 'a.test': xmppA } }));
    const heard = await exchange(XMPP_ADDRESS, xmpp.port, `${streamTo('a.test')}</stream:stream>`);
    expect(heard.bytes.toString()).toMatch(/<\/stream:features><\/stream:stream>$/);
    expect(heard.closed).toBe(true);
  });

  it('speaks direct TLS with ALPN xmpp-server, the certificate chosen by SNI', async () => {
    const xmpp = await started(
      startXmppResponder({
        ...base,
        mode: 'direct-tls',
        saslExternal: 'always',
        certificates: { 'a.test': xmppA, 'b.test': xmppB },
      }),
    );
    const socket = tls.connect({
      host: XMPP_ADDRESS,
      port: xmpp.port,
      servername: 'b.test',
      ca: pki.rootPem,
      ALPNProtocols: ['xmpp-server'],
    });
    await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    expect(socket.alpnProtocol).toBe('xmpp-server');
    expect(socket.getPeerCertificate().subject.CN).toBe('b.test');
    socket.destroy();
    const heard = await exchange(XMPP_ADDRESS, xmpp.port, streamTo('b.test'), {
      secure: { servername: 'b.test' },
      until: /<\/stream:features>/,
    });
    expect(heard.bytes.toString()).toMatch(
      /<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL<\/mechanism><\/mechanisms><dialback xmlns='urn:xmpp:features:dialback'\/><\/stream:features>$/,
    );
  });

  it('drops a peer that sends more than 64 KiB', async () => {
    const xmpp = await started(startXmppResponder({ ...base, starttls: 'offered', certificates: { 'a.test': xmppA } }));
    const heard = await exchange(XMPP_ADDRESS, xmpp.port, `${streamTo('a.test')}<message><body>${'x'.repeat(70 * 1024)}`);
    expect(heard.closed).toBe(true);
  });
});

describe('lab HTTP server', () => {
  it('serves registered files with their content type, 404s the rest, on loopback only', async () => {
    const http = await started(startLabHttp({ address: HTTP_ADDRESS }));
    const crl = await pki.crlDer();
    http.serve('/aia/intermediate.cer', pki.intermediateDer, 'application/pkix-cert');
    http.serve('/crl/intermediate.crl', crl, 'application/pkix-crl');
    expect(http.url('/aia/intermediate.cer')).toBe(`http://${HTTP_ADDRESS}:${http.port}/aia/intermediate.cer`);
    const aia = await fetch(http.url('/aia/intermediate.cer'));
    expect(aia.status).toBe(200);
    expect(aia.headers.get('content-type')).toBe('application/pkix-cert');
    expect(Buffer.from(await aia.arrayBuffer()).equals(pki.intermediateDer)).toBe(true);
    const list = await fetch(`${http.url('/crl/intermediate.crl')}?fresh=1`, { method: 'GET' });
    expect(list.headers.get('content-type')).toBe('application/pkix-crl');
    expect(Buffer.from(await list.arrayBuffer()).equals(crl)).toBe(true);
    const missing = await fetch(http.url('/nothing-here'), { method: 'POST', body: 'ignored' });
    expect(missing.status).toBe(404);
    await expect(startLabHttp({ address: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});

describe('hostile peers', () => {
  const TLS_RECORD_TYPES = [20, 21, 22, 23, 24];
  const clientHello = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x03]);

  it('silent: accepts and sends nothing', async () => {
    const peer = await started(startHostilePeer({ address: HOSTILE_ADDRESS, port: 0, behaviour: 'silent' }));
    const heard = await exchange(HOSTILE_ADDRESS, peer.port, clientHello, { waitMs: 300 });
    expect(heard).toEqual({ bytes: Buffer.alloc(0), closed: false });
  });

  it('stall-handshake: takes the ClientHello and sends nothing', async () => {
    const peer = await started(startHostilePeer({ address: HOSTILE_ADDRESS, port: 0, behaviour: 'stall-handshake' }));
    const heard = await exchange(HOSTILE_ADDRESS, peer.port, clientHello, { waitMs: 300 });
    expect(heard).toEqual({ bytes: Buffer.alloc(0), closed: false });
  });

  it('garbage: answers with bytes that are not a TLS record, which a TLS client refuses', async () => {
    const peer = await started(startHostilePeer({ address: HOSTILE_ADDRESS, port: 0, behaviour: 'garbage' }));
    const heard = await exchange(HOSTILE_ADDRESS, peer.port, clientHello);
    expect(heard.bytes.length).toBeGreaterThan(0);
    expect(TLS_RECORD_TYPES).not.toContain(heard.bytes[0]);
    const client = tls.connect({ host: HOSTILE_ADDRESS, port: peer.port, rejectUnauthorized: false });
    const error = await new Promise<Error>((resolve) => client.once('error', resolve));
    expect(error.message).toMatch(/wrong version number|packet length too long|record|ECONNRESET|socket disconnected/i);
  });

  it('endless-sip-header: a 200 whose header never ends, past 64 KiB on a connection it keeps open', async () => {
    const peer = await started(
      startHostilePeer({ address: HOSTILE_ADDRESS, port: 0, behaviour: 'endless-sip-header', tls: sipCert }),
    );
    const heard = await exchange(HOSTILE_ADDRESS, peer.port, options('call-h1'), {
      secure: {},
      maxBytes: 64 * 1024 + 1,
      waitMs: 5000,
    });
    expect(heard.bytes.length).toBeGreaterThan(64 * 1024);
    expect(heard.closed).toBe(false);
    const text = heard.bytes.toString('latin1');
    expect(text.startsWith('SIP/2.0 200 OK\r\nX-Endless: ')).toBe(true);
    expect(text.indexOf('\r\n\r\n')).toBe(-1);
  });

  it('xmpp-endless-stanza: a stream header, then an element that never closes', async () => {
    const peer = await started(startHostilePeer({ address: HOSTILE_ADDRESS, port: 0, behaviour: 'xmpp-endless-stanza' }));
    const heard = await exchange(HOSTILE_ADDRESS, peer.port, `<stream:stream ${STREAM_NS} to='hostile.lab' version='1.0'>`, {
      maxBytes: 64 * 1024 + 1,
      waitMs: 5000,
    });
    const text = heard.bytes.toString('utf8');
    expect(heard.bytes.length).toBeGreaterThan(64 * 1024);
    expect(text).toMatch(/^<\?xml version='1.0'\?><stream:stream [^>]*><message [^>]*><body>lol lol /);
    expect(text).not.toContain('</body>');
  });

  it('xmpp-entity-bomb: a DOCTYPE of nested entities and a reference to the deepest', async () => {
    const peer = await started(startHostilePeer({ address: HOSTILE_ADDRESS, port: 0, behaviour: 'xmpp-entity-bomb' }));
    const heard = await exchange(HOSTILE_ADDRESS, peer.port, `<stream:stream ${STREAM_NS} to='hostile.lab' version='1.0'>`, {
      until: /<\/stream:features>/,
    });
    const text = heard.bytes.toString('utf8');
    expect(text).toContain('<!DOCTYPE');
    expect(text).toContain('<!ENTITY lol0 "lol">');
    expect(text).toContain(`<!ENTITY lol9 "${'&lol8;'.repeat(10)}">`);
    expect(text).toContain('<stream:features>&lol9;</stream:features>');
  });

  it('not-sip: answers a SIP request over TLS with HTTP 400', async () => {
    const peer = await started(startHostilePeer({ address: HOSTILE_ADDRESS, port: 0, behaviour: 'not-sip', tls: sipCert }));
    const heard = await exchange(HOSTILE_ADDRESS, peer.port, options('call-h2'), { secure: {} });
    expect(heard.bytes.toString()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(heard.closed).toBe(true);
  });
});
