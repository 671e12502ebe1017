// Reading what --revocation fetched: an OCSP answer or a CRL, judged against the leaf and its issuer. Pure, shared
// by the gatherer (is the OCSP answer of use, or is the CRL needed?) and tls.certificate-revocation.

import { X509Certificate as NodeCertificate } from 'node:crypto';
import type { ProbeOutcome } from '../model/facts.js';
import type { HttpFetchFacts } from '../model/protocol-facts.js';
import { describeFailure } from './tls-evidence.js';
import { crlSignedBy, findRevoked, parseCrl } from '../pki/crl.js';
import type { CrlEntry, CrlInfo } from '../pki/crl.js';
import { parseOcspResponse, responseFor, verifyOcspSignature } from '../pki/ocsp.js';
import type { OcspSingleResponse } from '../pki/ocsp.js';

export type { CrlEntry, CrlInfo } from '../pki/crl.js';
export type { OcspSingleResponse } from '../pki/ocsp.js';

/** CRLs of large public CAs run to megabytes; more than this is not a CRL a partner's Edge would fetch either. */
export const CRL_MAX_BYTES = 8 * 1024 * 1024;
/** A basic OCSP response with a responder certificate is a few kilobytes. */
export const OCSP_MAX_BYTES = 64 * 1024;

export type OcspReading =
  /** Deliberately not asked (a private address...): not a failure of the responder. */
  | { state: 'not-asked'; why: string }
  | { state: 'failed'; why: string; evidence: string[] }
  /** A signed, current answer about the leaf. */
  | { state: 'answer'; single: OcspSingleResponse; signer: string; evidence: string[] };

export type CrlReading =
  | { state: 'not-asked'; why: string }
  | { state: 'failed'; why: string; evidence: string[] }
  | {
      state: 'read';
      crl: CrlInfo;
      /** The leaf's entry, when the CRL lists it. */
      entry?: CrlEntry;
      /** Whether the CRL verifies with the leaf's issuer; 'no-issuer' when the issuer is unknown. */
      signature: 'verified' | 'invalid' | 'no-issuer';
      /** nextUpdate has passed: relying parties treat the CRL as unusable. */
      stale: boolean;
      evidence: string[];
    };

/** The leaf's issuer among candidates (base64 DER): named as the leaf's issuer and verifying its signature. */
export function findIssuer<S extends string>(
  leafDer: string,
  candidates: readonly { der: string; source: S }[],
): { der: string; source: S } | undefined {
  let leaf: NodeCertificate;
  try {
    leaf = new NodeCertificate(Buffer.from(leafDer, 'base64'));
  } catch {
    return undefined;
  }
  return candidates.find(({ der }) => {
    try {
      const candidate = new NodeCertificate(Buffer.from(der, 'base64'));
      return leaf.checkIssued(candidate) && leaf.verify(candidate.publicKey);
    } catch {
      return false;
    }
  });
}

/** What an OCSP POST for the leaf answered, verified against the issuer (both base64 DER). */
export function readOcsp(
  url: string,
  outcome: ProbeOutcome<HttpFetchFacts> | undefined,
  leafDer: string,
  issuerDer: string,
  now: Date,
): OcspReading {
  const fetched = fetchedBody(url, 'the OCSP responder', outcome);
  if (fetched.state !== 'body') return fetched;
  const { facts, body, line } = fetched;
  const failed = (why: string): OcspReading => ({ state: 'failed', why: `the OCSP responder ${url}: ${why}`, evidence: [`${line}: ${why}`] });
  let info;
  try {
    info = parseOcspResponse(body);
  } catch (error) {
    return failed(`${(error as Error).message}${facts.contentType ? ` (content type ${facts.contentType})` : ''}`);
  }
  if (info.responseStatus !== 'successful') return failed(`the responder answered "${info.responseStatus}" instead of a status`);
  const single = responseFor(info, leafDer, issuerDer);
  if (!single) return failed('the answer holds no status for this certificate');
  const signature = verifyOcspSignature(body, issuerDer);
  if (!signature.valid) return failed(`the answer's signature is not valid: ${signature.problem}`);
  const signer = `${signature.signer === 'issuer' ? 'the issuer' : 'the delegated responder'} ${signature.signerSubject}`;
  const times = `this update ${single.thisUpdate}${single.nextUpdate ? `, next update ${single.nextUpdate}` : ''}`;
  if (single.nextUpdate !== undefined && Date.parse(single.nextUpdate) < now.getTime()) {
    return failed(`the answer is out of date (${times})`);
  }
  const revoked =
    single.status === 'revoked'
      ? `, revoked ${single.revocationTime ?? 'at an unstated time'}${single.revocationReason ? ` (${single.revocationReason})` : ''}`
      : '';
  return { state: 'answer', single, signer, evidence: [`${line}: ${single.status}${revoked}, ${times}, signed by ${signer}`] };
}

