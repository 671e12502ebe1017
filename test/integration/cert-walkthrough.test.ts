// The README's "Getting an Edge certificate", run as a new user would: its commands as written, a test CA
// standing in for the public one, until `fedcheck cert inspect` of the PFX passes every Edge rule.

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { createCsrCa } from '../support/csr-ca.js';
import type { CsrCa } from '../support/csr-ca.js';
import { ROOT, fedcheck } from '../support/fedcheck.js';
import { expectNoKeyMaterial } from '../support/key-material.js';
import type { CliResult } from '../support/fedcheck.js';

const PFX_PASSPHRASE = 'Walkthrough pfx 42';

let workDir: string;
let ca: CsrCa;
let rootFile: string;
const outputs: CliResult[] = [];

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'fedcheck-walkthrough-'));
  ca = await createCsrCa('Walkthrough Public CA');
  rootFile = join(workDir, 'test-ca-root.pem');
  writeFileSync(rootFile, ca.rootPem);
  process.env.FEDCHECK_PFX_PASSPHRASE = PFX_PASSPHRASE;
});
afterAll(() => {
  delete process.env.FEDCHECK_PFX_PASSPHRASE;
  rmSync(workDir, { recursive: true, force: true });
});

/** The `npx fedcheck` commands of the README section, continuation lines joined, split as a shell would. */
function readmeCommands(): string[][] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Getting an Edge certificate'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((line) => line.startsWith('npx fedcheck '))
    .map((line) => [...line.slice('npx fedcheck '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? ''));
}

/** The README's paths under the test's folder; the test CA's root trusted, as the README says for a private CA. */
function asInTest(args: string[]): string[] {
  const paths = args.map((arg) => arg.replace(/^edge-cert(\/|$)/, `${workDir}/edge-cert$1`));
  return paths[0] === 'cert' ? [...paths, '--ca-file', rootFile] : paths;
}

async function run(args: string[]): Promise<CliResult> {
  const result = await fedcheck(asInTest(args));
  outputs.push(result);
  return result;
}

describe('the README walkthrough: request, issue, bundle, inspect', () => {
  it('takes a two-domain Edge with XMPP from nothing to a PFX that passes every Edge rule', async () => {
    const [csr, bundle, ...inspections] = readmeCommands();
    expect(csr?.[0]).toBe('csr');
    expect(bundle?.slice(0, 2)).toEqual(['cert', 'bundle']);
    expect(inspections.map((command) => command.slice(0, 2))).toEqual([
      ['cert', 'inspect'],
      ['cert', 'inspect'],
    ]);

    const requested = await run(csr as string[]);
    expect(requested.stderr).toBe('');
    expect(requested.code).toBe(0);
    const edgeDir = join(workDir, 'edge-cert');
    const keyFile = join(edgeDir, 'sip.contoso.com.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    // Step 2: the CA issues from the request; the admin saves it with the intermediate, as the README says.
    const issued = await ca.sign(readFileSync(join(edgeDir, 'sip.contoso.com.csr'), 'utf8'));
    writeFileSync(join(edgeDir, 'issued.pem'), issued + ca.intermediatePem);

    const bundled = await run(bundle as string[]);
    expect(bundled.stderr).toBe('');
    expect(bundled.code).toBe(0);
    expect(statSync(join(edgeDir, 'edge.pfx')).mode & 0o777).toBe(0o600);
    expect(bundled.stdout).toContain('Set-CsCertificate -Type AccessEdgeExternal');

    for (const inspection of inspections) {
      const shown = await run(inspection);
      expect(shown.stderr).toBe('');
      expect(shown.code, shown.stdout).toBe(0);
      expect(shown.stdout).toMatch(/worst PASS · exit code 0/);

      const json = await run([...inspection, '--format', 'json']);
      const report = (JSON.parse(json.stdout) as { report: Report }).report;
      const findings = report.domains.flatMap((domain) => domain.findings);
      expect(findings.filter((finding) => finding.status !== 'pass')).toEqual([]);
      const role = inspection[inspection.indexOf('--role') + 1];
      const names = role === 'sip-edge' ? 'tls.sip-certificate-names' : 'tls.xmpp-certificate-names';
      for (const domain of report.domains) {
        expect(new Set(domain.findings.map((finding) => finding.checkId))).toEqual(
          new Set(['tls.certificate-chain', 'tls.certificate-expiry', names, 'tls.certificate-key-usage', 'tls.certificate-key-strength']),
        );
      }
    }
    expect(inspections[0]?.filter((arg) => arg === '--domain')).toHaveLength(2);

    // Nothing printed on the way held the key or the passphrase.
    const printed = outputs.map((output) => output.stdout + output.stderr).join('\n');
    expectNoKeyMaterial(printed, readFileSync(keyFile, 'utf8'));
    expect(printed).not.toContain(PFX_PASSPHRASE);
  });
});
