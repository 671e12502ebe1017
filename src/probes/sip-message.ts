// SIP messages without I/O: the OPTIONS request fedcheck sends, and a bounded incremental reader for the
// answer that skips provisional responses (and any request the peer sends first) up to a final response.

import { formatHostPort } from '../model/facts.js';
import type { SessionFailure, SipResponse } from '../model/protocol-facts.js';

export interface OptionsRequest {
  domain: string;
  fromDomain: string;
  localAddress: string;
  localPort: number;
  branch: string;
  tag: string;
  callId: string;
  userAgent: string;
  /** TLS unless told: TCP for the plain-text question asked of a port that did not answer TLS. */
  transport?: 'TLS' | 'TCP';
}

/** The header section of the OPTIONS request, ending with the empty line (the request has no body). */
export function buildOptionsRequest(request: OptionsRequest): string {
  const local = formatHostPort(request.localAddress, request.localPort);
  const transport = request.transport ?? 'TLS';
  return [
    `OPTIONS sip:${request.domain} SIP/2.0`,
    `Via: SIP/2.0/${transport} ${local};branch=z9hG4bK${request.branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:fedcheck@${request.fromDomain}>;tag=${request.tag}`,
    `To: <sip:${request.domain}>`,
    `Call-ID: ${request.callId}`,
    'CSeq: 1 OPTIONS',
    `Contact: <sip:fedcheck@${local};transport=${transport.toLowerCase()}>`,
    'Accept: application/sdp',
    `User-Agent: ${request.userAgent}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

export interface SipLimits {
  /** Bytes of one message's start line and headers. */
  maxHeaderBytes: number;
  /** Bytes read over the whole exchange. */
  maxTotalBytes: number;
}

const SIP_LIMITS: SipLimits = { maxHeaderBytes: 16 * 1024, maxTotalBytes: 64 * 1024 };

export type ParsedResponse = Omit<SipResponse, 'elapsedMs'>;
export type SipReadResult = { type: 'final'; response: ParsedResponse } | { type: 'failure'; reason: SessionFailure['reason']; detail: string };

const SIP_VERSION = 'SIP/2.0 ';
const STATUS_LINE = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/;
const REQUEST_LINE = /^[A-Za-z]+ \S+ SIP\/2\.0$/;
const METHOD_START = /^[A-Za-z]{1,32}(?: |$)/;
const HEADER_NAME = /^[A-Za-z0-9!%*_+`'~.-]+$/;
const HEADER_SECTION_END = /\r?\n\r?\n/;

/** Reads SIP messages from a byte stream until the first final response, within SipLimits. */
export class SipResponseReader {
  private buffered = Buffer.alloc(0);
  private totalBytes = 0;
  private bodyBytesToSkip = 0;
  // Where the search for the header section's end resumes, so a slow trickle is not rescanned each time.
  private scannedBytes = 0;

  constructor(private readonly limits: SipLimits = SIP_LIMITS) {}

  /** Adds bytes; returns the final response, a failure, or undefined when more bytes are needed. */
  push(chunk: Buffer): SipReadResult | undefined {
    const allowed = chunk.subarray(0, this.limits.maxTotalBytes - this.totalBytes);
    this.totalBytes += allowed.length;
    this.buffered = Buffer.concat([this.buffered, allowed]);
    const result = this.parse();
    if (result || this.totalBytes < this.limits.maxTotalBytes) return result;
    return { type: 'failure', reason: 'too-large', detail: `no final response in the first ${this.limits.maxTotalBytes} bytes` };
  }

  private parse(): SipReadResult | undefined {
    for (;;) {
      if (this.bodyBytesToSkip > 0) {
        const skipped = Math.min(this.bodyBytesToSkip, this.buffered.length);
        this.bodyBytesToSkip -= skipped;
        this.buffered = this.buffered.subarray(skipped);
        if (this.bodyBytesToSkip > 0) return undefined;
      }
      // Empty lines between messages are keep-alives (RFC 5626).
      const start = this.buffered.findIndex((byte) => byte !== 0x0d && byte !== 0x0a);
      if (start < 0) {
        this.buffered = Buffer.alloc(0);
        return undefined;
      }
      this.buffered = this.buffered.subarray(start);
      const notSip = this.notSip();
      if (notSip) return notSip;
      // latin1 maps bytes one to one, so string offsets are byte offsets; 3 bytes back catch a split terminator.
      const from = Math.max(0, this.scannedBytes - 3);
      const end = HEADER_SECTION_END.exec(this.buffered.toString('latin1', from, this.limits.maxHeaderBytes + 4));
      if (!end) {
        this.scannedBytes = this.buffered.length;
        if (this.buffered.length <= this.limits.maxHeaderBytes) return undefined;
        return { type: 'failure', reason: 'too-large', detail: `a header section longer than ${this.limits.maxHeaderBytes} bytes` };
      }
      const message = parseHead(this.buffered.toString('utf8', 0, from + end.index));
      if ('type' in message) return message;
      this.buffered = this.buffered.subarray(from + end.index + end[0].length);
      this.scannedBytes = 0;
      if (message.statusCode !== undefined && message.statusCode >= 200) {
        const bytes = this.totalBytes - this.buffered.length;
        const { statusLine, statusCode, reason, headers } = message;
        return { type: 'final', response: { statusLine, statusCode, reason: reason ?? '', headers, bytes } };
      }
      this.bodyBytesToSkip = message.contentLength;
    }
  }

  /** A failure as soon as the first bytes of a message cannot start a SIP status line or request line. */
  private notSip(): SipReadResult | undefined {
    const lineEnd = this.buffered.indexOf(0x0a);
    const line = this.buffered.toString('latin1', 0, lineEnd < 0 ? Math.min(this.buffered.length, 64) : lineEnd).replace(/\r$/, '');
    const response = line.startsWith(SIP_VERSION) || SIP_VERSION.startsWith(line);
    const request = METHOD_START.test(line) && (lineEnd < 0 || REQUEST_LINE.test(line));
    if (response || request) return undefined;
    return { type: 'failure', reason: 'not-sip', detail: `the peer answered with something other than SIP: ${JSON.stringify(line.slice(0, 64))}` };
  }
}

interface Head {
  statusLine: string;
  statusCode?: number;
  reason?: string;
  headers: [string, string][];
  contentLength: number;
}

function parseHead(text: string): Head | SipReadResult {
  const [startLine = '', ...lines] = text.split(/\r?\n/);
  const malformed = (detail: string): SipReadResult => ({ type: 'failure', reason: 'malformed', detail });
  const status = STATUS_LINE.exec(startLine);
  if (!status && !REQUEST_LINE.test(startLine)) return malformed(`a malformed status line: ${JSON.stringify(startLine.slice(0, 64))}`);
  const headers: [string, string][] = [];
  for (const line of lines) {
    const last = headers.at(-1);
    if (/^[ \t]/.test(line)) {
      // A folded line continues the previous header's value (RFC 3261 section 7.3.1).
      if (!last) return malformed('a folded line before any header');
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    if (colon < 0 || !HEADER_NAME.test(name)) return malformed(`a malformed header line: ${JSON.stringify(line.slice(0, 64))}`);
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  // A stream transport requires Content-Length; without one there is no body to skip.
  const contentLength = headers.find(([name]) => /^(?:content-length|l)$/i.test(name))?.[1] ?? '0';
  if (!/^\d{1,9}$/.test(contentLength)) return malformed(`a malformed Content-Length: ${JSON.stringify(contentLength.slice(0, 64))}`);
  if (!status) return { statusLine: startLine, headers, contentLength: Number(contentLength) };
  return { statusLine: startLine, statusCode: Number(status[1]), reason: status[2] ?? '', headers, contentLength: Number(contentLength) };
}
