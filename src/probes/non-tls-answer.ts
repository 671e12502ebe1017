// What a TLS port said instead of TLS: its first bytes as escaped text, and what protocol they look like. Pure.

import { NON_TLS_CAPTURE_BYTES, type NonTlsAnswer } from '../model/protocol-facts.js';

// Content types 20-24 (change_cipher_spec, alert, handshake, application_data, heartbeat) with major version 3.
const TLS_CONTENT_TYPES = new Set([20, 21, 22, 23, 24]);

/** Whether `bytes` start like a TLS record; undefined while fewer than two bytes are known. */
export function startsLikeTls(bytes: Buffer): boolean | undefined {
  if (bytes.length < 2) return bytes.length === 1 && !TLS_CONTENT_TYPES.has(bytes[0] as number) ? false : undefined;
  return TLS_CONTENT_TYPES.has(bytes[0] as number) && bytes[1] === 3;
}

const SIP_START = /^(?:SIP\/2\.0 \d{3}|[A-Z]{2,32} \S+ SIP\/2\.0\r?\n)/;
const HTTP_START = /^HTTP\/\d(?:\.\d)? \d{3}/;
// A stream header (with or without the XML declaration), or the stream error a server sends on bytes it cannot parse.
const XMPP_START = /^(?:<\?xml[^>]{0,200}\?>\s*)?<stream:(?:stream|error)\b/;

export function describeNonTlsAnswer(bytes: Buffer, answerTo: NonTlsAnswer['answerTo']): NonTlsAnswer {
  const kept = bytes.subarray(0, NON_TLS_CAPTURE_BYTES);
  const start = kept.toString('latin1');
  const looksLike = SIP_START.test(start) ? 'sip' : HTTP_START.test(start) ? 'http' : XMPP_START.test(start) ? 'xmpp' : 'unknown';
  return { answerTo, text: escapeBytes(kept), bytes: kept.length, looksLike };
}

const NAMED_ESCAPES: Record<number, string> = { 0x0d: '\\r', 0x0a: '\\n', 0x09: '\\t' };

/** Printable ASCII as is; CR, LF, TAB as \r \n \t; any other byte, the backslash included, as \xNN. */
export function escapeBytes(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes) {
    const named = NAMED_ESCAPES[byte];
    if (named) text += named;
    else if (byte >= 0x20 && byte < 0x7f && byte !== 0x5c) text += String.fromCharCode(byte);
    else text += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return text;
}
