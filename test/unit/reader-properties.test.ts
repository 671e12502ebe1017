// Property tests of the readers that take bytes from a partner or a file: whatever the bytes, each ends with a
// result or its own documented error, never another exception, and never holds or yields more than its caps.

import dns2 from 'dns2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/pki/certificate.js';
import { childrenOf, decodeDerString, readTlv } from '../../src/pki/der.js';
import { extensionDefects } from '../../src/pki/extension-defects.js';
import { derFrom, pemBlocks, toPem } from '../../src/pki/pem.js';
import { ExchangeFailure, MAX_RECORDS, validateResponse, type DnsQuery } from '../../src/probes/dns.js';
import { SipResponseReader } from '../../src/probes/sip-message.js';
import { XML_CAPS, XmlStreamReader, type XmlElement, type XmlStreamEvent, type XmlStreamFailure } from '../../src/probes/xml-stream.js';

const { Packet } = dns2;
const RUNS = { numRuns: 300 };

describe('the DNS message reader', () => {
  const query: DnsQuery = { name: 'example.test', type: 'A', recursive: true };
  const ID = 0x1234;

  /** A response to `query` with `count` A records, as bytes, for mutations that get past the header checks. */
  function response(count: number): Buffer {
    const packet = new Packet();
    packet.header = new Packet.Header({ id: ID, qr: 1, rd: 1, ra: 1 });
    packet.questions.push(new Packet.Question(query.name, Packet.TYPE.A, Packet.CLASS.IN));
    for (let i = 0; i < count; i += 1) {
      packet.answers.push(new Packet.Resource({ name: query.name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 60, address: `192.0.2.${i % 256}` }));
    }
    return packet.toBuffer();
  }

  /** The reader's verdict: the records it kept, or its ExchangeFailure; anything else fails the property. */
  function read(bytes: Buffer): number | ExchangeFailure {
    try {
      return validateResponse(bytes, ID, query).answers.length;
    } catch (error) {
      if (error instanceof ExchangeFailure) return error;
      throw error;
    }
  }

  it('reads arbitrary bytes behind a matching header to records or an ExchangeFailure, never past the record cap', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1500 }), (body) => {
        const bytes = Buffer.concat([Buffer.from([ID >> 8, ID & 0xff, 0x81, 0x80]), Buffer.from(body)]);
        const verdict = read(bytes);
        if (typeof verdict === 'number') expect(verdict).toBeLessThanOrEqual(MAX_RECORDS);
      }),
      RUNS,
    );
  });

  it('reads a real answer with bytes changed or cut off the same way', () => {
    // Encoded once: around the cap, and well past it.
    const answers = [0, 1, 40, MAX_RECORDS, MAX_RECORDS + 1, 150].map(response);
    fc.assert(
      fc.property(
        fc.constantFrom(...answers),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(),
        (answer, flips, cut) => {
          const bytes = Buffer.from(answer);
          for (const [offset, value] of flips) bytes[offset % bytes.length] = value;
          const verdict = read(bytes.subarray(0, cut % (bytes.length + 1)));
          if (typeof verdict === 'number') expect(verdict).toBeLessThanOrEqual(MAX_RECORDS);
        },
      ),
      RUNS,
    );
  });

  it('reads entirely arbitrary bytes, header included, to records or an ExchangeFailure', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const verdict = read(Buffer.from(bytes));
        if (typeof verdict === 'number') expect(verdict).toBeLessThanOrEqual(MAX_RECORDS);
        else expect(['malformed', 'too-many-records']).toContain(verdict.reason);
      }),
      RUNS,
    );
  });

  it('names an answer past the cap, and keeps one at the cap', () => {
    expect(read(response(MAX_RECORDS))).toBe(MAX_RECORDS);
    expect(read(response(MAX_RECORDS + 1))).toMatchObject({ reason: 'too-many-records' });
  });
});

describe('the SIP response reader', () => {
  const limits = { maxHeaderBytes: 512, maxTotalBytes: 2048 };
  // Bytes that look like SIP often enough to reach the header and body paths, and raw bytes.
  const sipish = fc.oneof(
    fc.constantFrom('SIP/2.0 ', '200 OK', '100 Trying', 'OPTIONS sip:x SIP/2.0', '\r\n', '\n', 'Content-Length: ', '5', '99999', ' ', 'X:', 'Via: a', '\t'),
    fc.string({ maxLength: 20 }),
  );
  const chunk = fc.oneof(
    fc.array(sipish, { maxLength: 30 }).map((parts) => Buffer.from(parts.join(''), 'latin1')),
    fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)),
  );

  it('ends with a final response, its failure or a wish for more bytes, within its byte caps', () => {
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 12 }), (chunks) => {
        const reader = new SipResponseReader(limits);
        let pushed = 0;
        for (const bytes of chunks) {
          pushed += bytes.length;
          const result = reader.push(bytes);
          if (result?.type === 'final') {
            expect(result.response.bytes).toBeLessThanOrEqual(limits.maxTotalBytes);
            expect(result.response.statusCode).toBeGreaterThanOrEqual(200);
            return;
          }
          if (result) {
            expect(['too-large', 'not-sip', 'malformed']).toContain(result.type === 'failure' && result.reason);
            return;
          }
          // Past the total cap, the reader must have given its verdict.
          expect(pushed).toBeLessThan(limits.maxTotalBytes);
        }
      }),
      RUNS,
    );
  });

  it('reads the same final response however the bytes are split: keep-alives, a 100 with a body, then the 200', () => {
    const exchange = Buffer.from(
      '\r\n\r\nSIP/2.0 100 Trying\r\nContent-Length: 5\r\n\r\nhello' +
        'SIP/2.0 200 OK\r\nVia: SIP/2.0/TLS 192.0.2.1;branch=z9hG4bK1\r\nServer: RTCC/7.0.0.0\r\nContent-Length: 0\r\n\r\n',
      'latin1',
    );
    const whole = new SipResponseReader(limits).push(exchange);
    expect(whole).toMatchObject({ type: 'final', response: { statusCode: 200, headers: [['Via', 'SIP/2.0/TLS 192.0.2.1;branch=z9hG4bK1'], ['Server', 'RTCC/7.0.0.0'], ['Content-Length', '0']] } });
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: exchange.length - 1 }), { maxLength: 12 }), (cuts) => {
        const reader = new SipResponseReader(limits);
        const bounds = [0, ...cuts.sort((a, b) => a - b), exchange.length];
        let result: ReturnType<SipResponseReader['push']>;
        for (let index = 1; index < bounds.length && result === undefined; index += 1) result = reader.push(exchange.subarray(bounds[index - 1], bounds[index]));
        expect(result).toEqual(whole);
      }),
      RUNS,
    );
  });
});

