// A safe streaming reader for XMPP's XML stream: saxes with namespaces, no DTD, no entity beyond the five
// predefined ones, no processing instruction, byte caps per stanza and per stream, caps on nesting, attributes
// and name lengths (deep nesting makes namespace resolution quadratic), and a CPU budget: parsing stops for
// the event loop after each slice of input, and a stream that costs more than its budget is a failure.
// Bytes are fed to the parser up to each '>' so the reader stops exactly after an event: whatever follows
// (bytes injected after a STARTTLS <proceed/>) is never parsed and can be counted.

import { SaxesParser, type SaxesTagNS } from 'saxes';

export interface XmlElement {
  namespace: string;
  /** The local name. */
  name: string;
  /** Attributes by qualified name, namespace declarations included. */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data, concatenated. */
  text: string;
}

export type XmlStreamEvent =
  | { type: 'stream-open'; namespace: string; name: string; attributes: Record<string, string> }
  | { type: 'element'; element: XmlElement }
  | { type: 'stream-close' };

export interface XmlStreamFailure {
  type: 'failure';
  reason: 'forbidden-xml' | 'too-large' | 'malformed';
  detail: string;
}

export interface XmlStreamLimits {
  /** Bytes between two events: the stream header, one top-level element, the stream close. */
  maxStanzaBytes: number;
  /** Bytes over the whole stream. */
  maxStreamBytes: number;
  /** CPU milliseconds spent parsing over the whole stream (default MAX_PARSE_MS). */
  maxParseMs?: number;
}

/** Far beyond what XMPP negotiation nests or names (stream > features > mechanisms > mechanism is 4 deep). */
export const XML_CAPS = { depth: 32, attributes: 64, nameLength: 256 } as const;
/** Parsing a 256 KiB stream takes milliseconds of CPU; a second means the peer found a costly shape. */
export const MAX_PARSE_MS = 1000;
/** Input parsed per next() call before the event loop gets its turn. */
const SLICE_BYTES = 16 * 1024;

const GREATER_THAN = 0x3e;

export class XmlStreamReader {
  private readonly parser = new SaxesParser({ xmlns: true });
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private pending: Buffer = Buffer.alloc(0);
  private readonly open: XmlElement[] = [];
  private depth = 0;
  private stanzaBytes = 0;
  private streamBytes = 0;
  private event: XmlStreamEvent | undefined;
  private failure: XmlStreamFailure | undefined;
  private closed = false;
  private parseMs = 0;
  private sliceEnded = false;

  constructor(private readonly limits: XmlStreamLimits) {
    const forbid = (detail: string) => this.fail('forbidden-xml', detail);
    this.parser.on('doctype', () => forbid('a DOCTYPE declaration (XMPP streams carry no DTD)'));
    this.parser.on('processinginstruction', ({ target }) => forbid(`a processing instruction <?${target}?>`));
    this.parser.on('error', (error) => {
      if (/undefined entity/.test(error.message)) forbid('an entity other than the five predefined ones and character references');
      else this.fail('malformed', `not well-formed XML: ${error.message}`);
    });
    this.parser.on('attribute', (attribute) => this.onAttribute(attribute.name));
    this.parser.on('opentag', (tag) => this.onOpen(tag));
    this.parser.on('closetag', () => this.onClose());
    this.parser.on('text', (text) => this.onText(text));
    this.parser.on('cdata', (text) => this.onText(text));
  }

