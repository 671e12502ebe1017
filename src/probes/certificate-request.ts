// Whether a TLS server asked for a client certificate, read from the raw bytes it sent during the handshake: Node's
// TLS client has no callback for the CertificateRequest. In TLS 1.2 the server's flight is in clear up to
// ServerHelloDone; in TLS 1.3 everything after ServerHello is encrypted with the server handshake traffic secret,
// which the keylog event hands us, so the flight is decrypted here (RFC 8446 sections 5.2, 5.3 and 7.1). Pure.

import { createDecipheriv, createHmac } from 'node:crypto';
import type { ClientCertificateRequest } from '../model/protocol-facts.js';
import { formatNameDer } from '../pki/distinguished-name.js';

/** What the probe recorded of one handshake. */
export interface HandshakeCapture {
  /** The bytes the server sent, from its first byte, at most the capture cap. */
  bytes: Buffer;
  /** The cap was reached: later bytes were not recorded. */
  truncated: boolean;
  /** SERVER_HANDSHAKE_TRAFFIC_SECRET from the keylog event (TLS 1.3). */
  serverHandshakeSecret?: Buffer;
}

const RECORD_CHANGE_CIPHER_SPEC = 20;
const RECORD_HANDSHAKE = 22;
const RECORD_APPLICATION_DATA = 23;
const HANDSHAKE_SERVER_HELLO = 2;
const HANDSHAKE_CERTIFICATE = 11;
const HANDSHAKE_CERTIFICATE_REQUEST = 13;
const HANDSHAKE_SERVER_HELLO_DONE = 14;
const HANDSHAKE_FINISHED = 20;
const EXTENSION_SUPPORTED_VERSIONS = 43;
const EXTENSION_CERTIFICATE_AUTHORITIES = 47;
const TLS13_VERSION = 0x0304;
/** A ServerHello with this random is a HelloRetryRequest (RFC 8446 section 4.1.3). */
const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
/** Keeps facts small whatever the server lists. */
const MAX_CA_NAMES = 64;

interface Tls13Suite {
  cipher: string;
  hash: 'sha256' | 'sha384';
  keyLength: number;
  tagLength: number;
}

const TLS13_SUITES: Record<number, Tls13Suite> = {
  0x1301: { cipher: 'aes-128-gcm', hash: 'sha256', keyLength: 16, tagLength: 16 },
  0x1302: { cipher: 'aes-256-gcm', hash: 'sha384', keyLength: 32, tagLength: 16 },
  0x1303: { cipher: 'chacha20-poly1305', hash: 'sha256', keyLength: 32, tagLength: 16 },
  0x1304: { cipher: 'aes-128-ccm', hash: 'sha256', keyLength: 16, tagLength: 16 },
  0x1305: { cipher: 'aes-128-ccm', hash: 'sha256', keyLength: 16, tagLength: 8 },
};

class Malformed extends Error {}