describe('the XML stream reader', () => {
  const limits = { maxStanzaBytes: 4096, maxStreamBytes: 16 * 1024 };
  const header = "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
  const xmlish = fc.oneof(
    fc.constantFrom('<a>', '</a>', '<b x="1" y="2"/>', '<c', ' d="&amp;"', '>', '<!DOCTYPE x>', '&lol;', '<?pi?>', '<![CDATA[z]]>', 'text', '</stream:stream>', "<p:q xmlns:p='u'>", '</p:q>'),
    fc.string({ maxLength: 10 }),
  );
  const input = fc.oneof(
    fc.array(xmlish, { maxLength: 60 }).map((parts) => Buffer.from(header + parts.join(''))),
    fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
    // Closed, so a reader without a nesting cap would hand the whole tree over as one element.
    fc.integer({ min: 0, max: 600 }).map((depth) => Buffer.from(`${header}${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`)),
  );

  const depthOf = (element: XmlElement): number => 1 + Math.max(0, ...element.children.map(depthOf));
  const attributesWithin = (element: XmlElement): boolean =>
    Object.keys(element.attributes).length <= XML_CAPS.attributes && element.children.every(attributesWithin);

  it('ends each input with events or one failure of its own kinds, within its caps', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 64 }), (bytes, split) => {
        const reader = new XmlStreamReader(limits);
        const events: (XmlStreamEvent | XmlStreamFailure)[] = [];
        for (let offset = 0; offset < bytes.length; offset += split * 37) {
          reader.push(bytes.subarray(offset, offset + split * 37));
          for (let event = reader.next(); event || reader.paused; event = reader.next()) {
            if (event) events.push(event);
            if (event?.type === 'failure' || event?.type === 'stream-close') break;
          }
          if (events.at(-1)?.type === 'failure') break;
        }
        expect(reader.parsedBytes).toBeLessThanOrEqual(limits.maxStreamBytes);
        const failures = events.filter((e): e is XmlStreamFailure => e.type === 'failure');
        expect(failures.length).toBeLessThanOrEqual(1);
        for (const failure of failures) expect(['forbidden-xml', 'too-large', 'malformed']).toContain(failure.reason);
        for (const event of events) {
          if (event.type !== 'element') continue;
          // The stream element is one level; a top-level element and its descendants make the rest.
          expect(depthOf(event.element)).toBeLessThan(XML_CAPS.depth);
          expect(attributesWithin(event.element)).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

describe('the PEM and DER readers', () => {
  const notACertificate = /^not an X\.509 certificate \(\d+ bytes\): /;

  it('find only well-formed blocks in arbitrary text, and read back what they write', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 300 }), (text, der) => {
        expect(() => pemBlocks(text, 'CERTIFICATE')).not.toThrow();
        const armoured = `${text}\n${toPem(der, 'CERTIFICATE')}`;
        expect(pemBlocks(armoured, 'CERTIFICATE').at(-1)).toEqual(Buffer.from(der));
        expect(derFrom(toPem(der, 'X'), 'X')).toEqual(Buffer.from(der));
      }),
      RUNS,
    );
  });

  it('take DER from arbitrary text or bytes, or say the PEM text holds no block of the label', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ maxLength: 100 }).map((text) => `-----BEGIN X-----${text}`), fc.uint8Array({ maxLength: 100 })), (input) => {
        try {
          expect(Buffer.isBuffer(derFrom(input, 'CERTIFICATE'))).toBe(true);
        } catch (error) {
          expect(typeof input).toBe('string');
          expect((error as Error).message).toBe('the PEM text holds no CERTIFICATE block');
        }
      }),
      RUNS,
    );
  });

  it('read a TLV only inside its buffer, or throw an Error naming the fault', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const tlv = readTlv(bytes, 0);
          expect(tlv.end).toBeLessThanOrEqual(bytes.length);
          expect(tlv.contentStart).toBeLessThanOrEqual(tlv.end);
          for (const child of childrenOf(bytes, tlv)) expect(child.end).toBeLessThanOrEqual(tlv.end);
          decodeDerString(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).message).toMatch(/DER/);
        }
      }),
      RUNS,
    );
  });

  it('reject arbitrary bytes as a certificate with one line, and find no extension fault in them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(() => parseCertificate(bytes)).toThrow(notACertificate);
        expect(extensionDefects(bytes)).toEqual([]);
      }),
      RUNS,
    );
  });
});