/** The CRL fetched from `url`, with the leaf's entry and whether the issuer (base64 DER, when known) signed it. */
export function readCrl(
  url: string,
  outcome: ProbeOutcome<HttpFetchFacts> | undefined,
  serialNumber: string,
  issuerDer: string | undefined,
  now: Date,
): CrlReading {
  const fetched = fetchedBody(url, 'the CRL', outcome);
  if (fetched.state !== 'body') return fetched;
  const { body, line } = fetched;
  let crl: CrlInfo;
  try {
    crl = parseCrl(body);
  } catch (error) {
    const why = (error as Error).message;
    return { state: 'failed', why: `the CRL ${url}: ${why}`, evidence: [`${line}: ${why}`] };
  }
  const signature = issuerDer === undefined ? 'no-issuer' : crlSignedBy(body, issuerDer) ? 'verified' : 'invalid';
  const stale = crl.nextUpdate !== undefined && Date.parse(crl.nextUpdate) < now.getTime();
  const entry = findRevoked(crl, serialNumber);
  const signed = { verified: 'signature verified with the issuer', invalid: 'signature NOT valid for the issuer', 'no-issuer': 'issuer unknown, signature not checked' }[signature];
  const evidence = [
    `${line}: issuer ${crl.issuer}, this update ${crl.thisUpdate}, next update ${crl.nextUpdate ?? 'none'}, ` +
      `${crl.entries.length} entr${crl.entries.length === 1 ? 'y' : 'ies'}, ${crl.signatureAlgorithm}, ${signed}`,
    entry
      ? `  serial ${serialNumber} listed: revoked ${entry.revocationDate}${entry.reason ? ` (${entry.reason})` : ''}`
      : `  serial ${serialNumber} not listed`,
  ];
  return { state: 'read', crl, ...(entry ? { entry } : {}), signature, stale, evidence };
}

/** The body of a completed fetch, or why there is none. */
function fetchedBody(
  url: string,
  what: string,
  outcome: ProbeOutcome<HttpFetchFacts> | undefined,
): { state: 'body'; facts: HttpFetchFacts; body: Buffer; line: string } | Extract<OcspReading, { state: 'not-asked' | 'failed' }> {
  if (outcome === undefined) return { state: 'not-asked', why: `${what} ${url} was not fetched in this run` };
  if (outcome.status === 'skipped') return { state: 'not-asked', why: `${what} ${url} was not fetched: ${outcome.because}` };
  const failed = (why: string, evidence: string) => ({ state: 'failed' as const, why: `${what} ${url}: ${why}`, evidence: [evidence] });
  if (outcome.status === 'error') return failed(`${outcome.reason}: ${outcome.detail}`, `${url}: probe error ${outcome.reason}: ${outcome.detail}`);
  const facts = outcome.facts;
  const redirects = facts.redirects?.length ? ` via ${facts.redirects.join(' → ')}` : '';
  const line =
    `${url}${redirects}: HTTP ${facts.status}${facts.contentType ? ` ${facts.contentType}` : ''}, ` +
    `${Buffer.byteLength(facts.body, 'base64')} bytes${facts.truncated ? ' (truncated)' : ''}, ${facts.elapsedMs} ms`;
  if (facts.failure) return failed(describeFailure(facts.failure), `${line}: ${describeFailure(facts.failure)}`);
  if (facts.status !== 200) return failed(`answered HTTP ${facts.status}`, line);
  if (facts.truncated) return failed(`the body is larger than the ${sizeText(what === 'the CRL' ? CRL_MAX_BYTES : OCSP_MAX_BYTES)} fedcheck reads`, line);
  return { state: 'body', facts, body: Buffer.from(facts.body, 'base64'), line };
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}
