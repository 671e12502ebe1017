// --revocation against the lab: healthy.test's certificate is good by OCSP, revoked-cert.test's is listed in the CRL;
// and the lab's OCSP responder answered over a real HTTP POST.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CRLReasons } from '@peculiar/asn1-x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { readOcsp } from '../../src/judge/revocation.js';
import { startLabHttp } from '../../src/lab/http-server.js';
import { ocspPostHandler } from '../../src/lab/ocsp-responder.js';
import { ocspRequestDer } from '../../src/pki/ocsp.js';
import { createTestPki } from '../../src/pki/test-ca.js';
import { fetchBounded } from '../../src/probes/http.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { fedcheck } from '../support/fedcheck.js';
import { LOOPBACK_EGRESS } from '../support/egress.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const CHECK_ID = 'tls.certificate-revocation';

let lab: SharedLab;
let caFile: string;
beforeAll(async () => {
  lab = sharedLab();
  caFile = lab.caFile;
});
afterAll(async () => {
});

async function check(extra: string[]): Promise<{ code: number | null; report: Report }> {
  const result = await fedcheck([
    'check',
    'healthy.test',
    'revoked-cert.test',
    '--resolver',
    formatServer(lab.resolver),
    '--allow-private',
    '127.0.0.0/8,::1/128',
    '--timeout',
    String(lab.timeoutMs),
    '--ca-file',
    caFile,
    ...extra,
    '--format',
    'json',
  ]);
  expect(result.stderr).toBe('');
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

const findingsOf = (report: Report, domain: string): Finding[] =>
  report.domains.find((d) => d.domain === domain)?.findings.filter((f) => f.checkId === CHECK_ID) ?? [];

describe('fedcheck check --revocation against the lab', () => {
  it('fails the revoked certificate (from the CRL) and passes the good one (from OCSP), on SIP and XMPP', async () => {
    const { code, report } = await check(['--revocation']);
    expect(code).toBe(2);
    const revoked = findingsOf(report, 'revoked-cert.test');
    expect(revoked.map((f) => f.subject.split(' ')[1]?.split(':').pop()).sort()).toEqual(['5061', '5269']);
    for (const finding of revoked) {
      expect(finding.status).toBe('fail');
      expect(finding.messageId).toBe('revoked');
      expect(finding.message).toMatch(/was revoked on .* \(keyCompromise\) according to the CRL http:\/\/.*\/intermediate\.crl/);
      expect(finding.fix?.summary).toMatch(/Replace the revoked certificate on sip\.revoked-cert\.test/);
    }
    const healthy = findingsOf(report, 'healthy.test');
    expect(healthy).toHaveLength(2);
    for (const finding of healthy) {
      expect(finding.status).toBe('pass');
      expect(finding.message).toMatch(/not revoked according to the OCSP responder http:\/\/.*\/ocsp/);
    }
  });

  it('says nothing about revocation without --revocation', async () => {
    const { report } = await check([]);
    expect(findingsOf(report, 'healthy.test')).toEqual([]);
    expect(findingsOf(report, 'revoked-cert.test')).toEqual([]);
  });

  it('refuses --revocation with --replay: it was fixed when the facts were gathered', async () => {
    const result = await fedcheck(['check', '--replay', join(tmpdir(), 'absent-facts.json'), '--revocation']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/--revocation cannot be combined with it/);
  });
});

describe('the lab OCSP responder over HTTP POST', () => {
  it('answers fetchBounded\'s POST with a signed status fedcheck reads', async () => {
    const pki = await createTestPki({ name: 'OCSP over HTTP' });
    const [good, bad] = await Promise.all([pki.issue({ dnsNames: ['good.test'] }), pki.issue({ dnsNames: ['bad.test'] })]);
    const http = await startLabHttp({ address: '127.0.0.1' });
    try {
      http.handlePost(
        '/ocsp',
        ocspPostHandler({
          issuerDer: pki.intermediateDer,
          signerKeyPem: pki.intermediateKeyPem,
          statusOf: (serial) =>
            serial === bad.serialNumber ? { status: 'revoked', time: new Date(), reason: CRLReasons.cessationOfOperation } : { status: 'good' },
        }),
      );
      const url = http.url('/ocsp');
      const issuer = pki.intermediateDer.toString('base64');
      for (const [certificate, expected] of [
        [good, 'good'],
        [bad, 'revoked'],
      ] as const) {
        const outcome = await fetchBounded(
          url,
          {
            method: 'POST',
            body: ocspRequestDer(certificate.certDer, pki.intermediateDer),
            contentType: 'application/ocsp-request',
            accept: 'application/ocsp-response',
            maxBytes: 64 * 1024,
          },
          { signal: AbortSignal.timeout(5000), timeoutMs: 5000, egress: LOOPBACK_EGRESS },
        );
        expect(outcome.status === 'ok' && outcome.facts.contentType).toBe('application/ocsp-response');
        const reading = readOcsp(url, outcome, certificate.certDer.toString('base64'), issuer, new Date());
        expect(reading.state === 'answer' && reading.single.status).toBe(expected);
      }
      // A GET of the responder's path is not an OCSP request: the server has no file there.
      const get = await fetchBounded(url, {}, { signal: AbortSignal.timeout(5000), timeoutMs: 5000, egress: LOOPBACK_EGRESS });
      expect(get.status === 'ok' && get.facts.status).toBe(404);
    } finally {
      await http.close();
    }
  });
});
