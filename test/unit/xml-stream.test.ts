import { describe, expect, it } from 'vitest';
import { XML_CAPS, XmlStreamReader, type XmlStreamEvent, type XmlStreamFailure, type XmlStreamLimits } from '../../src/probes/xml-stream.js';

const LIMITS: XmlStreamLimits = { maxStanzaBytes: 64 * 1024, maxStreamBytes: 256 * 1024 };
const HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' " +
  "id='abc' from='example.test' version='1.0'>";
const FEATURES =
  "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>" +
  "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism><mechanism>ü&amp;&#x263A;</mechanism></mechanisms>" +
  '</stream:features>';
const STREAM = `${HEADER}\n  ${FEATURES} <proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>`;

/** Feeds `chunks` in order and collects every event until a failure or the input runs out. */
function read(chunks: (string | Buffer)[], limits = LIMITS): (XmlStreamEvent | XmlStreamFailure)[] {
  const reader = new XmlStreamReader(limits);
  const events: (XmlStreamEvent | XmlStreamFailure)[] = [];
  for (const chunk of chunks) {
    reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    for (let event = reader.next(); event || reader.paused; event = reader.next()) {
      if (!event) continue;
      events.push(event);
      if (event.type === 'failure' || event.type === 'stream-close') return events;
    }
  }
  return events;
}

const failureOf = (xml: string, limits = LIMITS) => read([xml], limits).find((e): e is XmlStreamFailure => e.type === 'failure');

