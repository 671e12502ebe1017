// Two SIP domains served by one Edge address: each gets its own OPTIONS, sent with its own Request-URI and SNI, and
// its verdict is judged on that exchange, never on the other domain's (the SIP probe was once keyed by address alone).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedFacts } from '../../src/model/facts-file.js';
import type { ProbeOutcome } from '../../src/model/facts.js';
import type { SipProbeFacts } from '../../src/model/protocol-facts.js';
import type { Report } from '../../src/model/report.js';
import { fedcheck } from '../support/fedcheck.js';
import { labArgs } from '../support/lab-args.js';
import { tempFolders } from '../support/temp-folders.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const DOMAINS = ['shared-edge-a.test', 'shared-edge-b.test'];
const tempFolder = tempFolders();

let lab: SharedLab;
let saved: SavedFacts;
let report: Report;
let code: number | null;

beforeAll(async () => {
  lab = sharedLab();
  const dir = tempFolder('shared-edge');
  const caFile = join(dir, 'lab-root.pem');
  const factsFile = join(dir, 'facts.json');
  writeFileSync(caFile, lab.caPem);
  const result = await fedcheck(['check', ...DOMAINS, ...labArgs(lab, [caFile]), '--save-facts', factsFile, '--format', 'json']);
  expect(result.stderr).toBe('');
  code = result.code;
  report = JSON.parse(result.stdout) as Report;
  saved = JSON.parse(readFileSync(factsFile, 'utf8')) as SavedFacts;
});
afterAll(async () => {
});

/** The SIP OPTIONS exchanges saved, by the domain their Request-URI names. */
function exchangesByRequestUri(): Map<string, SipProbeFacts[]> {
  const byDomain = new Map<string, SipProbeFacts[]>();
  for (const [key, outcome] of Object.entries(saved.facts) as [string, ProbeOutcome<SipProbeFacts>][]) {
    if (!key.startsWith('sip:') || outcome.status !== 'ok') continue;
    const uri = /^OPTIONS sip:(\S+) SIP\/2\.0/.exec(outcome.facts.request ?? '')?.[1] ?? '(no request)';
    byDomain.set(uri, [...(byDomain.get(uri) ?? []), outcome.facts]);
  }
  return byDomain;
}

describe('two SIP domains on one Edge address', () => {
  it('sends each domain its own OPTIONS, with its own Request-URI and To, over TLS with its own Edge FQDN as SNI', () => {
    const exchanges = exchangesByRequestUri();
    expect([...exchanges.keys()].sort()).toEqual(DOMAINS);
    const [a, b] = DOMAINS.map((domain) => exchanges.get(domain)?.[0]);
    // One Edge: the same address and port, asked twice.
    expect(`${a?.address}:${a?.port}`).toBe(`${b?.address}:${b?.port}`);
    for (const domain of DOMAINS) {
      const [exchange, ...more] = exchanges.get(domain) ?? [];
      expect(more).toEqual([]);
      expect(exchange?.request).toMatch(new RegExp(`^To: <sip:${domain.replaceAll('.', '\\.')}>`, 'm'));
      expect(exchange?.tls?.servername).toBe(`sip.${domain}`);
      expect(exchange?.response?.statusCode).toBe(200);
    }
  });

  it("judges each domain on its own exchange: the OPTIONS answered for both, the certificate's subject right only for the first", () => {
    const problems = (domain: string) =>
      (report.domains.find((d) => d.domain === domain)?.findings ?? [])
        .filter((f) => f.status === 'fail' || f.status === 'error' || f.status === 'warn')
        .map((f) => `${f.checkId} ${f.status} ${f.messageId}`);
    expect(problems('shared-edge-a.test')).toEqual([]);
    // The second domain's session was made with its own SNI, so its own FQDN is the one judged against the subject.
    expect(problems('shared-edge-b.test').sort()).toEqual(['tls.sip-certificate-names warn cnNotEdge', 'tls.sip-certificate-names warn edgeNotFirstSan']);
    for (const domain of DOMAINS) {
      const options = report.domains.find((d) => d.domain === domain)?.findings.find((f) => f.checkId === 'sip.options-response');
      expect(options, domain).toMatchObject({ status: 'pass', subject: `sip.${domain} ${exchangesByRequestUri().get(domain)?.[0]?.address}:5061` });
    }
    expect(code).toBe(1);
  });
});
