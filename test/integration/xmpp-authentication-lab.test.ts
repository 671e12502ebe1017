// `fedcheck check` against the lab's XMPP servers for how peers authenticate: no-dialback.test ends the stream after
// TLS as Prosody 0.12 does when it has nothing to offer (dialback off, no SASL EXTERNAL); healthy.test offers EXTERNAL
// to our certificate and lets it authenticate.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { createTestPki } from '../../src/pki/test-ca.js';
import { fedcheck } from '../support/fedcheck.js';
import { labArgs } from '../support/lab-args.js';
import { tempFolders } from '../support/temp-folders.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const tempFolder = tempFolders();

let lab: SharedLab;
let dir: string;
let client: { cert: string; key: string };
beforeAll(async () => {
  lab = sharedLab();
  dir = tempFolder('xmpp-auth');
  writeFileSync(join(dir, 'lab-root.pem'), lab.caPem);
  const issued = await (await createTestPki({ name: 'our federation CA' })).issue({
    commonName: 'ours.test',
    dnsNames: ['ours.test'],
    eku: ['serverAuth', 'clientAuth'],
  });
  client = { cert: join(dir, 'client.pem'), key: join(dir, 'client.key') };
  writeFileSync(client.cert, issued.fullChainPem);
  writeFileSync(client.key, issued.keyPem, { mode: 0o600 });
});
afterAll(async () => {
});

async function check(args: string[]): Promise<{ code: number | null; report: Report }> {
  const result = await fedcheck([
    'check',
    ...args,
    '--xmpp',
    ...labArgs(lab, [join(dir, 'lab-root.pem')]),
    '--format',
    'json',
  ]);
  expect(result.stderr).toBe('');
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

const findingsOf = (report: Report, checkId: string): Finding[] => report.domains[0]?.findings.filter((f) => f.checkId === checkId) ?? [];
const verdicts = (findings: Finding[]) => findings.map((f) => [f.status, f.messageId]);

describe('an XMPP server with nothing to authenticate with after TLS (no-dialback.test)', () => {
  it('fails xmpp.authentication-methods with the stream error as evidence and the fix; the stream itself passes', async () => {
    const { code, report } = await check(['no-dialback.test']);
    expect(code).toBe(2);
    const authentication = findingsOf(report, 'xmpp.authentication-methods');
    expect(verdicts(authentication)).toEqual([['fail', 'nothingToOffer']]);
    const [finding] = authentication;
    expect(finding?.message).toContain('<undefined-condition/> "No stream features to offer"');
    expect(finding?.evidence).toContain('after TLS, in place of the features: <stream:error><undefined-condition/> "No stream features to offer"');
    expect(finding?.fix?.snippets.map((s) => s.text)).toEqual(
      expect.arrayContaining(['modules_enabled = { "dialback" }', 'modules:\n  mod_s2s_dialback: {}']),
    );
    expect(finding?.fix?.steps.join(' ')).toContain('SASL EXTERNAL when its certificate chains to a CA the server trusts');
    expect(verdicts(findingsOf(report, 'xmpp.stream-negotiation'))).toEqual([['pass', 'negotiatedNothingToOffer']]);
    expect(verdicts(findingsOf(report, 'xmpp.starttls'))).toEqual([['pass', 'required']]);
  });

  it('with --client-cert, says the server offered nothing even for our certificate', async () => {
    const { report } = await check(['no-dialback.test', '--client-cert', client.cert, '--client-key', client.key, '--from-domain', 'ours.test']);
    const authentication = findingsOf(report, 'xmpp.authentication-methods');
    expect(verdicts(authentication)).toEqual([['fail', 'nothingToOffer']]);
    expect(authentication[0]?.message).toContain('not even for the client certificate fedcheck presented');
    expect(verdicts(findingsOf(report, 'tls.client-certificate-accepted'))).toEqual([['fail', 'xmppNothingOffered']]);
  });
});

describe('SASL EXTERNAL with our certificate (healthy.test)', () => {
  it('sees EXTERNAL offered and authenticates with it', async () => {
    const { report } = await check(['healthy.test', '--client-cert', client.cert, '--client-key', client.key, '--from-domain', 'ours.test']);
    const accepted = findingsOf(report, 'tls.client-certificate-accepted');
    expect(verdicts(accepted)).toEqual([['pass', 'xmppExternalOffered']]);
    expect(accepted[0]?.message).toContain('SASL EXTERNAL is offered after TLS, and authenticating with it succeeded');
    expect(verdicts(findingsOf(report, 'xmpp.authentication-methods'))).toEqual([['pass', 'both']]);
  });
});