describe('XmlStreamReader', () => {
  it('emits the stream header, each top-level element as a tree with namespaces, and the close', () => {
    const events = read([STREAM]);
    expect(events.map((e) => e.type)).toEqual(['stream-open', 'element', 'element', 'stream-close']);
    expect(events[0]).toEqual({
      type: 'stream-open',
      namespace: 'http://etherx.jabber.org/streams',
      name: 'stream',
      attributes: {
        xmlns: 'jabber:server',
        'xmlns:stream': 'http://etherx.jabber.org/streams',
        id: 'abc',
        from: 'example.test',
        version: '1.0',
      },
    });
    const features = events[1]?.type === 'element' ? events[1].element : undefined;
    expect(features).toMatchObject({ namespace: 'http://etherx.jabber.org/streams', name: 'features' });
    expect(features?.children.map((c) => `{${c.namespace}}${c.name}`)).toEqual([
      '{urn:ietf:params:xml:ns:xmpp-tls}starttls',
      '{urn:ietf:params:xml:ns:xmpp-sasl}mechanisms',
    ]);
    expect(features?.children[0]?.children[0]).toMatchObject({ namespace: 'urn:ietf:params:xml:ns:xmpp-tls', name: 'required' });
    // Predefined entities and character references are expanded; UTF-8 survives.
    expect(features?.children[1]?.children.map((c) => c.text)).toEqual(['EXTERNAL', 'ü&☺']);
  });

  it('gives the same events however the bytes are split, at every byte boundary', () => {
    const bytes = Buffer.from(STREAM);
    const whole = read([bytes]);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(read([bytes.subarray(0, cut), bytes.subarray(cut)]), `split at byte ${cut}`).toEqual(whole);
    }
    expect(read([...bytes].map((byte) => Buffer.from([byte])))).toEqual(whole);
  });

  it('stops right after an event: the bytes that follow stay unparsed and countable', () => {
    const reader = new XmlStreamReader(LIMITS);
    const after = '<stream:features>injected</stream:features>';
    reader.push(Buffer.from(`${HEADER}<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>${after}`));
    expect(reader.next()?.type).toBe('stream-open');
    expect(reader.next()).toMatchObject({ type: 'element', element: { name: 'proceed' } });
    expect(reader.unparsedBytes).toBe(Buffer.byteLength(after));
  });

  it('rejects a DOCTYPE, before any entity it declares is used (billion laughs)', () => {
    const bomb =
      "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>]>" +
      `${HEADER.replace("<?xml version='1.0'?>", '')}<a>&lol2;</a>`;
    expect(failureOf(bomb)).toMatchObject({ reason: 'forbidden-xml', detail: expect.stringMatching(/DOCTYPE/) });
  });

  it('rejects entities other than the predefined five', () => {
    expect(failureOf(`${HEADER}<message>&xxe;</message>`)).toMatchObject({ reason: 'forbidden-xml', detail: expect.stringMatching(/entity/) });
  });

  it('rejects processing instructions but accepts the XML declaration', () => {
    expect(failureOf(`${HEADER}<?xml-stylesheet href='x'?>`)).toMatchObject({ reason: 'forbidden-xml', detail: expect.stringMatching(/xml-stylesheet/) });
    expect(failureOf(STREAM)).toBeUndefined();
  });

  it('reports unbound prefixes and broken markup as malformed', () => {
    expect(failureOf(`${HEADER}<x:message/>`)).toMatchObject({ reason: 'malformed' });
    expect(failureOf(`${HEADER}<a></b>`)).toMatchObject({ reason: 'malformed' });
    expect(failureOf('HTTP/1.1 400 Bad Request\r\n\r\n')).toMatchObject({ reason: 'malformed' });
  });

  it('reports bytes that are not UTF-8 as malformed', () => {
    expect(read([Buffer.concat([Buffer.from(`${HEADER}<a>`), Buffer.from([0xff, 0xfe]), Buffer.from('</a>')])]).at(-1)).toMatchObject({
      type: 'failure',
      reason: 'malformed',
    });
  });

  it('caps one stanza, without buffering past the cap', () => {
    const limits = { maxStanzaBytes: 1024, maxStreamBytes: 1024 * 1024 };
    expect(failureOf(`${HEADER}<message>${'x'.repeat(2000)}</message>`, limits)).toMatchObject({ reason: 'too-large' });
    // Many small stanzas are fine: the cap is per stanza.
    expect(failureOf(`${HEADER}${'<a>x</a>'.repeat(500)}`, limits)).toBeUndefined();
  });

  it('caps the whole stream', () => {
    const limits = { maxStanzaBytes: 1024, maxStreamBytes: 4096 };
    expect(failureOf(`${HEADER}${'<a>x</a>'.repeat(1000)}`, limits)).toMatchObject({ reason: 'too-large', detail: expect.stringMatching(/stream/) });
  });

  it('caps nesting: 21,000 nested elements are one failure naming the cap, read no further than the cap', () => {
    const reader = new XmlStreamReader(LIMITS);
    reader.push(Buffer.from(`${HEADER}<stream:features>${'<a>'.repeat(21_000)}`));
    expect(reader.next()).toMatchObject({ type: 'stream-open' });
    let event = reader.next();
    while (!event && reader.paused) event = reader.next();
    expect(event).toEqual({ type: 'failure', reason: 'too-large', detail: `elements nested deeper than ${XML_CAPS.depth} levels` });
    // Stopped at the element past the cap, not after parsing the rest.
    expect(reader.parsedBytes).toBeLessThan(HEADER.length + 20 + 3 * (XML_CAPS.depth + 1));
  });

  it('accepts nesting up to the cap', () => {
    const depth = XML_CAPS.depth - 1;
    expect(failureOf(`${HEADER}${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`)).toBeUndefined();
  });

  it('caps the attributes of an element and the length of element and attribute names', () => {
    const attributes = Array.from({ length: XML_CAPS.attributes + 1 }, (_, i) => `a${i}='x'`).join(' ');
    expect(failureOf(`${HEADER}<a ${attributes}/>`)).toEqual({ type: 'failure', reason: 'too-large', detail: `an element with more than ${XML_CAPS.attributes} attributes` });
    const longName = 'n'.repeat(XML_CAPS.nameLength + 1);
    expect(failureOf(`${HEADER}<${longName}/>`)).toMatchObject({ reason: 'too-large', detail: `an element name longer than ${XML_CAPS.nameLength} characters` });
    expect(failureOf(`${HEADER}<a ${longName}='x'/>`)).toMatchObject({ reason: 'too-large', detail: `an attribute name longer than ${XML_CAPS.nameLength} characters` });
  });

  it('stops for the event loop after a slice of input and resumes where it stopped', () => {
    const reader = new XmlStreamReader(LIMITS);
    const stanzas = '<a>x</a>'.repeat(4000);
    reader.push(Buffer.from(`${HEADER}<b>${stanzas}</b>`));
    expect(reader.next()).toMatchObject({ type: 'stream-open' });
    expect(reader.next()).toBeUndefined();
    expect(reader.paused).toBe(true);
    let event = reader.next();
    while (!event && reader.paused) event = reader.next();
    expect(event).toMatchObject({ type: 'element', element: { name: 'b' } });
    expect(event?.type === 'element' && event.element.children).toHaveLength(4000);
  });

  it('ends a stream that has used up its parsing budget', () => {
    expect(failureOf(`${HEADER}<a/>`, { ...LIMITS, maxParseMs: 0 })).toEqual({ type: 'failure', reason: 'too-large', detail: 'XML that took more than 0 ms to parse' });
  });
});
