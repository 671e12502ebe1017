// serve.tokenFile: every request carries the token, as a bearer token (Prometheus's `authorization:` setting) or
// as the password of HTTP basic authentication (what a browser asks for). Compared in constant time.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Both schemes offered: Prometheus sends the bearer token unasked, a browser answers the basic challenge. */
export const AUTH_CHALLENGE = 'Bearer realm="fedcheck", Basic realm="fedcheck", charset="UTF-8"';

export function authorized(headers: IncomingHttpHeaders, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = presentedToken(headers.authorization);
  // Digests of equal length, so neither the comparison nor its length check tells how much of the token matched.
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

function presentedToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