  /** Adds received bytes; nothing is parsed until next(). */
  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
  }

  /** Bytes given to the parser so far, counted against maxStreamBytes. */
  get parsedBytes(): number {
    return this.streamBytes;
  }

  /** Bytes pushed but not parsed: all that follows the last event returned. */
  get unparsedBytes(): number {
    return this.pending.length;
  }

  /** True when the last next() stopped for its time slice with input left: call next() again after yielding. */
  get paused(): boolean {
    return this.sliceEnded && !this.failure && !this.closed && this.pending.length > 0;
  }

  /** Parses up to the next event; undefined when more bytes are needed, or when `paused`. */
  next(): XmlStreamEvent | XmlStreamFailure | undefined {
    let sliceBytes = 0;
    this.sliceEnded = false;
    while (!this.failure && !this.closed && this.pending.length > 0) {
      if (sliceBytes >= SLICE_BYTES) {
        this.sliceEnded = true;
        return undefined;
      }
      const end = this.pending.indexOf(GREATER_THAN);
      const segment = end < 0 ? this.pending : this.pending.subarray(0, end + 1);
      if (this.stanzaBytes + segment.length > this.limits.maxStanzaBytes) {
        return this.fail('too-large', `a stanza longer than ${this.limits.maxStanzaBytes} bytes`);
      }
      if (this.streamBytes + segment.length > this.limits.maxStreamBytes) {
        return this.fail('too-large', `a stream longer than ${this.limits.maxStreamBytes} bytes`);
      }
      this.pending = this.pending.subarray(segment.length);
      this.stanzaBytes += segment.length;
      this.streamBytes += segment.length;
      sliceBytes += segment.length;
      this.write(segment);
      const event = this.event;
      if (event && !this.failure) {
        this.event = undefined;
        this.stanzaBytes = 0;
        return event;
      }
    }
    return this.failure;
  }

  private write(segment: Buffer): void {
    const maxParseMs = this.limits.maxParseMs ?? MAX_PARSE_MS;
    if (this.parseMs >= maxParseMs) {
      this.fail('too-large', `XML that took more than ${maxParseMs} ms to parse`);
      return;
    }
    // CPU time, not wall time: a busy machine that preempts the parse does not count against the peer.
    const before = process.cpuUsage();
    this.decodeAndParse(segment);
    const spent = process.cpuUsage(before);
    this.parseMs += (spent.user + spent.system) / 1000;
  }

  private decodeAndParse(segment: Buffer): void {
    let text: string;
    try {
      text = this.decoder.decode(segment, { stream: true });
    } catch {
      this.fail('malformed', 'bytes that are not UTF-8');
      return;
    }
    this.parser.write(text);
  }

  private fail(reason: XmlStreamFailure['reason'], detail: string): XmlStreamFailure {
    // The first failure is the cause; what saxes reports after it is noise.
    this.failure ??= { type: 'failure', reason, detail };
    return this.failure;
  }

  private onAttribute(name: string): void {
    if (name.length > XML_CAPS.nameLength) this.fail('too-large', `an attribute name longer than ${XML_CAPS.nameLength} characters`);
  }

  private onOpen(tag: SaxesTagNS): void {
    // After a failure nothing more is built; saxes still finishes the segment it was given.
    if (this.failure) return;
    if (this.depth >= XML_CAPS.depth) {
      this.fail('too-large', `elements nested deeper than ${XML_CAPS.depth} levels`);
      return;
    }
    if (tag.name.length > XML_CAPS.nameLength) {
      this.fail('too-large', `an element name longer than ${XML_CAPS.nameLength} characters`);
      return;
    }
    if (Object.keys(tag.attributes).length > XML_CAPS.attributes) {
      this.fail('too-large', `an element with more than ${XML_CAPS.attributes} attributes`);
      return;
    }
    const attributes = Object.fromEntries(Object.values(tag.attributes).map((attribute) => [attribute.name, attribute.value]));
    if (this.depth === 0) {
      this.event = { type: 'stream-open', namespace: tag.uri, name: tag.local, attributes };
    } else {
      const element: XmlElement = { namespace: tag.uri, name: tag.local, attributes, children: [], text: '' };
      this.open.at(-1)?.children.push(element);
      this.open.push(element);
    }
    this.depth += 1;
  }

  private onClose(): void {
    if (this.failure) return;
    this.depth -= 1;
    if (this.depth === 0) {
      this.closed = true;
      this.event = { type: 'stream-close' };
      return;
    }
    const element = this.open.pop();
    if (this.depth === 1 && element) this.event = { type: 'element', element };
  }

  private onText(text: string): void {
    const current = this.open.at(-1);
    // Whitespace between stanzas (keep-alives) belongs to no element.
    if (current) current.text += text;
  }
}