/** A bounds-checked reader over one message. */
class Cursor {
  private offset = 0;
  constructor(private readonly bytes: Buffer) {}
  get remaining(): number {
    return this.bytes.length - this.offset;
  }
  take(length: number): Buffer {
    if (length > this.remaining) throw new Malformed('a length beyond the end of the message');
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
  uint(size: 1 | 2 | 3): number {
    return this.take(size).readUIntBE(0, size);
  }
  /** A vector with a `size`-byte length prefix. */
  vector(size: 1 | 2 | 3): Buffer {
    return this.take(this.uint(size));
  }
}

type Keys = { suite: Tls13Suite; key: Buffer; iv: Buffer; sequence: bigint };

/** The answer for one handshake capture: requested, not requested, or unknown with the reason. */
export function readCertificateRequest(capture: HandshakeCapture): ClientCertificateRequest {
  try {
    return readFlight(capture);
  } catch (error) {
    if (error instanceof Malformed) return unknown(`the server's handshake could not be read: ${error.message}`);
    throw error;
  }
}

const unknown = (why: string): ClientCertificateRequest => ({ requested: 'unknown', why });

function readFlight(capture: HandshakeCapture): ClientCertificateRequest {
  let version: 'TLSv1.2' | 'TLSv1.3' | undefined;
  let keys: Keys | undefined;
  let pending = Buffer.alloc(0);
  for (const record of splitRecords(capture.bytes)) {
    if (record.type === RECORD_CHANGE_CIPHER_SPEC) {
      // TLS 1.2: what follows is encrypted, and ServerHelloDone should have come. TLS 1.3 sends one for middleboxes,
      // after its ServerHello or its HelloRetryRequest.
      if (version === 'TLSv1.2') break;
      continue;
    }
    if (record.type === RECORD_HANDSHAKE && keys === undefined) pending = Buffer.concat([pending, record.body]);
    else if (record.type === RECORD_APPLICATION_DATA && keys !== undefined) {
      const inner = decryptRecord(record.header, record.body, keys);
      if (inner.type !== RECORD_HANDSHAKE) break;
      pending = Buffer.concat([pending, inner.content]);
    } else break;
    for (;;) {
      if (pending.length < 4) break;
      const length = pending.readUIntBE(1, 3);
      if (pending.length < 4 + length) break;
      const type = pending[0] as number;
      const body = pending.subarray(4, 4 + length);
      pending = pending.subarray(4 + length);
      if (version === undefined) {
        if (type !== HANDSHAKE_SERVER_HELLO) throw new Malformed(`handshake message ${type} before ServerHello`);
        const hello = readServerHello(body);
        if (hello.retry) continue;
        version = hello.version;
        if (version === 'TLSv1.3') {
          const suite = TLS13_SUITES[hello.cipherSuite];
          if (!suite) return unknown(`TLS 1.3 cipher suite 0x${hello.cipherSuite.toString(16)} is not one fedcheck decrypts`);
          if (!capture.serverHandshakeSecret) return unknown('the TLS 1.3 handshake secret was not available to decrypt the server\'s flight');
          keys = handshakeKeys(suite, capture.serverHandshakeSecret);
          // The encrypted flight starts in the next record.
          pending = Buffer.alloc(0);
          break;
        }
        continue;
      }
      if (type === HANDSHAKE_CERTIFICATE_REQUEST) return version === 'TLSv1.3' ? readTls13Request(body) : readTls12Request(body);
      // TLS 1.2 ends its flight with ServerHelloDone; in TLS 1.3 the request comes before the Certificate.
      if (version === 'TLSv1.2' && type === HANDSHAKE_SERVER_HELLO_DONE) return { requested: false };
      if (version === 'TLSv1.3' && (type === HANDSHAKE_CERTIFICATE || type === HANDSHAKE_FINISHED)) return { requested: false };
    }
  }
  if (capture.truncated) return unknown(`the server's handshake was longer than the ${capture.bytes.length} bytes recorded`);
  if (capture.bytes.length === 0) return unknown('the server sent no handshake');
  return unknown('the server\'s handshake ended before it said');
}

interface TlsRecord {
  type: number;
  header: Buffer;
  body: Buffer;
}

/** Complete records only: a record cut off by the capture cap or the connection is left out. */
function splitRecords(bytes: Buffer): TlsRecord[] {
  const records: TlsRecord[] = [];
  for (let offset = 0; offset + 5 <= bytes.length; ) {
    const length = bytes.readUInt16BE(offset + 3);
    if (offset + 5 + length > bytes.length) break;
    records.push({ type: bytes[offset] as number, header: bytes.subarray(offset, offset + 5), body: bytes.subarray(offset + 5, offset + 5 + length) });
    offset += 5 + length;
  }
  return records;
}

function readServerHello(body: Buffer): { version: 'TLSv1.2' | 'TLSv1.3'; cipherSuite: number; retry: boolean } {
  const hello = new Cursor(body);
  hello.take(2);
  const random = hello.take(32);
  hello.vector(1);
  const cipherSuite = hello.uint(2);
  hello.take(1);
  let version: 'TLSv1.2' | 'TLSv1.3' = 'TLSv1.2';
  if (hello.remaining > 0) {
    const extensions = new Cursor(hello.vector(2));
    while (extensions.remaining > 0) {
      const type = extensions.uint(2);
      const data = extensions.vector(2);
      if (type === EXTENSION_SUPPORTED_VERSIONS && data.length === 2 && data.readUInt16BE(0) === TLS13_VERSION) version = 'TLSv1.3';
    }
  }
  return { version, cipherSuite, retry: random.equals(HELLO_RETRY_RANDOM) };
}

/** TLS 1.2 (RFC 5246 section 7.4.4): certificate_types, supported_signature_algorithms, certificate_authorities. */
function readTls12Request(body: Buffer): ClientCertificateRequest {
  const request = new Cursor(body);
  request.vector(1);
  request.vector(2);
  return { requested: true, certificateAuthorities: readAuthorities(request.vector(2)) };
}

/** TLS 1.3 (RFC 8446 section 4.3.2): a context, then extensions; the CA names are the certificate_authorities extension. */
function readTls13Request(body: Buffer): ClientCertificateRequest {
  const request = new Cursor(body);
  request.vector(1);
  const extensions = new Cursor(request.vector(2));
  while (extensions.remaining > 0) {
    const type = extensions.uint(2);
    const data = extensions.vector(2);
    if (type === EXTENSION_CERTIFICATE_AUTHORITIES) return { requested: true, certificateAuthorities: readAuthorities(new Cursor(data).vector(2)) };
  }
  return { requested: true, certificateAuthorities: [] };
}

function readAuthorities(list: Buffer): string[] {
  const names = new Cursor(list);
  const authorities: string[] = [];
  while (names.remaining > 0 && authorities.length < MAX_CA_NAMES) {
    const der = names.vector(2);
    try {
      authorities.push(formatNameDer(der));
    } catch {
      authorities.push(`(unreadable name, ${der.length} bytes)`);
    }
  }
  return authorities;
}

/** RFC 8446 section 7.3: the server's write key and IV from its handshake traffic secret. */
function handshakeKeys(suite: Tls13Suite, secret: Buffer): Keys {
  return {
    suite,
    key: expandLabel(suite.hash, secret, 'key', suite.keyLength),
    iv: expandLabel(suite.hash, secret, 'iv', 12),
    sequence: 0n,
  };
}

/** HKDF-Expand-Label with an empty context (RFC 8446 section 7.1). */
export function expandLabel(hash: 'sha256' | 'sha384', secret: Buffer, label: string, length: number): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, fullLabel.length]), fullLabel, Buffer.from([0])]);
  // HKDF-Expand (RFC 5869 section 2.3): T(i) = HMAC(secret, T(i-1) | info | i).
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let counter = 1, total = 0; total < length; counter += 1) {
    previous = createHmac(hash, secret).update(previous).update(info).update(Buffer.from([counter])).digest();
    blocks.push(previous);
    total += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** One TLSCiphertext record: AEAD-decrypted, padding removed, the real content type split off (RFC 8446 section 5.2). */
function decryptRecord(header: Buffer, body: Buffer, keys: Keys): { type: number; content: Buffer } {
  const { suite } = keys;
  if (body.length < suite.tagLength) throw new Malformed('an encrypted record shorter than its tag');
  const nonce = Buffer.from(keys.iv);
  const sequence = Buffer.alloc(8);
  sequence.writeBigUInt64BE(keys.sequence);
  for (let index = 0; index < 8; index += 1) nonce[4 + index] = (nonce[4 + index] as number) ^ (sequence[index] as number);
  keys.sequence += 1n;
  const ciphertext = body.subarray(0, body.length - suite.tagLength);
  // The GCM, CCM and ChaCha20-Poly1305 overloads share this shape; one call covers them.
  const decipher = createDecipheriv(suite.cipher as 'aes-128-ccm', keys.key, nonce, { authTagLength: suite.tagLength });
  decipher.setAAD(header, { plaintextLength: ciphertext.length });
  decipher.setAuthTag(body.subarray(body.length - suite.tagLength));
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new Malformed('an encrypted handshake record did not decrypt with the handshake secret');
  }
  let end = plaintext.length;
  while (end > 0 && plaintext[end - 1] === 0) end -= 1;
  if (end === 0) throw new Malformed('an encrypted record without a content type');
  return { type: plaintext[end - 1] as number, content: plaintext.subarray(0, end - 1) };
}
